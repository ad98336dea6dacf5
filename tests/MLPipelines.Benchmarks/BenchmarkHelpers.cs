namespace MLPipelines.Benchmarks;

/// <summary>What every benchmark reports beside its best time: the median of its runs.</summary>
public static class Timings
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Single-call latency in µs (p50, p99) of <paramref name="predict"/> over rows 0 … rows − 1, after 500 warm-up calls.</summary>
    public static (double P50, double P99) Percentiles(int rows, Action<int> predict)
    {
        for (var warm = 0; warm < 500; warm++) predict(warm % rows);
        var latencies = new double[rows];
        for (var row = 0; row < rows; row++)
        {
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            predict(row);
            latencies[row] = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        Array.Sort(latencies);
        return (latencies[rows / 2], latencies[rows * 99 / 100]);
    }
}

/// <summary>Options of a benchmark's command line: "--name value".</summary>
public static class BenchmarkArguments
{
    /// <summary>The value after <paramref name="name"/>, or null when it is not given.</summary>
    public static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}

/// <summary>Reports on the caller's thread, as they happen (<see cref="Progress{T}"/> posts to the thread pool, so a benchmark could read its list before the last report).</summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
