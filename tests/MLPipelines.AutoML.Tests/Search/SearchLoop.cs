using MLPipelines.AutoML.Search;

namespace MLPipelines.AutoML.Tests.Search;

/// <summary>The simplest experiment: propose, evaluate, remember, from one seeded generator.</summary>
internal static class SearchLoop
{
    public static List<Observation> Run(ISampler sampler, SearchSpace space, Func<Configuration, double> loss, int seed, int trials)
    {
        var random = new Random(seed);
        var history = new List<Observation>();
        for (var i = 0; i < trials; i++)
        {
            var configuration = sampler.Propose(space, history, random);
            history.Add(new Observation(configuration, loss(configuration)));
        }
        return history;
    }
}
