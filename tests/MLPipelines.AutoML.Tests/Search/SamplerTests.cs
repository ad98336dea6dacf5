using MLPipelines.AutoML.Search;

namespace MLPipelines.AutoML.Tests.Search;

public sealed class SamplerTests
{
    private static readonly SearchSpace Space = new(
    [
        new FloatParameter("x", 2, 3),
        new FloatParameter("lr", 1e-4, 1, Log: true),
        new IntParameter("depth", 1, 5),
        new IntParameter("leaves", 1, 1000, Log: true),
        new ChoiceParameter("booster", ["gbtree", "dart", "gblinear"]),
    ]);

    // Its optimum sits on the edges and corners of the space, where a sampler that overshoots would show it.
    private static double EdgeSeeking(Configuration c) =>
        -c.Float("x") + Math.Abs(Math.Log10(c.Float("lr")) + 4) + c.Int("depth") + Math.Abs(Math.Log10(c.Int("leaves")) - 3) + (c.Choice("booster") == "dart" ? 0 : 1);

    public static TheoryData<string> Samplers => ["random", "tpe"];

    private static ISampler Sampler(string name) => name == "tpe" ? new TpeSampler() : new RandomSampler();

    [Theory]
    [MemberData(nameof(Samplers))]
    public void Proposals_are_configurations_of_the_space_even_when_the_optimum_is_on_its_edges(string sampler)
    {
        var history = SearchLoop.Run(Sampler(sampler), Space, EdgeSeeking, seed: 1, trials: 80);

        Assert.All(history, o => Space.Validate(o.Configuration));
        // Integer bounds are inclusive: both ends are proposed.
        Assert.Contains(history, o => o.Configuration.Int("depth") == 1);
        Assert.Contains(history, o => o.Configuration.Int("depth") == 5);
    }

    [Fact]
    public void Random_draws_are_uniform_on_the_log_scale_where_asked_and_give_every_integer_its_share()
    {
        var random = new Random(11);
        var draws = Enumerable.Range(0, 4000).Select(_ => new RandomSampler().Propose(Space, [], random)).ToList();

        Assert.Equal(0.5, draws.Count(c => c.Float("lr") < 1e-2) / 4000.0, 0.03);
        Assert.Equal(0.5, draws.Count(c => c.Float("x") < 2.5) / 4000.0, 0.03);
        // An integer's axis runs from half a step below its low bound to half a step above its high one.
        Assert.Equal(Math.Log(31.5 / 0.5) / Math.Log(1000.5 / 0.5), draws.Count(c => c.Int("leaves") <= 31) / 4000.0, 0.03);
        for (var depth = 1; depth <= 5; depth++)
            Assert.Equal(0.2, draws.Count(c => c.Int("depth") == depth) / 4000.0, 0.03);
        foreach (var booster in new[] { "gbtree", "dart", "gblinear" })
            Assert.Equal(1.0 / 3, draws.Count(c => c.Choice("booster") == booster) / 4000.0, 0.03);
    }

    [Theory]
    [MemberData(nameof(Samplers))]
    public void The_same_seed_gives_the_same_search_and_another_seed_another(string sampler)
    {
        string Search(int seed) => string.Join("\n", SearchLoop.Run(Sampler(sampler), Space, EdgeSeeking, seed, trials: 30).Select(o => o.Configuration.ToJson()));

        Assert.Equal(Search(5), Search(5));
        Assert.NotEqual(Search(5), Search(6));
    }

    [Fact]
    public void The_tpe_starts_with_the_random_samplers_draws_then_departs_from_them()
    {
        var tpe = SearchLoop.Run(new TpeSampler { StartupTrials = 10 }, Space, EdgeSeeking, seed: 3, trials: 11);
        var random = SearchLoop.Run(new RandomSampler(), Space, EdgeSeeking, seed: 3, trials: 11);

        Assert.Equal(random.Take(10), tpe.Take(10));
        Assert.NotEqual(random[10].Configuration, tpe[10].Configuration);
    }

    [Fact]
    public void The_tpe_concentrates_log_parameters_around_their_optimum()
    {
        var space = new SearchSpace([new FloatParameter("lr", 1e-6, 1, Log: true), new IntParameter("leaves", 1, 10000, Log: true)]);
        static double Loss(Configuration c) => Math.Abs(Math.Log10(c.Float("lr")) + 4.5) + Math.Abs(Math.Log10(c.Int("leaves")) - 2);
        var late = Enumerable.Range(0, 5).SelectMany(seed => SearchLoop.Run(new TpeSampler(), space, Loss, seed, trials: 60).Skip(40)).ToList();

        // Within half a decade of the optimum: uniform draws on the log scale land there one time in six (lr) and one in four (leaves).
        var lr = late.Count(o => Math.Abs(Math.Log10(o.Configuration.Float("lr")) + 4.5) < 0.5) / (double)late.Count;
        var leaves = late.Count(o => Math.Abs(Math.Log10(o.Configuration.Int("leaves")) - 2) < 0.5) / (double)late.Count;
        Assert.True(lr >= 2.0 / 6 && leaves >= 2.0 / 4, $"Near the optimum: lr {lr:P0}, leaves {leaves:P0} of the last 20 proposals of 5 searches.");
    }

    [Fact]
    public void Failed_trials_count_as_the_worst_and_history_from_another_space_is_ignored()
    {
        var random = new Random(4);
        var tpe = new TpeSampler();
        var failed = SearchLoop.Run(new RandomSampler(), Space, _ => double.NaN, seed: 9, trials: 15);
        Space.Validate(tpe.Propose(Space, failed, random));

        var otherSpace = new SearchSpace([new FloatParameter("x", 0, 1)]);
        var foreign = SearchLoop.Run(new RandomSampler(), otherSpace, c => c.Float("x"), seed: 9, trials: 15);
        // With nothing usable the TPE draws exactly as the random sampler would.
        Assert.Equal(new RandomSampler().Propose(Space, [], new Random(5)), tpe.Propose(Space, foreign, new Random(5)));
    }

    [Fact]
    public void The_tpe_ranks_trials_stopped_before_they_were_scored_below_the_scored_ones_the_furthest_first()
    {
        var c = RandomSampler.Draw(Space, new Random(1));
        Observation[] history =
        [
            new(c, 3.0), new(c, double.NaN), new(c, 0.1) { StoppedAt = 4 }, new(c, 0.9) { StoppedAt = 36 }, new(c, 1.0),
            new(c, 0.5) { StoppedAt = 12 }, new(c, 0.4) { StoppedAt = 12 }, new(c, 3.0),
        ];

        // Scored by loss (ties: the earlier), then stopped at 36, at 12 (by loss), at 4, then the failed one.
        Assert.Equal([4, 0, 7, 3, 6, 5, 2, 1], TpeSampler.Rank(history));
    }

    [Fact]
    public void Settings_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TpeSampler { Candidates = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TpeSampler { StartupTrials = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TpeSampler { PriorWeight = 0 });
    }
}
