using Microsoft.ML;
using MLPipelines.Tests;
using MLPipelines.Trainers;
using MLPipelines.Transforms;
using MLPipelines.XGBoost;
using MLPipelines.XGBoost.Training;
using Xunit.Abstractions;

namespace MLPipelines.Onnx.Tests;

/// <summary>XGBoost pipelines (featurizer + trees, forests, linear models) exported and scored by ML.NET's ApplyOnnxModel, against the pipeline itself.</summary>
public sealed class XGBoostExportTests(ITestOutputHelper output)
{
    private readonly MLContext _ml = new(seed: 1);

    private XGBoostTrainer Trainer(string kind, PredictionTask task, string label) => (kind, task) switch
    {
        ("trees", PredictionTask.Regression) => _ml.Regression.Trainers.XGBoost(label),
        ("trees", PredictionTask.BinaryClassification) => _ml.BinaryClassification.Trainers.XGBoost(label),
        ("trees", _) => _ml.MulticlassClassification.Trainers.XGBoost(label),
        ("forest", PredictionTask.Regression) => _ml.Regression.Trainers.XGBoostRandomForest(label),
        ("forest", PredictionTask.BinaryClassification) => _ml.BinaryClassification.Trainers.XGBoostRandomForest(label),
        ("forest", _) => _ml.MulticlassClassification.Trainers.XGBoostRandomForest(label),
        (_, PredictionTask.Regression) => _ml.Regression.Trainers.XGBoostLinear(label),
        (_, PredictionTask.BinaryClassification) => _ml.BinaryClassification.Trainers.XGBoostLinear(label),
        _ => _ml.MulticlassClassification.Trainers.XGBoostLinear(label),
    };

    /// <summary>
    /// Every row scored (including rows with a missing value in each column and unseen
    /// categories) gets the same predicted label and the same score up to float rounding of
    /// the sums (ONNX Runtime adds the leaf values, and a linear model's products, in another
    /// order than XGBoost): diamonds (category splits), credit_data (missing values),
    /// LetterRecognition (26 classes) and penguins (missing values, categories, 3 classes). The
    /// bound: float rounding of a sum of n leaves near the score s is up to n · ulp(s) / 2 on each
    /// side — for the forest's 100 trees on diamonds, measured 7.5e-6 of the score, well inside
    /// 2e-5; a leaf reached wrongly moves it by a leaf, a hundredth of the score or more.
    /// </summary>
    [Theory]
    [InlineData("diamonds", "trees", 1000, 2000)]
    [InlineData("credit_data", "trees", 1000, 2000)]
    [InlineData("LetterRecognition", "trees", 600, 1000)]
    [InlineData("penguins", "trees", 344, 344)]
    [InlineData("diamonds", "forest", 1000, 2000)]
    [InlineData("penguins", "forest", 344, 344)]
    [InlineData("diamonds", "linear", 1000, 2000)]
    [InlineData("credit_data", "linear", 1000, 2000)]
    [InlineData("penguins", "linear", 344, 344)]
    public void Exported_model_scores_every_row_as_the_pipeline_does(string dataset, string kind, int trainRows, int scoreRows)
    {
        var (train, score, label, task) = Parity.Data(_ml, dataset, trainRows, scoreRows);
        var trainer = Trainer(kind, task, label);
        var model = _ml.Transforms.FeaturizeFor(trainer).Append(trainer).Fit(train);
        var worst = Parity.Compare(_ml, model, train, score, task, output);
        Assert.True(worst < 2e-5, $"largest relative difference {worst:E2}");
    }

    /// <summary>
    /// Trees that never split (no child can hold that much hessian weight) are single leaves:
    /// each is written as one node whose both branches reach its leaf, and the export gives the
    /// model's one constant prediction.
    /// </summary>
    [Fact]
    public void Trees_that_are_one_leaf_export_as_their_value()
    {
        var (train, score, label, task) = Parity.Data(_ml, "concrete", 300, 400);
        var trainer = _ml.Regression.Trainers.XGBoost(new GradientBoostedTreesOptions { LabelColumnName = label, MinChildWeight = 1e9, MaxRounds = 3, EarlyStoppingRounds = null });
        var model = _ml.Transforms.FeaturizeFor(trainer).Append(trainer).Fit(train);
        Assert.Single(ScoredColumns.Scores(model.Transform(score)).Select(s => s[0]).Distinct());
        Assert.True(Parity.Compare(_ml, model, train, score, task, output) < 1e-6);
    }
}
