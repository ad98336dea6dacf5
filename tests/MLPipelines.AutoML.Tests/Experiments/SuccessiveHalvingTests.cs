using MLPipelines.AutoML.Experiments;
using MLPipelines.AutoML.Trials;

namespace MLPipelines.AutoML.Tests.Experiments;

/// <summary>The rung rule of successive halving on constructed values and curves.</summary>
public sealed class SuccessiveHalvingTests
{
    private static readonly SuccessiveHalving Rule = SuccessiveHalving.Epochs;   // η = 3

    [Fact]
    public void Rungs_are_the_minimum_resource_times_powers_of_eta()
    {
        Assert.Equal([4, 12, 36, 108], Enumerable.Range(1, 200).Where(SuccessiveHalving.Epochs.IsRung));
        Assert.Equal([50, 150, 450, 1350], Enumerable.Range(1, 2000).Where(SuccessiveHalving.Rounds.IsRung));
    }

    [Fact]
    public void No_decision_with_fewer_than_eta_earlier_values()
    {
        Assert.Null(Rule.Decide(9.0, [], higherIsBetter: false));
        Assert.Null(Rule.Decide(9.0, [0.1, 0.2], higherIsBetter: false));
        Assert.NotNull(Rule.Decide(9.0, [0.1, 0.2, 0.3], higherIsBetter: false));
    }

    [Theory]
    // Three earlier values: of the four trials at the rung one goes on, so only a value at least as good as the best earlier one.
    [InlineData(new[] { 0.30, 0.40, 0.50 }, 0.45, true)]
    [InlineData(new[] { 0.30, 0.40, 0.50 }, 0.31, true)]
    [InlineData(new[] { 0.30, 0.40, 0.50 }, 0.30, false)]   // equal to the best: in its favour
    [InlineData(new[] { 0.30, 0.40, 0.50 }, 0.25, false)]
    // Seven earlier values: of eight, two go on: one earlier value may be ahead, not two.
    [InlineData(new[] { 0.60, 0.30, 0.45, 0.35, 0.55, 0.40, 0.50 }, 0.33, false)]
    [InlineData(new[] { 0.60, 0.30, 0.45, 0.35, 0.55, 0.40, 0.50 }, 0.36, true)]
    [InlineData(new[] { 0.60, 0.30, 0.45, 0.35, 0.55, 0.40, 0.50 }, double.NaN, true)]   // diverged: the worst
    public void Lower_is_better_a_trial_outside_the_best_third_is_pruned(double[] earlier, double value, bool pruned)
    {
        Assert.Equal(pruned, Rule.Decide(value, earlier, higherIsBetter: false)!.Prune);
    }

    [Theory]
    [InlineData(0.95, false, true)]   // the best AUC, the worst loss
    [InlineData(0.65, true, false)]   // the worst AUC, the best loss
    [InlineData(0.85, true, true)]    // behind 0.9 as an AUC, behind 0.8 and 0.7 as a loss
    public void Higher_is_better_turns_the_order(double value, bool prunedAsHigherBetter, bool prunedAsLowerBetter)
    {
        double[] earlier = [0.9, 0.8, 0.7];

        Assert.Equal(prunedAsHigherBetter, Rule.Decide(value, earlier, higherIsBetter: true)!.Prune);
        Assert.Equal(prunedAsLowerBetter, Rule.Decide(value, earlier, higherIsBetter: false)!.Prune);
    }

    [Fact]
    public void A_decision_says_how_many_reached_the_rung_how_many_go_on_and_the_best()
    {
        var decision = Rule.Decide(0.36, [0.60, 0.30, 0.45, 0.35, 0.55, 0.40, 0.50], higherIsBetter: false)!;

        Assert.Equal(new RungDecision(true, 8, 2, 0.30), decision);
        Assert.Equal(0.9, Rule.Decide(0.5, [0.9, 0.8, 0.7], higherIsBetter: true)!.Best);
    }

