using System.Diagnostics;
using System.Globalization;
using MLPipelines.Data.Csv;

namespace MLPipelines.Benchmarks.CsvReading;

/// <summary>
/// Reading the same 1,000,000 × 20 CSV file into a typed table: MLPipelines' CsvReader (all
/// cores, and one thread) against pandas.read_csv (its C engine, single-threaded; pyarrow is not
/// in Debian 12). Each side reads the file once to warm up (page cache, JIT) and then times
/// several reads; best and median are printed, and the ratio best against best.
/// </summary>
public static class CsvReadingBenchmark
{
    public const string WorkerCommand = "csv-worker";

    public static int Run(string[] args)
    {
        var repeats = 5;
        var root = PeerProcess.RepositoryRoot();
        var file = CsvBenchmarkFile.Write(Path.Combine(root, "artifacts", "benchmarks"));
        var (self, prefix) = PeerProcess.Self();
        var script = Path.Combine(AppContext.BaseDirectory, "python", "csv_reading.py");
        var cores = Environment.ProcessorCount;
        Console.WriteLine($"CSV reading benchmark: {CsvBenchmarkFile.Rows:N0} rows × 20 columns ({new FileInfo(file).Length / 1e6:F0} MB), {repeats} timed reads after 1 warm-up, {cores} cores");
        Console.WriteLine(PeerProcess.Run(PeerProcess.Python, ["-c", "import pandas, sys; print('Python', sys.version.split()[0], 'pandas', pandas.__version__)"], new Dictionary<string, string>()));
        Console.WriteLine();

        string Text(int n) => n.ToString(CultureInfo.InvariantCulture);
        var results = new List<(string Name, double[] Seconds)>
        {
            ($"C# CsvReader, {cores} threads", Times(PeerProcess.Run(self, [.. prefix, WorkerCommand, file, Text(cores), Text(repeats)], new Dictionary<string, string>()))),
            ("C# CsvReader, 1 thread", Times(PeerProcess.Run(self, [.. prefix, WorkerCommand, file, "1", Text(repeats)], new Dictionary<string, string>()))),
            ("pandas.read_csv (C engine)", Times(PeerProcess.Run(PeerProcess.Python, [script, file, Text(repeats)], new Dictionary<string, string>()))),
        };
        Console.WriteLine($"{"reader",-30} {"best s",8} {"median s",9} {"rows/s (best)",14}");
        foreach (var (name, seconds) in results)
            Console.WriteLine($"{name,-30} {seconds.Min(),8:F3} {Timings.Median(seconds),9:F3} {CsvBenchmarkFile.Rows / seconds.Min(),14:N0}");
        var pandas = results[2].Seconds.Min();
        Console.WriteLine();
        Console.WriteLine($"speed vs pandas, best against best: {pandas / results[0].Seconds.Min():F2}x with {cores} threads, {pandas / results[1].Seconds.Min():F2}x with 1 thread (goal: at least 1x)");
        return 0;
    }

    /// <summary>One side's reads, in its own process: prints the seconds of each timed read.</summary>
    public static int Worker(string[] args)
    {
        var path = args[0];
        var threads = int.Parse(args[1], CultureInfo.InvariantCulture);
        var repeats = int.Parse(args[2], CultureInfo.InvariantCulture);
        var options = new CsvOptions { Threads = threads };
        var table = CsvReader.Read(path, options);
        if (table.RowCount != CsvBenchmarkFile.Rows || table.Columns.Count != 20) throw new InvalidOperationException($"read {table}");
        var times = new List<string>();
        for (var i = 0; i < repeats; i++)
        {
            table = null!;
            GC.Collect();
            var stopwatch = Stopwatch.StartNew();
            table = CsvReader.Read(path, options);
            times.Add(stopwatch.Elapsed.TotalSeconds.ToString("R", CultureInfo.InvariantCulture));
        }
        Console.WriteLine(string.Join(' ', times));
        return 0;
    }

    private static double[] Times(string line) => line.Split(' ').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
}
