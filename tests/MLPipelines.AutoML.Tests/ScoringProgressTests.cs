using MLPipelines.Cli.Predict;

namespace MLPipelines.AutoML.Tests;

/// <summary>What a long scoring says of its progress: a line every 10 seconds from the first 10, nothing for a short one.</summary>
public sealed class ScoringProgressTests
{
    /// <summary>The lines written when <paramref name="rowsPerSecond"/> rows are scored each second, reported every 1,000 rows.</summary>
    private static string[] Lines(long total, double rowsPerSecond)
    {
        var writer = new StringWriter();
        var now = TimeSpan.Zero;
        var progress = new ScoringProgress(total, writer, () => now);
        for (long rows = 1000; rows <= total; rows += 1000)
        {
            now = TimeSpan.FromSeconds(rows / rowsPerSecond);
            progress.Report(rows);
        }
        return writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public void A_long_scoring_says_every_10_seconds_how_far_it_is_and_how_long_is_left()
    {
        // 60,000 rows at 1,500 a second: 40 s, lines at 10, 20 and 30 s; the last rows say nothing (the command's own line follows).
        Assert.Equal(
        [
            "scored 15,000 of 60,000 rows (25%) in 0:10, about 0:30 left",
            "scored 30,000 of 60,000 rows (50%) in 0:20, about 0:20 left",
            "scored 45,000 of 60,000 rows (75%) in 0:30, about 0:10 left",
        ], Lines(60_000, 1_500));
    }

    [Fact]
    public void A_scoring_shorter_than_10_seconds_says_nothing() => Assert.Empty(Lines(500_000, 60_000));
}
