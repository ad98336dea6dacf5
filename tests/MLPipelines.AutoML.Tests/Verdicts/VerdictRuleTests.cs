using MLPipelines.AutoML.Verdicts;
using MLPipelines.Trainers;

namespace MLPipelines.AutoML.Tests.Verdicts;

/// <summary>The verdict rule on constructed fold scores (accuracy, higher is better; 5 folds, n₂/n₁ = 1/4).</summary>
public class VerdictRuleTests
{
    private static readonly TaskMetric Accuracy = TaskMetric.For(PredictionTask.MulticlassClassification);
    private static readonly TaskMetric Rmse = TaskMetric.For(PredictionTask.Regression);
    private const double Ratio = 0.25;

    private static readonly Contender Trees = new("XGBoost", ModelFamily.Classical, [0.900, 0.905, 0.895, 0.910, 0.890], 2, 0.1);

    private static Contender Deep(params double[] scores) => new("TabM", ModelFamily.Deep, scores, 60, 1);

    [Fact]
    public void Significant_and_large_chooses_deep()
    {
        // +0.02 on every fold, ± 0.002: far beyond the 0.5% margin (0.0045) and significant.
        var verdict = VerdictRule.Decide(Trees, Deep(0.920, 0.927, 0.914, 0.929, 0.911), null, Accuracy, Ratio);

        Assert.Equal(VerdictOutcome.Deep, verdict.Outcome);
        Assert.Equal("TabM", verdict.Champion.Name);
        Assert.True(verdict.Deep!.Test.PValue < 0.05);
        Assert.StartsWith("Deep: TabM beats XGBoost by 0.0202 accuracy (95% CI", verdict.Sentence);
    }

    [Fact]
    public void Significant_but_inside_the_margin_keeps_classical()
    {
        // +0.002 on every fold with little spread: significant, but under the 0.0045 margin.
        var verdict = VerdictRule.Decide(Trees, Deep(0.902, 0.9071, 0.8969, 0.912, 0.8921), null, Accuracy, Ratio);

        Assert.Equal(VerdictOutcome.Classical, verdict.Outcome);
        Assert.True(verdict.Deep!.Significant);
        Assert.False(verdict.Deep.BeyondMargin);
        Assert.Contains("inside the margin of practical equivalence", verdict.Sentence);
    }

    [Fact]
    public void Large_but_not_significant_keeps_classical()
    {
        // Mean +0.01 (beyond the margin), but +0.06 on one fold and −0.03 on others.
        var verdict = VerdictRule.Decide(Trees, Deep(0.960, 0.875, 0.925, 0.880, 0.910), null, Accuracy, Ratio);

        Assert.Equal(VerdictOutcome.Classical, verdict.Outcome);
        Assert.True(verdict.Deep!.BeyondMargin);
        Assert.False(verdict.Deep.Significant);
        Assert.Contains("but not significantly", verdict.Sentence);
    }

    [Fact]
    public void Worse_deep_keeps_classical()
    {
        var verdict = VerdictRule.Decide(Trees, Deep(0.880, 0.885, 0.875, 0.890, 0.870), null, Accuracy, Ratio);

        Assert.Equal(VerdictOutcome.Classical, verdict.Outcome);
        Assert.Contains("TabM is not better (-0.02 accuracy", verdict.Sentence);
    }

    [Fact]
    public void Lower_is_better_metrics_are_oriented()
    {
        var trees = new Contender("XGBoost", ModelFamily.Classical, [540, 530, 550, 545, 535], 5, 0.2);
        var mlp = new Contender("MLP", ModelFamily.Deep, [520, 512, 531, 524, 514], 90, 1);

        var verdict = VerdictRule.Decide(trees, mlp, null, Rmse, Ratio);

        Assert.Equal(VerdictOutcome.Deep, verdict.Outcome);
        Assert.Equal(19.8, verdict.Deep!.Test.MeanDifference, 9);
        Assert.Equal(0.005 * 540, verdict.Margin, 9);
    }

    [Fact]
    public void An_ensemble_that_beats_both_is_chosen_and_one_that_only_ties_deep_is_not()
    {
        var deep = Deep(0.920, 0.927, 0.914, 0.929, 0.911);
        var better = new Contender("Ensemble", ModelFamily.Ensemble, [0.940, 0.946, 0.935, 0.950, 0.931], 62, 1.1);
        var tie = new Contender("Ensemble", ModelFamily.Ensemble, [0.921, 0.926, 0.915, 0.928, 0.912], 62, 1.1);

        var chosen = VerdictRule.Decide(Trees, deep, better, Accuracy, Ratio);
        var notChosen = VerdictRule.Decide(Trees, deep, tie, Accuracy, Ratio);

        Assert.Equal(VerdictOutcome.Ensemble, chosen.Outcome);
        Assert.StartsWith("Ensemble: Ensemble beats XGBoost by", chosen.Sentence);
        Assert.Equal(VerdictOutcome.Deep, notChosen.Outcome);
        Assert.True(notChosen.Ensemble!.Wins);
    }

    [Fact]
    public void An_ensemble_beats_classical_when_deep_alone_does_not()
    {
        var deep = Deep(0.902, 0.9071, 0.8969, 0.912, 0.8921);
        var ensemble = new Contender("Ensemble", ModelFamily.Ensemble, [0.915, 0.921, 0.909, 0.926, 0.905], 62, 1.1);

        Assert.Equal(VerdictOutcome.Ensemble, VerdictRule.Decide(Trees, deep, ensemble, Accuracy, Ratio).Outcome);
    }

    [Fact]
    public void A_deep_model_stopped_by_the_budget_that_wins_all_the_same_is_chosen()
    {
        // Its folds score it as it is refitted (within a time limit in the same proportion): a win is a win.
        var cutWinner = Deep(0.920, 0.927, 0.914, 0.929, 0.911) with { Converged = false, NeededSeconds = 1800 };
        var ensemble = new Contender("Ensemble", ModelFamily.Ensemble, [0.950, 0.957, 0.944, 0.959, 0.941], 62, 1.1);

        var verdict = VerdictRule.Decide(Trees, cutWinner, ensemble, Accuracy, Ratio);

        Assert.Equal(VerdictOutcome.Deep, verdict.Outcome);
        Assert.Equal("TabM", verdict.Champion.Name);
        Assert.Null(verdict.Ensemble);
        Assert.EndsWith("more than the margin (0.0045), though the budget stopped it before it converged.", verdict.Sentence);
    }

    [Fact]
    public void A_deep_model_stopped_by_the_budget_that_does_not_win_is_not_judged()
    {
        var unconverged = Deep(0.80, 0.81, 0.79, 0.80, 0.82) with { Converged = false, NeededSeconds = 1800 };

        var verdict = VerdictRule.Decide(Trees, unconverged, null, Accuracy, Ratio);

        Assert.Equal(VerdictOutcome.DeepNotJudged, verdict.Outcome);
        Assert.Equal("XGBoost", verdict.Champion.Name);
        Assert.StartsWith("Deep not judged: budget too small", verdict.Sentence);
        Assert.Contains("at least 30 min would be needed here; as it was, TabM is not better (-0.096 accuracy", verdict.Sentence);
    }

    [Fact]
    public void Bad_settings_are_refused()
    {
        Assert.Throws<ArgumentException>(() => VerdictRule.Decide(Trees, null, null, Accuracy, Ratio, new VerdictSettings(Alpha: 1.5)));
        Assert.Throws<ArgumentException>(() => VerdictRule.Decide(Trees, Deep(0.9, 0.9), null, Accuracy, Ratio));
    }
}
