using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Ensembles;
using MLPipelines.Tests;
using MLPipelines.Trainers;

namespace MLPipelines.AutoML.Tests.Ensembles;

/// <summary>A weighted ensemble of two real pipelines (ML.NET's linear model and XGBoost) as an ML.NET transformer: its blend, ML.NET's evaluators, and its model file.</summary>
public sealed class WeightedEnsembleTransformerTests
{
    [Theory]
    [InlineData("concrete")]
    [InlineData("sklearn_breast_cancer")]
    [InlineData("penguins")]
    public void Blends_the_members_predictions_is_evaluated_by_MLNET_and_survives_its_model_file(string dataset)
    {
        var ml = new MLContext(seed: 1);
        var (data, label, task) = TestData.Prepared(ml, dataset);
        var settings = new CandidateSettings(ml, task, label, 1, 1, null, null, CancellationToken.None);
        var members = Candidate.Named(["linear", "xgboost"]).Select(c => c.CreatePipeline(settings).Fit(data)).ToList();
        using var ensemble = new WeightedEnsembleTransformer(task, members, [0.25, 0.75]);

        var scored = ensemble.Transform(data);

        var blended = Blended(task, scored);
        var expected = Blend(task, members.Select(m => Blended(task, m.Transform(data))).ToList(), [0.25, 0.75]);
        Assert.Equal(expected.Length, blended.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], blended[i], 1e-5 * Math.Max(1, Math.Abs(expected[i])));
        if (task == PredictionTask.MulticlassClassification)
        {
            // The predicted class is the highest blended score.
            var classes = ((VectorDataViewType)scored.Schema[PredictionColumns.Score].Type).Size;
            var predicted = scored.GetColumn<uint>(PredictionColumns.PredictedLabel).ToArray();
            for (var row = 0; row < predicted.Length; row++)
                Assert.Equal(Array.IndexOf(blended, blended.Skip(row * classes).Take(classes).Max(), row * classes) - row * classes + 1, (int)predicted[row]);
        }
        var metric = TaskMetric.Evaluate(ml, task, scored, label);
        Assert.True(double.IsFinite(metric), $"ML.NET's evaluator read the ensemble's columns: {metric}");

        var path = Path.Combine(TestData.TemporaryDirectory(), "ensemble.zip");
        ml.Model.Save(ensemble, data.Schema, path);
        var loaded = new MLContext(seed: 2).Model.Load(path, out _);
        Assert.IsType<WeightedEnsembleTransformer>(loaded);
        Assert.Equal(blended, Blended(task, loaded.Transform(data)));
        (loaded as IDisposable)?.Dispose();
    }

    [Fact]
    public void Weights_that_do_not_sum_to_one_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new WeightedEnsembleTransformer(PredictionTask.Regression, [new MLContext().Transforms.CopyColumns("a", "cement").Fit(TestData.View("concrete"))], [0.5]));
        Assert.Contains("sum to 1", error.Message);
    }

    /// <summary>What an ensemble blends: the score (regression), the probability (binary), the class scores (multiclass), row after row.</summary>
    private static float[] Blended(PredictionTask task, IDataView scored) => task switch
    {
        PredictionTask.Regression => scored.GetColumn<float>(PredictionColumns.Score).ToArray(),
        PredictionTask.BinaryClassification => scored.GetColumn<float>(PredictionColumns.Probability).ToArray(),
        _ => scored.GetColumn<VBuffer<float>>(PredictionColumns.Score).SelectMany(v => v.DenseValues()).ToArray(),
    };

    private static float[] Blend(PredictionTask task, IReadOnlyList<float[]> values, double[] weights) =>
        Enumerable.Range(0, values[0].Length).Select(i => (float)values.Select((v, m) => weights[m] * v[i]).Sum()).ToArray();
}
