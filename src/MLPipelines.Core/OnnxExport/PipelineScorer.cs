using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using MLPipelines.Onnx.Protobuf;
using MLPipelines.Trainers;
using MLPipelines.Transforms;

namespace MLPipelines.Onnx;

/// <summary>
/// The predictions of one pipeline in the graph: <paramref name="Raw"/> [N, outputs] as the project's
/// models write them (a value, a binary margin, class scores), and for models that compute
/// them their own way, the binary probability and predicted label. <paramref name="NoProbability"/>:
/// a binary model without a probability column (ML.NET's uncalibrated ones), where nothing is to be made up.
/// </summary>
internal sealed record PipelineScores(PredictionTask Task, IReadOnlyList<string> ClassNames, string Raw, string? Probability, string? PredictedLabel,
    bool NoProbability = false);

/// <summary>
/// Writes one pipeline — stages that prepare the label, the featurizer, a model of the project —
/// into a graph whose inputs are the raw columns, shared by every pipeline of the graph (the
/// members of an ensemble read the same inputs).
/// </summary>
internal sealed class PipelineScorer(OnnxGraph graph, DataViewSchema inputSchema)
{
    private readonly Dictionary<string, string> _inputs = new(StringComparer.Ordinal);

    /// <summary>The raw columns read, in the order they became graph inputs.</summary>
    public IReadOnlyCollection<string> Inputs => _inputs.Keys;

    public PipelineScores Write(IReadOnlyList<ITransformer> stages, string scope)
    {
        if (stages.Count > 0 && stages[^1] is CalibratorTransformer<PlattCalibrator> calibrator) return Calibrated(stages.Take(stages.Count - 1).ToList(), calibrator, scope);
        var last = stages.Count == 0 ? null : stages[^1];
        var prediction = last as ITabularPredictionTransformer;
        if (prediction is null && (last is null || !MLNetModelsOnnx.Handles(last)))
            throw new OnnxExportException("the pipeline", "it does not end with a model the export can write (its last stage is " +
                                                          (last is null ? "missing" : OnnxExporter.TypeName(last.GetType())) + "): " +
                                                          "XGBoost, the deep models, the baseline, ML.NET's linear models, its tree ensembles (LightGbm, FastTree, FastForest; " +
                                                          "not Tweedie regression) and ensembles of them are exported");
        var featureColumn = prediction?.FeatureColumnName ?? MLNetModelsOnnx.FeatureColumn(last!);
        var featurizer = stages.Count >= 2 ? stages[^2] as FeaturizerTransformer : null;
        if (featurizer is null && stages.Take(stages.Count - 1).LastOrDefault(s => s is FeaturizerTransformer) is not null)
            throw new OnnxExportException($"the stage {OnnxExporter.TypeName(stages[^2].GetType())}", "it stands between the featurizer and the model; only the featurizer's output reaches the exported model");
        if (featurizer is not null && featurizer.OutputColumnName != featureColumn)
            throw new OnnxExportException("the pipeline", $"the model reads '{featureColumn}', but the featurizer writes '{featurizer.OutputColumnName}'");
        var read = featurizer?.Plans.Select(p => p.Column).ToHashSet() ?? [featureColumn];
        var schema = SchemaBefore(stages.Take(stages.Count - (featurizer is null ? 1 : 2)), inputSchema, read);

        using var _ = graph.Scope(scope);
        var vector = featurizer is null ? VectorInput(featureColumn, schema) : FeaturizerSlots(featurizer, schema);
        if (prediction is null)
            return MLNetModelsOnnx.Write(graph, last!, vector, last!.GetOutputSchema(featurizer?.GetOutputSchema(schema) ?? schema));
        var description = prediction.Model.Description;
        var (matrix, indices) = description.Layout.WriteOnnx(graph, vector);
        return new PipelineScores(description.Task, prediction.ClassNames, prediction.Model.WriteOnnx(graph, matrix, indices), null, null);
    }

    /// <summary>
    /// A binary model that has no probability of its own (ML.NET's FastForest) followed by ML.NET's
    /// Platt calibrator (<c>ml.BinaryClassification.Calibrators.Platt()</c>), which adds the Probability
    /// column from the Score; the predicted label stays the model's.
    /// </summary>
    private PipelineScores Calibrated(IReadOnlyList<ITransformer> stages, CalibratorTransformer<PlattCalibrator> calibrator, string scope)
    {
        var scores = Write(stages, scope);
        var platt = (ISingleFeaturePredictionTransformer<PlattCalibrator>)calibrator;
        if (scores is not { Task: PredictionTask.BinaryClassification, NoProbability: true } || platt.FeatureColumnName != PredictionColumns.Score)
            throw new OnnxExportException("the stage PlattCalibratorTransformer", "only a binary model without a probability of its own (FastForest's), calibrated on its Score column, is exported with it");
        using var _ = graph.Scope(scope);
        return scores with { Probability = MLNetModelsOnnx.Platt(graph, scores.Raw, [platt.Model]), NoProbability = false };
    }

