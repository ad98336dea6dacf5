using MLPipelines.Data;
using MLPipelines.Tests;
using MLPipelines.Trainers;
using MLPipelines.Transforms;
using MLPipelines.XGBoost.Training;

namespace MLPipelines.XGBoost.Tests;

/// <summary>The compiled single-row path against XGBoost's own prediction, on every row of real data.</summary>
public sealed class CompiledEnsembleTests
{
    private readonly MLPipelinesContext _ml = new(seed: 9);

    /// <summary>Datasets with categorical splits and missing values, for each task and booster.</summary>
    [Theory]
    [InlineData("ames", "gbt")]             // regression, 40 categorical columns
    [InlineData("credit_data", "gbt")]      // binary, missing numbers and categories
    [InlineData("credit_data", "rf")]
    [InlineData("credit_data", "linear")]
    [InlineData("penguins", "gbt")]         // multiclass, missing values
    [InlineData("penguins", "linear")]
    public void Compiled_predictions_agree_with_xgboost_on_every_row(string dataset, string kind)
    {
        var data = TestData.Load(dataset);
        var label = TestData.Manifest()[dataset].Target;
        var task = TestData.Manifest()[dataset].Task switch { "regression" => PredictionTask.Regression, "binary" => PredictionTask.BinaryClassification, _ => PredictionTask.MulticlassClassification };
        XGBoostTrainer trainer = kind switch
        {
            "gbt" => new GradientBoostedTreesTrainer(task, new GradientBoostedTreesOptions { MaxRounds = 200, EarlyStoppingRounds = null }, 1),
            "rf" => new RandomForestTrainer(task, new RandomForestOptions { Trees = 50 }, 1),
            _ => new LinearModelTrainer(task, new LinearModelOptions(), 1),
        };
        var featurized = _ml.Transforms.Featurize(label, trainer.RecommendedFeaturization).Fit(data).Transform(data);
        if (dataset != "ames" && kind != "linear") Assert.Contains(featurized.Features, float.IsNaN);   // missing values reach the trees
        using var model = trainer.Fit(featurized);
        using var matrix = DMatrix.FromDense(featurized.Features, featurized.RowCount, featurized.FeatureCount);
        var expected = model.Booster.Predict(matrix);
        var outputs = expected.Length / featurized.RowCount;
        var output = new float[outputs];
        var largest = 0.0;
        for (var row = 0; row < featurized.RowCount; row++)
        {
            Assert.Equal(outputs, model.PredictRow(featurized.Row(row), output));
            for (var k = 0; k < outputs; k++)
            {
                var reference = expected[row * outputs + k];
                largest = Math.Max(largest, Math.Abs(output[k] - reference) / Math.Max(1, Math.Abs(reference)));
            }
        }
        Assert.True(largest <= 1e-5, $"largest relative difference {largest:G3}");
    }
}
