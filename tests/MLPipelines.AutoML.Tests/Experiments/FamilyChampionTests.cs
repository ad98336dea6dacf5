using MLPipelines.AutoML.Experiments;
using MLPipelines.AutoML.Trials;
using MLPipelines.Trainers;

namespace MLPipelines.AutoML.Tests.Experiments;

/// <summary>The family's representative: the best mean, or a near-equal scored on more of the verdict's repetitions, or one that predicts in at most half the time.</summary>
public sealed class FamilyChampionTests
{
    private static readonly ExperimentSettings Settings = new("y", PredictionTask.BinaryClassification) { MaxTrials = 10, Folds = 5 };
    private static readonly TaskMetric Auc = TaskMetric.For(PredictionTask.BinaryClassification);

    private static TrialRecord Trial(int number, string name, double[] scores, double predictSeconds, bool converged = true) =>
        new(number, name, ModelFamily.Classical, null, 0, TrialStatus.Completed, 10, null,
            scores.Select((s, i) => new FoldRecord(i + 1, s, 1, predictSeconds, converged, null, null, null)).ToList());

    private static readonly double[] Best = [0.840, 0.852, 0.835, 0.846, 0.849];

    [Fact]
    public void A_near_equal_that_predicts_in_half_the_time_is_chosen()
    {
        var trees = Trial(1, "XGBoost", Best, 1.0);
        var linear = Trial(2, "Linear", [0.842, 0.848, 0.836, 0.844, 0.847], 0.1);   // 0.001 lower on average: inside the 0.5% margin, not significant

        Assert.Equal("Linear", FamilyChampion.Choose([trees, linear], ModelFamily.Classical, Settings, Auc)!.Candidate);
    }

    [Fact]
    public void A_near_equal_only_slightly_cheaper_is_not()
    {
        var trees = Trial(1, "XGBoost", Best, 1.0);
        var linear = Trial(2, "Linear", [0.842, 0.848, 0.836, 0.844, 0.847], 0.8);

        Assert.Equal("XGBoost", FamilyChampion.Choose([trees, linear], ModelFamily.Classical, Settings, Auc)!.Candidate);
    }

    [Fact]
    public void A_cheaper_model_worse_by_more_than_the_margin_is_not()
    {
        var trees = Trial(1, "XGBoost", Best, 1.0);
        var linear = Trial(2, "Linear", [0.830, 0.838, 0.826, 0.833, 0.837], 0.1);   // 0.0114 lower: beyond the margin (0.0042)

        Assert.Equal("XGBoost", FamilyChampion.Choose([trees, linear], ModelFamily.Classical, Settings, Auc)!.Candidate);
    }

    [Fact]
    public void Of_near_equals_a_converged_deep_model_comes_first_but_one_the_budget_cut_short_that_is_better_by_more_stands()
    {
        TrialRecord Deep(int number, string name, double[] scores, bool converged) =>
            Trial(number, name, scores, 1, converged) with { Family = ModelFamily.Deep };
        var converged = Deep(2, "MLP", Best, converged: true);
        var cutNearEqual = Deep(1, "TabM", [0.842, 0.851, 0.839, 0.845, 0.852], converged: false);   // 0.0014 higher: inside the margin (0.0042), not significant
        var cutBetter = Deep(3, "MLP (fine-tuned)", [0.86, 0.87, 0.86, 0.87, 0.86], converged: false);

        Assert.Equal("MLP", FamilyChampion.Choose([cutNearEqual, converged], ModelFamily.Deep, Settings, Auc)!.Candidate);
        Assert.Equal("MLP (fine-tuned)", FamilyChampion.Choose([cutNearEqual, converged, cutBetter], ModelFamily.Deep, Settings, Auc)!.Candidate);
        Assert.Equal("TabM", FamilyChampion.Choose([cutNearEqual], ModelFamily.Deep, Settings, Auc)!.Candidate);
    }

    /// <summary>The trial with a repetition of k-fold (folds 6–10) added: slower to predict, the last fold cut short by its time limit.</summary>
    private static TrialRecord Repeated(TrialRecord trial) => trial with
    {
        Folds = [.. trial.Folds, .. Best.Select((s, i) => new FoldRecord(6 + i, s, 1, 10.0, i < 4, null, null, null))],
    };

    [Fact]
    public void A_repetition_of_the_verdict_does_not_change_the_champion_it_repeated()
    {
        // Before the repetition ResNet is not cheap enough to replace the MLP (0.6 s vs 1.0 s); averaged with the
        // repetition's slow folds the MLP would predict in 5.5 s, and its cut fold would have taken it out of the pool.
        var mlp = Repeated(Trial(1, "MLP", Best, 1.0) with { Family = ModelFamily.Deep });
        var resnet = Trial(2, "ResNet", [0.842, 0.848, 0.836, 0.844, 0.847], 0.6) with { Family = ModelFamily.Deep };

        Assert.True(mlp.Converged(Settings.Folds));
        Assert.Equal("MLP", FamilyChampion.Choose([mlp, resnet], ModelFamily.Deep, Settings, Auc)!.Candidate);
    }