    /// <summary>
    /// The schema the featurizer (or the model) reads, after the stages before it. Those stages
    /// are left out of the export when they write none of the columns it reads (ML.NET's label
    /// mappings, say); one that does is refused by name.
    /// </summary>
    private static DataViewSchema SchemaBefore(IEnumerable<ITransformer> stages, DataViewSchema schema, IReadOnlySet<string> read)
    {
        foreach (var stage in stages)
        {
            var output = stage.GetOutputSchema(schema);
            // What a stage writes is a new column; one of the same name before it stays, hidden.
            var before = schema;
            var written = read.Where(name => output.Count(c => c.Name == name) > before.Count(c => c.Name == name)).ToList();
            if (written.Count > 0)
                throw new OnnxExportException($"the stage {OnnxExporter.TypeName(stage.GetType())}", $"it writes {string.Join(", ", written.Select(w => $"'{w}'"))}, which the model reads, " +
                                                                                                 "and only the featurizer (ml.Transforms.Featurize) and the project's models are exported");
            schema = output;
        }
        return schema;
    }

    /// <summary>The featurizer's vector from its raw columns, declared as graph inputs in the featurizer's column order.</summary>
    private string FeaturizerSlots(FeaturizerTransformer featurizer, DataViewSchema schema)
    {
        var inputs = featurizer.Plans.ToDictionary(plan => plan, plan =>
        {
            var column = schema.GetColumnOrNull(plan.Column)
                         ?? throw new OnnxExportException($"the featurizer's column '{plan.Column}'", "it is not in the input schema given to the export");
            return (Input(plan.Column, ElementType(column), 1), column.Type);
        });
        return featurizer.WriteOnnx(graph, plan => inputs[plan]);
    }

    private string VectorInput(string name, DataViewSchema schema)
    {
        if (schema.GetColumnOrNull(name) is not { Type: VectorDataViewType { ItemType: var item, Size: > 0 and var size } } || item != NumberDataViewType.Single)
            throw new OnnxExportException($"the feature column '{name}'", "the input schema has no vector of Single of known size by that name");
        return Input(name, TensorProto.Types.DataType.Float, size);
    }

    /// <summary>The graph input of a raw column, declared on first use.</summary>
    private string Input(string column, TensorProto.Types.DataType type, long width)
    {
        if (!_inputs.TryGetValue(column, out var input)) _inputs[column] = input = graph.Input(column, type, width);
        return input;
    }

    /// <summary>The ONNX element type of a raw column, as ML.NET's ApplyOnnxModel hands it over.</summary>
    private static TensorProto.Types.DataType ElementType(DataViewSchema.Column column) => column.Type switch
    {
        TextDataViewType => TensorProto.Types.DataType.String,
        BooleanDataViewType => TensorProto.Types.DataType.Bool,
        KeyDataViewType => TensorProto.Types.DataType.String,   // refused by the plan, with the reason
        DateTimeDataViewType or DateTimeOffsetDataViewType => throw new OnnxExportException($"column '{column.Name}'",
            $"it is a {column.Type.RawType.Name}, and ONNX has no date type: to export, give the pipeline the dates as numbers (LoadCsv reads ISO dates as days since 1970-01-01)"),
        _ when column.Type.RawType == typeof(float) => TensorProto.Types.DataType.Float,
        _ when column.Type.RawType == typeof(double) => TensorProto.Types.DataType.Double,
        _ when column.Type.RawType == typeof(sbyte) => TensorProto.Types.DataType.Int8,
        _ when column.Type.RawType == typeof(byte) => TensorProto.Types.DataType.Uint8,
        _ when column.Type.RawType == typeof(short) => TensorProto.Types.DataType.Int16,
        _ when column.Type.RawType == typeof(ushort) => TensorProto.Types.DataType.Uint16,
        _ when column.Type.RawType == typeof(int) => TensorProto.Types.DataType.Int32,
        _ when column.Type.RawType == typeof(uint) => TensorProto.Types.DataType.Uint32,
        _ when column.Type.RawType == typeof(long) => TensorProto.Types.DataType.Int64,
        _ when column.Type.RawType == typeof(ulong) => TensorProto.Types.DataType.Uint64,
        _ => throw new OnnxExportException($"column '{column.Name}'", $"its type {column.Type} has no ONNX counterpart"),
    };
}
