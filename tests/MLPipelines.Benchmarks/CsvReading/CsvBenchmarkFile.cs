using System.Globalization;
using System.Text;

namespace MLPipelines.Benchmarks.CsvReading;

/// <summary>
/// The benchmark's file: 1,000,000 rows × 20 columns, written once with a fixed seed:
/// 12 decimals (2% missing), 4 integers, 3 categorical (3, 12 and 1,000 levels), 1 boolean.
/// </summary>
public static class CsvBenchmarkFile
{
    public const int Rows = 1_000_000;

    public static string Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "csv-1000000x20.csv");
        if (File.Exists(path)) return path;
        var random = new Random(7);
        string[] colors = ["red", "green", "blue"];
        var months = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames[..12];
        var temporary = path + ".tmp";
        using (var writer = new StreamWriter(temporary, false, new UTF8Encoding(false), 1 << 20))
        {
            var header = Enumerable.Range(0, 12).Select(i => $"x{i}")
                .Concat(Enumerable.Range(0, 4).Select(i => $"n{i}"))
                .Concat(["color", "month", "store", "flag"]);
            writer.Write(string.Join(',', header));
            writer.Write('\n');
            var line = new StringBuilder(256);
            for (var r = 0; r < Rows; r++)
            {
                line.Clear();
                for (var i = 0; i < 12; i++)
                {
                    if (random.NextDouble() >= 0.02) line.Append((random.NextDouble() * 200 - 100).ToString("F6", CultureInfo.InvariantCulture));
                    line.Append(',');
                }
                for (var i = 0; i < 4; i++) line.Append(random.Next(0, 100_000).ToString(CultureInfo.InvariantCulture)).Append(',');
                line.Append(colors[random.Next(3)]).Append(',')
                    .Append(months[random.Next(12)]).Append(',')
                    .Append("store_").Append(random.Next(1000).ToString(CultureInfo.InvariantCulture)).Append(',')
                    .Append(random.Next(2) == 0 ? "true" : "false").Append('\n');
                writer.Write(line);
            }
        }
        File.Move(temporary, path);
        return path;
    }
}
