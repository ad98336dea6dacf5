namespace MLPipelines.AutoML.Search;

/// <summary>
/// A finished evaluation of a configuration: lower loss is better (negate a metric that is
/// better higher). A NaN loss (a failed trial) counts as the worst of all.
/// </summary>
public sealed record Observation(Configuration Configuration, double Loss);
