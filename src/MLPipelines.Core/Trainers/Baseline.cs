using MLPipelines.Data;
using MLPipelines.ModelFiles;
using MLPipelines.Pipelines;
using MLPipelines.Transforms;

namespace MLPipelines.Trainers;

/// <summary>
/// Predicts without looking at features: the training mean (regression) or the training class
/// frequencies (classification). The bar every model must clear.
/// </summary>
public sealed class BaselineTrainer(PredictionTask task) : IEstimator<FeaturizedData, DataTable>
{
    public PredictionTask Task { get; } = task;

    public BaselineModel Fit(FeaturizedData data)
    {
        var label = TaskRequirements.Require(data, Task, "the baseline");
        if (label.Kind == LabelKind.Numeric) return new BaselineModel(label.Values!.Average(), [], []);
        var counts = new double[label.ClassCount];
        foreach (var c in label.Classes!) counts[c]++;
        return new BaselineModel(0, label.ClassNames.ToArray(), counts.Select(n => n / data.RowCount).ToArray());
    }

    ITransformer<FeaturizedData, DataTable> IEstimator<FeaturizedData, DataTable>.Fit(FeaturizedData input) => Fit(input);
}

/// <summary>A fitted <see cref="BaselineTrainer"/>.</summary>
public sealed class BaselineModel(double mean, string[] classNames, double[] priors)
    : ITransformer<FeaturizedData, DataTable>, ILoadableStage<BaselineModel>
{
    private sealed record State(double Mean, string[] ClassNames, double[] Priors);

    /// <summary>The predicted value (regression).</summary>
    public double Mean { get; } = mean;

    /// <summary>The classes and their predicted probabilities (classification; empty for regression).</summary>
    public IReadOnlyList<string> ClassNames { get; } = classNames;

    public IReadOnlyList<double> Priors { get; } = priors;

    public DataTable Transform(FeaturizedData data)
    {
        if (ClassNames.Count == 0) return PredictionColumns.Regression(data.Source, Enumerable.Repeat(Mean, data.RowCount).ToArray());
        var probabilities = new double[data.RowCount * ClassNames.Count];
        for (var row = 0; row < data.RowCount; row++)
            for (var c = 0; c < ClassNames.Count; c++) probabilities[row * ClassNames.Count + c] = Priors[c];
        return PredictionColumns.Classification(data.Source, ClassNames, probabilities);
    }

    public void Save(ModelWriter writer) => writer.WriteJson("baseline.json", new State(Mean, ClassNames.ToArray(), Priors.ToArray()));

    public static BaselineModel Load(ModelReader reader)
    {
        var state = reader.ReadJson<State>("baseline.json");
        return new BaselineModel(state.Mean, state.ClassNames, state.Priors);
    }
}
