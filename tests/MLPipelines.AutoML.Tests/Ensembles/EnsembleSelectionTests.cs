using MLPipelines.AutoML.Ensembles;
using MLPipelines.AutoML.Experiments;
using MLPipelines.AutoML.Trials;
using MLPipelines.Trainers;

namespace MLPipelines.AutoML.Tests.Ensembles;

/// <summary>Ensemble selection and its cross-fitting on constructed predictions, where the right answer is known.</summary>
public sealed class EnsembleSelectionTests
{
    private static readonly TaskMetric Rmse = TaskMetric.For(PredictionTask.Regression);

    [Fact]
    public void Two_models_with_opposite_errors_share_the_weight_and_a_useless_one_gets_none()
    {
        var labels = Enumerable.Range(0, 200).Select(i => (float)Math.Sin(i)).ToArray();
        // a errs by +e, b by −e on every row: their average is exact. c predicts 5 everywhere.
        var errors = Enumerable.Range(0, 200).Select(i => 0.3f * (i % 3 - 1) + 0.2f).ToArray();
        var a = labels.Select((y, i) => y + errors[i]).ToArray();
        var b = labels.Select((y, i) => y - errors[i]).ToArray();
        var c = labels.Select(_ => 5f).ToArray();

        var counts = EnsembleSelection.Select([a, b, c], labels, PredictionTask.Regression, Rmse, steps: 20);

        Assert.Equal([10, 10, 0], counts);
        var blend = EnsembleSelection.Blend([a, b, c], [0.5, 0.5, 0]);
        Assert.True(PredictionMetric.Compute(PredictionTask.Regression, blend, labels) < 1e-6);
    }

    [Fact]
    public void A_model_no_blend_improves_takes_every_step_even_where_adding_another_ties()
    {
        var labels = new float[] { 0, 1, 0, 1, 1, 0, 1, 0 };
        var perfect = new float[] { 0.1f, 0.9f, 0.2f, 0.8f, 0.7f, 0.3f, 0.6f, 0.4f };
        var reversed = perfect.Select(p => 1 - p).ToArray();

        // After two steps of "perfect", adding "reversed" keeps the ranking (AUC 1 either way): ties go to the earlier,
        // better model, so the worse one is never taken in.
        var counts = EnsembleSelection.Select([perfect, reversed], labels, PredictionTask.BinaryClassification, TaskMetric.For(PredictionTask.BinaryClassification));

        Assert.Equal([EnsembleSelection.DefaultSteps, 0], counts);
    }

    [Fact]
    public void Area_under_the_curve_counts_ties_as_half_and_accuracy_takes_the_first_of_tied_classes()
    {
        // Positive scores 0.8 and 0.5, negatives 0.5 and 0.2: pairs (0.8>0.5, 0.8>0.2, 0.5=0.5, 0.5>0.2) → 3.5 of 4.
        Assert.Equal(0.875, PredictionMetric.Compute(PredictionTask.BinaryClassification, [0.8f, 0.5f, 0.5f, 0.2f], [1, 1, 0, 0]), 12);
        // Row 1: tie between classes 0 and 1 → 0 (right); row 2: class 2 (wrong, label 1).
        Assert.Equal(0.5, PredictionMetric.Compute(PredictionTask.MulticlassClassification, [0.4f, 0.4f, 0.2f, 0.1f, 0.2f, 0.7f], [0, 1]), 12);
    }

    [Fact]
    public void Cross_fitted_fold_scores_are_chosen_without_the_fold_they_score()
    {
        // Three folds of 50 rows. "Steady" errs by ±3 on fold 1 and ±1 on folds 2 and 3; "lucky" is exact on fold 1 and
        // errs three times as much as steady, in the same direction, on folds 2 and 3.
        var labels = Enumerable.Range(0, 3).Select(f => Enumerable.Range(0, 50).Select(i => (float)(i + 100 * f)).ToArray()).ToArray();
        float Error(int fold, int row) => (row % 2 == 0 ? 1f : -1f) * (fold == 0 ? 3 : 1);
        var steady = Trial(1, ModelFamily.Classical, labels.Select((l, f) => l.Select((y, i) => y + Error(f, i)).ToArray()).ToArray());
        var lucky = Trial(2, ModelFamily.Deep, labels.Select((l, f) => l.Select((y, i) => f == 0 ? y : y + 3 * Error(f, i)).ToArray()).ToArray());
        var settings = new ExperimentSettings("y", PredictionTask.Regression) { Folds = 3, MaxTrials = 2 };

        var ensemble = CrossFittedEnsemble.Build([steady, lucky], labels, settings, Rmse);

        // On all three folds the selection mixes the two (lucky's fold 1 pulls it in), so an ensemble is formed...
        Assert.NotNull(ensemble);
        Assert.Equal(2, ensemble!.Members.Count);
        // ...but fold 1 is scored with weights chosen on folds 2 and 3, where any share of lucky hurts: steady alone, RMSE 3.
        // Weights chosen on all folds would score about 2.1 there.
        Assert.Equal(3.0, ensemble.FoldScores[0], 5);
        Assert.True(ensemble.FoldScores[1] > 1, "on fold 2 the weights come from folds 1 and 3, which take some of lucky");
    }

    private static TrialRecord Trial(int number, ModelFamily family, float[][] predictions) =>
        new(number, $"model {number}", family, null, 0, TrialStatus.Completed, 1, null,
            predictions.Select((p, f) => new FoldRecord(f + 1, 0, 1, 0.1, true, null, 1, p)).ToList());
}
