namespace MLPipelines.AutoML.Search;

/// <summary>
/// A finished evaluation of a configuration: lower loss is better (negate a metric that is
/// better higher). A NaN loss (a failed trial) counts as the worst of all, below stopped trials.
/// </summary>
public sealed record Observation(Configuration Configuration, double Loss)
{
    /// <summary>
    /// For a trial stopped before it was scored (pruned by successive halving): how far it
    /// trained (epochs, rounds), its <see cref="Loss"/> being its validation loss there. Such
    /// observations rank below every scored one, the furthest first and among equals the lower
    /// loss, as Optuna's TPE ranks pruned trials; null for a scored trial.
    /// </summary>
    public int? StoppedAt { get; init; }
}