    [Theory]
    [InlineData(0.001, "LightGbm #27")]   // inside the 0.5% margin (0.0042) on the search's folds: the repeated champion stays
    [InlineData(0.010, "LightGbm #55")]   // beyond it: the newcomer leads by more than the repetitions could take back
    public void In_the_last_decision_a_trial_too_late_for_its_repetitions_replaces_the_repeated_champion_only_beyond_the_margin(double lead, string champion)
    {
        var repeated = Repeated(Trial(27, "LightGbm #27", Best, 1.0));
        double[] jitter = [0.004, -0.004, 0.002, -0.003, 0.001];   // fold to fold, as two models' scores differ
        var late = Trial(55, "LightGbm #55", Best.Select((s, i) => s + lead + jitter[i]).ToArray(), 1.0);

        Assert.Equal(champion, FamilyChampion.Choose([repeated, late], ModelFamily.Classical, Settings, Auc, preferRepeated: true)!.Candidate);
        // Before the last decision the better trial stands, so that the repetitions catch it up where time is left.
        Assert.Equal("LightGbm #55", FamilyChampion.Choose([repeated, late], ModelFamily.Classical, Settings, Auc)!.Candidate);
    }

    [Fact]
    public void Where_the_champion_is_not_the_best_on_the_search_folds_the_reason_is_given()
    {
        double[] jitter = [0.004, -0.004, 0.002, -0.003, 0.001];
        var repeated = Repeated(Trial(27, "LightGbm #27", Best, 1.0));
        var late = Trial(55, "LightGbm #55", Best.Select((s, i) => s + 0.001 + jitter[i]).ToArray(), 1.0);
        var trees = Trial(1, "XGBoost", Best, 1.0);
        var linear = Trial(2, "Linear", [0.842, 0.848, 0.836, 0.844, 0.847], 0.1);

        Assert.Equal("LightGbm #27 stands for the classical family: LightGbm #55 is ahead on the search's folds by 0.001 AUC, inside the margin "
                     + "and not significantly, and was scored on fewer of the verdict's repetitions of k-fold (1 against 2)",
            FamilyChampion.Explain([repeated, late], ModelFamily.Classical, Settings, Auc));
        Assert.Equal("Linear stands for the classical family: XGBoost is ahead on the search's folds by 0.001 AUC, inside the margin "
                     + "and not significantly, and takes at least twice as long to predict",
            FamilyChampion.Explain([trees, linear], ModelFamily.Classical, Settings, Auc));
        var even = Trial(55, "LightGbm #55", Best, 1.0);
        var evenRepeated = Repeated(Trial(56, "LightGbm #56", Best, 1.0));
        Assert.Equal("LightGbm #56 stands for the classical family: LightGbm #55 scores the same on the search's folds and was scored on fewer "
                     + "of the verdict's repetitions of k-fold (1 against 2)",
            FamilyChampion.Explain([even, evenRepeated], ModelFamily.Classical, Settings, Auc));
        var slightly = Trial(55, "LightGbm #55", Best.Select((s, i) => s + (i == 0 ? 0.00017 : 0)).ToArray(), 1.0);
        Assert.Contains("LightGbm #55 is ahead on the search's folds by 0.000034 AUC",
            FamilyChampion.Explain([repeated, slightly], ModelFamily.Classical, Settings, Auc));
        // attrition, 2 minutes: MLP #15 tops the leaderboard, but its time limit cut two of its folds; the converged defaults stand.
        // 0.001 ahead on average, unevenly: a near-equal (a steady lead is significant, however small).
        double[] ahead = [0.003, -0.001, 0.002, -0.001, 0.002];
        var cut = Trial(15, "MLP #15", Best.Select((s, i) => s + ahead[i]).ToArray(), 1.0) with { Family = ModelFamily.Deep };
        cut = cut with { Folds = cut.Folds.Select(f => f.Fold is 3 or 4 ? f with { Converged = false } : f).ToList() };
        var converged = Trial(6, "MLP", Best, 1.0) with { Family = ModelFamily.Deep };
        Assert.Equal("MLP stands for the deep family: MLP #15 is ahead on the search's folds by 0.001 AUC, inside the margin and not significantly, "
                     + "and its time limit cut 2 of its 5 folds (of near-equals, a deep model that converged judges its family)",
            FamilyChampion.Explain([converged, cut], ModelFamily.Deep, Settings, Auc));
        Assert.Null(FamilyChampion.Explain([repeated], ModelFamily.Classical, Settings, Auc));
        Assert.Null(FamilyChampion.Explain([repeated, late], ModelFamily.Deep, Settings, Auc));
    }
}