    [Fact]
    public void The_value_at_a_rung_is_the_lowest_loss_so_far_of_the_curve()
    {
        float[] curve = [0.5f, 0.4f, float.NaN, 0.6f, 0.3f];

        Assert.Equal(0.4f, (float)SuccessiveHalving.BestSoFar(curve, 4)!.Value);
        Assert.Equal(0.3f, (float)SuccessiveHalving.BestSoFar(curve, 5)!.Value);
        Assert.Null(SuccessiveHalving.BestSoFar(curve, 6));   // it never got there
        Assert.True(double.IsNaN(SuccessiveHalving.BestSoFar([float.NaN, float.NaN], 2)!.Value));
    }

    [Theory]
    [InlineData("rmse", false)]
    [InlineData("log-loss", false)]
    [InlineData("logloss", false)]
    [InlineData("mlogloss", false)]
    [InlineData("error", false)]
    [InlineData("auc", true)]
    [InlineData("aucpr", true)]
    [InlineData("ndcg@5", true)]
    [InlineData("map", true)]
    public void The_direction_of_the_trainers_validation_metrics(string metric, bool higherIsBetter)
    {
        Assert.Equal(higherIsBetter, SuccessiveHalving.HigherIsBetter(metric));
        Assert.Equal(higherIsBetter ? -0.8 : 0.8, SuccessiveHalving.Loss(0.8, metric));   // curves are kept as losses
    }

    private static TrialRecord Tuned(int number, float[] firstFoldCurve, string candidate = "MLP", string? configuration = "{}") =>
        new(number, candidate, ModelFamily.Deep, configuration, 0, TrialStatus.Completed, 1, null,
            [new FoldRecord(1, 0.5, 1, 0.1, true, null, null, null) { LearningCurve = firstFoldCurve }, new FoldRecord(2, 0.5, 1, 0.1, true, null, null, null)]);

    private static float[] Flat(float value, int epochs) => Enumerable.Repeat(value, epochs).ToArray();

    [Fact]
    public void A_first_fold_is_compared_with_the_first_folds_of_the_same_candidates_earlier_tuned_trials()
    {
        List<TrialRecord> history =
        [
            Tuned(1, Flat(0.1f, 40), configuration: null),   // the defaults: not compared with
            Tuned(2, Flat(0.3f, 40)), Tuned(3, Flat(0.4f, 40)),
            Tuned(4, Flat(0.1f, 40), candidate: "ResNet"),   // another candidate
            Tuned(5, Flat(0.5f, 12)),                        // pruned at epoch 12: counts at 4 and 12, not at 36
        ];
        var halving = FirstFoldHalving.For("MLP", history);

        Assert.Null(halving.Check(Rule, Flat(0.45f, 3), "log-loss"));    // not a rung
        Assert.Null(halving.Check(Rule, Flat(0.25f, 4), "log-loss"));    // the best of four
        var note = halving.Check(Rule, Flat(0.45f, 12), "log-loss");
        Assert.Equal("pruned at epoch 12 by successive halving: validation log-loss 0.45 not in the best third (1 of 4) of this model's tuned trials at that epoch (best 0.3)", note);
        Assert.Null(halving.Check(Rule, Flat(0.45f, 36), "log-loss"));   // two earlier trials reached epoch 36: no decision
    }

    [Fact]
    public void A_note_gives_a_metric_better_higher_as_the_trainer_reported_it()
    {
        // Losses of an AUC curve: the AUCs negated.
        var halving = FirstFoldHalving.For("MLP", [Tuned(1, Flat(-0.9f, 4)), Tuned(2, Flat(-0.8f, 4)), Tuned(3, Flat(-0.7f, 4))]);

        Assert.Null(halving.Check(Rule, Flat(-0.95f, 4), "auc"));
        Assert.Equal("pruned at epoch 4 by successive halving: validation auc 0.85 not in the best third (1 of 4) of this model's tuned trials at that epoch (best 0.9)",
            halving.Check(Rule, Flat(-0.85f, 4), "auc"));
    }
}
