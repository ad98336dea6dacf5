using System.Reflection;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using MLPipelines.Ensembles;
using MLPipelines.Onnx.Protobuf;
using MLPipelines.Trainers;

namespace MLPipelines.Onnx;

/// <summary>
/// Exports a trained pipeline — the featurizer and a model of the project or one of ML.NET's
/// linear models, or a weighted ensemble of such pipelines — as one ONNX file that takes the raw
/// columns (one input per column the featurizers read, [N, 1] each, named after it) and returns
/// ML.NET's prediction columns
/// (<see cref="PredictionOutputs"/>), so that <c>ml.Transforms.ApplyOnnxModel</c> or ONNX
/// Runtime alone score the rows as the pipeline does. A pipeline of the model alone takes the
/// feature vector column [N, length] instead. ML.NET stages that only prepare the label are left
/// out; a stage after the model that decodes the predicted label becomes one more output (<see cref="PredictedLabelDecoding"/>). Stages that
/// cannot be expressed are refused by name (<see cref="OnnxExportException"/>).
/// </summary>
public static class OnnxExporter
{
    /// <summary>Builds the ONNX model of <paramref name="model"/>, for rows of <paramref name="inputSchema"/> (the schema the pipeline was trained on).</summary>
    public static ModelProto Export(ITransformer model, DataViewSchema inputSchema)
    {
        var stages = Stages(model).ToList();
        // A model, or ML.NET's Platt calibrator after one (PipelineScorer writes them together).
        var modelAt = stages.FindLastIndex(s => s is ITabularPredictionTransformer or WeightedEnsembleTransformer or CalibratorTransformer<PlattCalibrator> || MLNetModelsOnnx.Handles(s));
        if (modelAt < 0) modelAt = stages.Count - 1;   // the scorer refuses it, naming the last stage
        var graph = new OnnxGraph("mlpipelines");
        var scorer = new PipelineScorer(graph, inputSchema);
        var pipeline = stages.Take(modelAt + 1).ToList();
        var (task, classNames, predictedLabel) = pipeline.LastOrDefault() is WeightedEnsembleTransformer ensemble
            ? EnsembleOnnx.Write(graph, scorer, pipeline, ensemble)
            : Single(graph, scorer, pipeline);
        foreach (var stage in stages.Skip(modelAt + 1)) PredictedLabelDecoding.Write(graph, stage, task, predictedLabel!);

        var metadata = new Dictionary<string, string>
        {
            ["mlpipelines.model"] = pipeline.Last(s => s is not CalibratorTransformer<PlattCalibrator>) switch
            {
                ITabularPredictionTransformer single => single.Model.GetType().Name,
                IPredictionTransformer<object> mlnet => mlnet.Model.GetType().Name,
                var other => other.GetType().Name,
            },
            ["mlpipelines.task"] = task.ToString(),
            ["mlpipelines.features"] = JsonSerializer.Serialize(scorer.Inputs),
        };
        if (task != PredictionTask.Regression) metadata["mlpipelines.classes"] = JsonSerializer.Serialize(classNames);
        var version = typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
        return graph.ToModel(version.Split('+')[0], metadata);
    }

    /// <summary>Writes the ONNX file (to a temporary file first, so that a failure leaves no half-written file).</summary>
    public static void Save(ITransformer model, DataViewSchema inputSchema, string path)
    {
        var onnx = Export(model, inputSchema);
        var temporary = path + ".partial";
        try
        {
            using (var stream = File.Create(temporary)) onnx.WriteTo(stream);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);   // nothing when the move succeeded
        }
    }

    private static (PredictionTask, IReadOnlyList<string>, string?) Single(OnnxGraph graph, PipelineScorer scorer, IReadOnlyList<ITransformer> pipeline)
    {
        var scores = scorer.Write(pipeline, "model");
        return (scores.Task, scores.ClassNames, PredictionOutputs.Write(graph, scores));
    }

    /// <summary>A type as C# writes it: MulticlassPredictionTransformer&lt;MaximumEntropyModelParameters&gt;.</summary>
    internal static string TypeName(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>"
        : type.Name;

    internal static IEnumerable<ITransformer> Stages(ITransformer model) => model switch
    {
        IEnumerable<ITransformer> chain => chain.SelectMany(Stages),
        _ => [model],
    };
}

/// <summary>ONNX export in ML.NET's model catalog.</summary>
public static class ModelOperationsCatalogExtensions
{
    /// <summary>
    /// Writes <paramref name="model"/> as an ONNX file that scores raw rows of
    /// <paramref name="inputSchema"/> (<see cref="OnnxExporter"/>); score it with
    /// <c>ml.Transforms.ApplyOnnxModel(path)</c> (Microsoft.ML.OnnxTransformer and
    /// Microsoft.ML.OnnxRuntime) or ONNX Runtime directly.
    /// </summary>
    public static void ExportOnnx(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema inputSchema, string path) =>
        OnnxExporter.Save(model, inputSchema, path);
}
