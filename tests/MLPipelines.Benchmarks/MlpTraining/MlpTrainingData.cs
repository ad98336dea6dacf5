namespace MLPipelines.Benchmarks.MlpTraining;

/// <summary>
/// The benchmark's data, written once and read by both sides: 50,000 rows of 32 float32
/// features ~ N(0, 1) and a non-linear target, as raw little-endian float32 (X row-major, then y).
/// </summary>
public static class MlpTrainingData
{
    public const int Rows = 50_000;
    public const int Features = 32;

    public static string Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"mlp-{Rows}x{Features}.f32");
        if (File.Exists(path) && new FileInfo(path).Length == (long)Rows * (Features + 1) * sizeof(float)) return path;

        var random = new Random(2024);
        var x = new float[Rows * Features];
        var y = new float[Rows];
        for (var r = 0; r < Rows; r++)
        {
            double target = 0;
            for (var c = 0; c < Features; c++)
            {
                var value = Gaussian(random);
                x[r * Features + c] = (float)value;
                target += c % 2 == 0 ? Math.Sin(value) : value * value / Features;
            }
            y[r] = (float)(target + 0.1 * Gaussian(random));
        }
        using var stream = File.Create(path);
        stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(x.AsSpan()));
        stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(y.AsSpan()));
        return path;
    }

    public static (float[] X, float[] Y) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var all = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes);
        return (all[..(Rows * Features)].ToArray(), all[(Rows * Features)..].ToArray());
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
