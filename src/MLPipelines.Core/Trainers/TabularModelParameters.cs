using MLPipelines.ModelFiles;
using MLPipelines.Onnx;

namespace MLPipelines.Trainers;

/// <summary>What every trained model of the project shares, saved with it by its transformer.</summary>
/// <param name="Task">What the model predicts.</param>
/// <param name="Layout">How a feature vector becomes the model's input row.</param>
/// <param name="ClassNames">The classes (binary: False, True), empty for regression.</param>
public sealed record ModelDescription(PredictionTask Task, FeatureLayout Layout, string[] ClassNames)
{
    /// <summary>Outputs per row: 1 for regression and binary classification, one per class for multiclass.</summary>
    public int OutputCount => Task == PredictionTask.MulticlassClassification ? ClassNames.Length : 1;
}

/// <summary>
/// A trained model (ML.NET calls these model parameters): it predicts many rows at a time, in
/// ML.NET's conventions — a value for regression, the margin (log-odds of true) for binary
/// classification, class probabilities for multiclass — and saves itself into a model file.
/// A model type also has a static <c>Load</c> (<see cref="ILoadableModel{TSelf}"/>).
/// </summary>
public abstract class TabularModelParameters(ModelDescription description) : IDisposable
{
    public ModelDescription Description { get; } = description;

    public PredictionTask Task => Description.Task;

    public FeatureLayout Layout => Description.Layout;

    /// <summary>How many rows <see cref="Data.DataViews.MappedDataView"/> gives <see cref="Predict"/> at a time. Default 1024.</summary>
    public virtual int BatchSize => 1024;

    /// <summary>
    /// Predicts <paramref name="rows"/>.Rows rows into <paramref name="outputs"/>
    /// ([rows × <see cref="ModelDescription.OutputCount"/>]). Must be safe to call from several
    /// threads at once (ML.NET may score with several cursors).
    /// </summary>
    public abstract void Predict(FeatureMatrix rows, Span<float> outputs);

    /// <summary>
    /// Writes the model as ONNX nodes, from the learner's matrix <paramref name="matrix"/> [N, width]
    /// (float32) and, when its layout has any, the embedding indices <paramref name="indices"/>
    /// [N, indices] (int64), to what <see cref="Predict"/> writes: [N, <see cref="ModelDescription.OutputCount"/>]
    /// float32. Returns the output's name. Models without an export refuse with <see cref="OnnxExportException"/>.
    /// </summary>
    public virtual string WriteOnnx(OnnxGraph graph, string matrix, string? indices) =>
        throw new OnnxExportException($"the model {GetType().Name}", "it has no ONNX export");

    /// <summary>Writes what the model needs besides its <see cref="Description"/> (the transformer saves that).</summary>
    public abstract void Save(ModelWriter writer);

    public virtual void Dispose() => GC.SuppressFinalize(this);
}

/// <summary>A model type that reads back what <see cref="TabularModelParameters.Save"/> wrote.</summary>
public interface ILoadableModel<TSelf> where TSelf : TabularModelParameters
{
    static abstract TSelf Load(ModelReader reader, ModelDescription description);
}
