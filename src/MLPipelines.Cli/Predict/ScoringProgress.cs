using System.Diagnostics;
using MLPipelines.Cli.Shared;

namespace MLPipelines.Cli.Predict;

/// <summary>
/// Says how far a long scoring has come, so that a slow model on many rows (TabM scores about 1,500 rows a second on
/// 2 cores) does not look stalled: a line every <see cref="Every"/>, from the first time that much has passed —
/// "scored 120,000 of 499,800 rows (24%) in 0:10, about 0:32 left". A short scoring says nothing.
/// </summary>
internal sealed class ScoringProgress(long total, TextWriter output, Func<TimeSpan>? clock = null)
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(10);

    private readonly Func<TimeSpan> _clock = clock ?? Started();
    private TimeSpan _next = Every;

    private static Func<TimeSpan> Started()
    {
        var watch = Stopwatch.StartNew();
        return () => watch.Elapsed;
    }

    /// <summary>Called as rows are scored, with how many are done so far.</summary>
    public void Report(long rows)
    {
        var elapsed = _clock();
        if (elapsed < _next || rows <= 0 || rows >= total) return;
        _next = elapsed + Every;
        var left = elapsed * ((double)(total - rows) / rows);
        output.WriteLine($"scored {rows:N0} of {total:N0} rows ({100.0 * rows / total:F0}%) in {Durations.Format(elapsed)}, about {Durations.Format(left)} left");
    }
}
