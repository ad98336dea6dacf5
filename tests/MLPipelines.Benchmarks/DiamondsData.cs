using Microsoft.ML;
using MLPipelines.Trainers;
using MLPipelines.Transforms;

namespace MLPipelines.Benchmarks;

/// <summary>diamonds (predicting price) read and featurized through the ML.NET pipeline, and read back as a learner reads it.</summary>
internal static class DiamondsData
{
    public const string Label = "price";

    /// <summary>The rows featurized for a learner, split 80/20 with a seed when <paramref name="testFraction"/> is given (the featurizer fitted on the training rows).</summary>
    public static (IDataView Train, IDataView? Test) Featurized(string root, FeaturizerOptions options, int seed, double? testFraction = null)
    {
        var ml = new MLContext(seed);
        var data = ml.Data.LoadCsv(Path.Combine(root, "datasets", "diamonds.csv"));
        var featurizer = ml.Transforms.Featurize(Label, options);
        if (testFraction is null) return (featurizer.Fit(data).Transform(data), null);
        var split = ml.Data.StratifiedTrainTestSplit(data, Label, testFraction.Value);
        var fitted = featurizer.Fit(split.TrainSet);
        return (fitted.Transform(split.TrainSet), fitted.Transform(split.TestSet));
    }

    /// <summary>Featurized rows as the learner's matrix, with categories treated as it treats them.</summary>
    public static TrainingData Read(IDataView featurized, Func<int, CategoricalTreatment> treatment) =>
        TrainingData.Read(featurized, PredictionTask.Regression, new TrainerColumns(Label), treatment, "the benchmark");
}
