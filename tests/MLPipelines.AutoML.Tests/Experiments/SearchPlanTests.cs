using MLPipelines.AutoML.Experiments;
using MLPipelines.AutoML.Search;
using MLPipelines.AutoML.Trials;
using MLPipelines.Trainers;

namespace MLPipelines.AutoML.Tests.Experiments;

/// <summary>What the search runs next, from the trials so far and the budget left.</summary>
public sealed class SearchPlanTests
{
    private static readonly ExperimentSettings Settings = new("y", PredictionTask.Regression) { Budget = TimeSpan.FromMinutes(10), Folds = 5 };
    private static readonly IReadOnlyList<Candidate> Candidates = Candidate.Named(["linear", "xgboost", "mlp", "resnet", "tabm"]);

    private static SearchPlan Plan() => new(Candidates, Settings, TaskMetric.For(PredictionTask.Regression), new RandomSampler());

    private static TrialRecord Done(int number, string candidate, ModelFamily family, bool converged = true, string? configuration = null, double rmse = 500) =>
        new(number, candidate, family, configuration, 0, TrialStatus.Completed, 10, null,
            Enumerable.Range(1, 5).Select(f => new FoldRecord(f, rmse + f, 2, 0.1, converged, null, null, null)).ToList());

    [Fact]
    public void The_portfolio_runs_in_the_given_order_with_defaults()
    {
        var next = Plan().Next([Done(1, "Linear", ModelFamily.Classical)], TimeSpan.FromMinutes(9));

        Assert.Equal("XGBoost", next!.Candidate.Name);
        Assert.Null(next.Configuration);
        Assert.Null(next.FoldTimeLimit);   // trees run untimed; only the experiment's deadline stops them
    }

    [Fact]
    public void The_first_deep_default_may_use_all_that_is_left_and_later_ones_share_it_once_one_converged()
    {
        var classical = new[] { Done(1, "Linear", ModelFamily.Classical), Done(2, "XGBoost", ModelFamily.Classical) };

        var first = Plan().Next(classical, TimeSpan.FromSeconds(300));
        var afterConverged = Plan().Next([.. classical, Done(3, "MLP", ModelFamily.Deep)], TimeSpan.FromSeconds(300));
        var afterCutShort = Plan().Next([.. classical, Done(3, "MLP", ModelFamily.Deep, converged: false)], TimeSpan.FromSeconds(300));

        Assert.Equal(("MLP", TimeSpan.FromSeconds(54)), (first!.Candidate.Name, first.FoldTimeLimit!.Value));   // 0.9 × 300 s over 5 folds
        // ResNet and TabM to come, and the tuning after them: a third each.
        Assert.Equal(("ResNet", TimeSpan.FromSeconds(18)), (afterConverged!.Candidate.Name, afterConverged.FoldTimeLimit!.Value));
        Assert.Equal(("ResNet", TimeSpan.FromSeconds(54)), (afterCutShort!.Candidate.Name, afterCutShort.FoldTimeLimit!.Value));
    }

    [Fact]
    public void A_deep_default_is_not_started_with_less_than_a_second_of_training_per_fold()
    {
        var classical = new[] { Done(1, "Linear", ModelFamily.Classical), Done(2, "XGBoost", ModelFamily.Classical) };

        var justEnough = Plan().Next(classical, TimeSpan.FromSeconds(6));   // 0.9 × 6 s over 5 folds: 1.08 s
        var tooLittle = Plan().Next(classical, TimeSpan.FromSeconds(5));    // 0.9 s
        // After a converged MLP, ResNet's share of 20 s is a third (TabM and the tuning come after it): 1.2 s a fold, enough;
        // with 15 s, 0.9 s: ResNet and TabM are skipped, and the tuning runs what fits (every trial so far took 10 s).
        TrialRecord[] converged = [.. classical, Done(3, "MLP", ModelFamily.Deep)];
        var shared = Plan().Next(converged, TimeSpan.FromSeconds(20));
        var tuning = Plan().Next(converged, TimeSpan.FromSeconds(15));

        Assert.Equal("MLP", justEnough!.Candidate.Name);
        Assert.Null(tooLittle);
        Assert.Equal("ResNet", shared!.Candidate.Name);
        Assert.NotNull(tuning!.Configuration);
    }

