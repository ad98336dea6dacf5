using MLPipelines.Deep.Training;

namespace MLPipelines.Cli.Shared;

/// <summary>
/// Which epochs a log (output not a terminal) shows: every 25th, and any epoch that ends a
/// minute or more after the last one shown. The count alone keeps a log short for fast models
/// (an MLP epoch takes a second); the minute keeps a slow one from looking stalled (a
/// FT-Transformer epoch on diamonds takes half a minute on 2 cores: 25 of them are 15 minutes).
/// </summary>
internal sealed class EpochLog
{
    public const int EveryEpochs = 25;
    public static readonly TimeSpan AtLeastEvery = TimeSpan.FromMinutes(1);

    private TimeSpan _lastShown;

    /// <summary>Whether to show this epoch; epochs of one fit arrive in order, and a new fit starts again at epoch 1.</summary>
    public bool Shows(EpochProgress epoch)
    {
        if (epoch.Epoch == 1) _lastShown = TimeSpan.Zero;
        if (epoch.Epoch % EveryEpochs != 0 && epoch.Elapsed - _lastShown < AtLeastEvery) return false;
        _lastShown = epoch.Elapsed;
        return true;
    }
}
