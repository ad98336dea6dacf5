using Microsoft.ML;
using MLPipelines.ModelFiles;
using MLPipelines.Onnx;
using MLPipelines.Transforms;

namespace MLPipelines.Trainers;

/// <summary>
/// Predicts without looking at features: the training mean (regression) or the training class
/// frequencies (classification), weighted by the example weights. The bar every model must clear.
/// </summary>
public sealed class BaselineTrainer(PredictionTask task, TrainerColumns columns) : TabularTrainer<BaselineModelParameters>(task, columns)
{
    public override string Name => "Baseline";

    public override FeaturizerOptions RecommendedFeaturization => new();

    protected override CategoricalTreatment TreatmentOf(int levels) => CategoricalTreatment.OneHot;

    protected override BaselineModelParameters Train(TrainingData data)
    {
        var label = data.Label;
        var weight = (int row) => data.Weights?[row] ?? 1.0;
        var total = Enumerable.Range(0, data.RowCount).Sum(weight);
        var description = new ModelDescription(Task, data.Layout, label.ClassNames.ToArray());
        if (label.Kind == LabelKind.Numeric)
            return new BaselineModelParameters(description, [Enumerable.Range(0, data.RowCount).Sum(r => weight(r) * label.Values![r]) / total]);
        var frequencies = new double[label.ClassCount];
        for (var row = 0; row < data.RowCount; row++) frequencies[label.Classes![row]] += weight(row) / total;
        return new BaselineModelParameters(description, frequencies);
    }
}

/// <summary>A fitted <see cref="BaselineTrainer"/>: the mean, or the class frequencies.</summary>
public sealed class BaselineModelParameters(ModelDescription description, double[] values)
    : TabularModelParameters(description), ILoadableModel<BaselineModelParameters>
{
    private const string StateFile = "baseline.json";

    /// <summary>The mean (regression) or each class's frequency.</summary>
    public IReadOnlyList<double> Values { get; } = values;

    public override void Predict(FeatureMatrix rows, Span<float> outputs)
    {
        switch (Task)
        {
            case PredictionTask.Regression:
                outputs.Fill((float)Values[0]);
                break;
            case PredictionTask.BinaryClassification:
                outputs.Fill((float)Math.Log(Values[1] / Values[0]));
                break;
            default:
                for (var row = 0; row < rows.Rows; row++)
                    for (var c = 0; c < Values.Count; c++) outputs[row * Values.Count + c] = (float)Values[c];
                break;
        }
    }

    /// <summary>The same constant row for every row.</summary>
    public override string WriteOnnx(OnnxGraph graph, string matrix, string? indices)
    {
        float[] row = Task switch
        {
            PredictionTask.Regression => [(float)Values[0]],
            PredictionTask.BinaryClassification => [(float)Math.Log(Values[1] / Values[0])],
            _ => Values.Select(v => (float)v).ToArray(),
        };
        using var _ = graph.Scope("baseline");
        return graph.RepeatRows(row, matrix);
    }

    public override void Save(ModelWriter writer) => writer.WriteJson(StateFile, Values);

    public static BaselineModelParameters Load(ModelReader reader, ModelDescription description) =>
        new(description, reader.ReadJson<double[]>(StateFile));
}

/// <summary>The baseline in ML.NET's trainer catalogs: <c>ml.Regression.Trainers.Baseline()</c>.</summary>
public static class BaselineCatalog
{
    public static BaselineTrainer Baseline(this RegressionCatalog.RegressionTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features",
        string? exampleWeightColumnName = null) =>
        new(PredictionTask.Regression, new TrainerColumns(labelColumnName, featureColumnName, exampleWeightColumnName));

    public static BaselineTrainer Baseline(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, string labelColumnName = "Label",
        string featureColumnName = "Features", string? exampleWeightColumnName = null) =>
        new(PredictionTask.BinaryClassification, new TrainerColumns(labelColumnName, featureColumnName, exampleWeightColumnName));

    public static BaselineTrainer Baseline(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, string labelColumnName = "Label",
        string featureColumnName = "Features", string? exampleWeightColumnName = null) =>
        new(PredictionTask.MulticlassClassification, new TrainerColumns(labelColumnName, featureColumnName, exampleWeightColumnName));
}
