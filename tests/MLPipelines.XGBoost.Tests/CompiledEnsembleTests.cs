using Microsoft.ML;
using MLPipelines.Tests;
using MLPipelines.Trainers;
using MLPipelines.XGBoost.Training;

namespace MLPipelines.XGBoost.Tests;

/// <summary>The compiled single-row path against XGBoost's own prediction, on every row of real data.</summary>
public sealed class CompiledEnsembleTests
{
    private readonly MLContext _ml = new(seed: 9);

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
        var (data, label, task) = TestData.Prepared(_ml, dataset);
        XGBoostTrainer trainer = kind switch
        {
            "gbt" => new GradientBoostedTreesTrainer(task, new GradientBoostedTreesOptions { LabelColumnName = label, MaxRounds = 200, EarlyStoppingRounds = null }, 1),
            "rf" => new RandomForestTrainer(task, new RandomForestOptions { LabelColumnName = label, Trees = 50 }, 1),
            _ => new LinearModelTrainer(task, new LinearModelOptions { LabelColumnName = label }, 1),
        };
        var featurized = _ml.Transforms.FeaturizeFor(trainer).Fit(data).Transform(data);
        var model = trainer.Fit(featurized).Model;
        var rows = TrainingData.Read(featurized, task, trainer.Columns, _ => kind == "linear" ? CategoricalTreatment.OneHot : CategoricalTreatment.Code, "test").Features;
        Assert.Equal(model.Layout.FeatureNames, rows.FeatureNames);
        if (dataset != "ames" && kind != "linear") Assert.Contains(rows.Values, float.IsNaN);   // missing values reach the trees
        using var matrix = DMatrix.FromDense(rows.Values, rows.Rows, rows.Width);
        var expected = model.Booster.Predict(matrix, margin: task == PredictionTask.BinaryClassification);
        var compiled = new Inference.CompiledEnsemble(model.Booster.Save("json"));
        var output = new float[compiled.OutputCount];
        var largest = 0.0;
        for (var row = 0; row < rows.Rows; row++)
        {
            compiled.PredictRow(rows.Row(row), output, margin: task == PredictionTask.BinaryClassification);
            for (var k = 0; k < output.Length; k++)
            {
                var reference = expected[row * output.Length + k];
                largest = Math.Max(largest, Math.Abs(output[k] - reference) / Math.Max(1, Math.Abs(reference)));
            }
        }
        Assert.True(largest <= 1e-5, $"largest relative difference {largest:G3}");
    }
}
