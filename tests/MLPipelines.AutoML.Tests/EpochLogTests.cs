using MLPipelines.Cli.Shared;
using MLPipelines.Deep.Training;

namespace MLPipelines.AutoML.Tests;

/// <summary>The epochs a log shows: every 25th for fast models, and at least one a minute for slow ones.</summary>
public sealed class EpochLogTests
{
    private static EpochProgress Epoch(int number, double elapsedSeconds) =>
        new("MLP", number, 200, 0.5, "RMSE", 0.4, 0.4, number, TimeSpan.FromSeconds(elapsedSeconds));

    /// <summary>The epoch numbers <paramref name="log"/> shows out of a fit whose epochs each take <paramref name="secondsPerEpoch"/>.</summary>
    private static List<int> Shown(EpochLog log, int epochs, double secondsPerEpoch) =>
        Enumerable.Range(1, epochs).Where(n => log.Shows(Epoch(n, n * secondsPerEpoch))).ToList();

    [Fact]
    public void Fast_epochs_are_shown_every_25th()
    {
        // A second an epoch: 25 epochs take less than the minute, so the count alone decides.
        Assert.Equal([25, 50, 75, 100, 125, 150, 175, 200], Shown(new EpochLog(), 200, 1.0));
        // Three seconds an epoch: the minute comes first at epoch 20, then the count at 25, and so on.
        Assert.Equal([20, 25, 45, 50, 70, 75, 95, 100], Shown(new EpochLog(), 100, 3.0));
    }

    [Fact]
    public void Slow_epochs_are_shown_as_soon_as_a_minute_has_passed_since_the_last_shown()
    {
        // 35 s an epoch (FT-Transformer on diamonds, 2 cores): every second epoch, and the 25th by count.
        Assert.Equal([2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 25, 27, 29], Shown(new EpochLog(), 30, 35));
        // An epoch longer than the minute is shown every time.
        Assert.Equal([1, 2, 3], Shown(new EpochLog(), 3, 90));
    }

    [Fact]
    public void A_new_fit_starts_counting_the_minute_again()
    {
        var log = new EpochLog();
        Assert.Equal([2], Shown(log, 3, 35));   // shown at 70 s; the fit ends at 105 s
        // The next fit restarts at epoch 1 and 0 s: its second epoch (70 s) is a minute after its start, not 35 s before the last shown ...
        Assert.Equal([2], Shown(log, 3, 35));
        // ... and a first epoch of 80 s is a minute after its start, not 10 s after the 70 s shown last.
        Assert.Equal([1, 2], Shown(log, 2, 80));
    }
}
