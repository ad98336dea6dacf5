namespace MLPipelines.Benchmarks;

/// <summary>What every benchmark reports beside its best time: the median of its runs.</summary>
public static class Timings
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
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
