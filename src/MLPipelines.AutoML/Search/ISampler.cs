namespace MLPipelines.AutoML.Search;

/// <summary>Proposes the next configuration to evaluate from the ones evaluated so far.</summary>
public interface ISampler
{
    /// <summary>
    /// A configuration of <paramref name="space"/>. Deterministic given the same space, the same
    /// history (in order) and the same state of <paramref name="random"/>, which is the only
    /// source of randomness: a search seeded once repeats itself.
    /// </summary>
    Configuration Propose(SearchSpace space, IReadOnlyList<Observation> history, Random random);
}