    [Fact]
    public void Tuning_alternates_families_and_skips_what_no_longer_fits_in_the_budget()
    {
        var portfolio = new[]
        {
            Done(1, "Linear", ModelFamily.Classical), Done(2, "XGBoost", ModelFamily.Classical), Done(3, "MLP", ModelFamily.Deep),
            Done(4, "ResNet", ModelFamily.Deep), Done(5, "TabM", ModelFamily.Deep),
        };

        var classical = Plan().Next(portfolio, TimeSpan.FromSeconds(300));
        var deep = Plan().Next([.. portfolio, Done(6, "XGBoost", ModelFamily.Classical, configuration: classical!.Configuration!.ToJson())], TimeSpan.FromSeconds(300));
        var none = Plan().Next(portfolio, TimeSpan.FromSeconds(5));   // every trial so far took 10 s

        Assert.Equal("XGBoost", classical.Candidate.Name);
        Assert.NotNull(classical.Configuration);
        Assert.Equal(ModelFamily.Deep, deep!.Candidate.Family);
        Assert.NotNull(deep.Configuration);
        Assert.Null(none);
    }

    [Fact]
    public void A_deep_candidate_stays_tuned_after_a_tuned_trial_of_it_ran_into_its_time_limit()
    {
        // ResNet's defaults score best of the converged deep defaults; TabM's better score was cut short by the budget, so
        // TabM is not tuned. A tuned trial's fold limit is twice the candidate's slowest fold so far: a larger configuration
        // runs into it, is scored where it stopped, and says nothing against the candidate.
        var xgboost = () => RandomSampler.Draw(PublishedSearchSpaces.XGBoostSpace, new Random(1)).ToJson();
        var portfolio = new[]
        {
            Done(1, "Linear", ModelFamily.Classical), Done(2, "XGBoost", ModelFamily.Classical), Done(3, "MLP", ModelFamily.Deep, rmse: 520),
            Done(4, "ResNet", ModelFamily.Deep, rmse: 500), Done(5, "TabM", ModelFamily.Deep, converged: false, rmse: 480),
            Done(6, "XGBoost", ModelFamily.Classical, configuration: xgboost()),
        };
        var cutShort = Done(7, "ResNet", ModelFamily.Deep, converged: false, configuration: RandomSampler.Draw(PublishedSearchSpaces.ResNetSpace, new Random(2)).ToJson(),
            rmse: 510);

        var first = Plan().Next(portfolio, TimeSpan.FromSeconds(300));
        var afterCutShort = Plan().Next([.. portfolio, cutShort, Done(8, "XGBoost", ModelFamily.Classical, configuration: xgboost())], TimeSpan.FromSeconds(300));

        Assert.Equal(("ResNet", true), (first!.Candidate.Name, first.Configuration is not null));
        Assert.Equal(("ResNet", true), (afterCutShort!.Candidate.Name, afterCutShort.Configuration is not null));
    }

    /// <summary>Keeps what it was shown and proposes at random.</summary>
    private sealed class Recording : ISampler
    {
        public IReadOnlyList<Observation> Seen { get; private set; } = [];

        public Configuration Propose(SearchSpace space, IReadOnlyList<Observation> history, Random random)
        {
            Seen = history;
            return RandomSampler.Draw(space, random);
        }
    }

    [Fact]
    public void The_sampler_sees_a_halved_trial_as_stopped_where_its_curve_ends_and_does_not_see_a_failed_one()
    {
        var configuration = RandomSampler.Draw(PublishedSearchSpaces.XGBoostSpace, new Random(1)).ToJson();
        var halved = new TrialRecord(3, "XGBoost", ModelFamily.Classical, configuration, 0, TrialStatus.Pruned, 1, "pruned at round 150 by successive halving: ...",
            [new FoldRecord(1, null, 1, 0, false, null, null, null) { LearningCurve = [.. Enumerable.Range(0, 150).Select(i => 20f - i / 8f)] }]);
        var failed = new TrialRecord(4, "XGBoost", ModelFamily.Classical, configuration, 0, TrialStatus.Failed, 1, "fold 1 failed: ...",
            [new FoldRecord(1, null, 1, 0, false, "failed: ...", null, null)]);
        var sampler = new Recording();
        var plan = new SearchPlan(Candidate.Named(["xgboost"]), Settings, TaskMetric.For(PredictionTask.Regression), sampler);

        plan.Next([Done(1, "XGBoost", ModelFamily.Classical), Done(2, "XGBoost", ModelFamily.Classical, configuration: configuration), halved, failed], null);

        Assert.Equal(2, sampler.Seen.Count);
        Assert.Equal((503.0, (int?)null), (sampler.Seen[0].Loss, sampler.Seen[0].StoppedAt));   // the mean of folds 501..505
        Assert.Equal((150, 1.375), (sampler.Seen[1].StoppedAt!.Value, sampler.Seen[1].Loss));   // the lowest loss of its curve, 20 − 149/8
    }
}
