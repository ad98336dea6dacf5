using System.Reflection;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Onnx.Protobuf;
using MLPipelines.Trainers;
using MLPipelines.Transforms;

namespace MLPipelines.Onnx;

/// <summary>
/// Exports a trained pipeline — the featurizer and a model of the project — as one ONNX file that
/// takes the raw columns (one input per column the featurizer reads, [N, 1] each, named after
/// it) and returns ML.NET's prediction columns (<see cref="PredictionOutputs"/>), so that
/// <c>ml.Transforms.ApplyOnnxModel</c> or ONNX Runtime alone score the rows as the pipeline
/// does. A pipeline of the model alone takes the feature vector column [N, length] instead.
/// Stages that cannot be expressed are refused by name (<see cref="OnnxExportException"/>).
/// </summary>
public static class OnnxExporter
{
    /// <summary>Builds the ONNX model of <paramref name="model"/>, for rows of <paramref name="inputSchema"/> (the schema the pipeline was trained on).</summary>
    public static ModelProto Export(ITransformer model, DataViewSchema inputSchema)
    {
        var stages = Stages(model).ToList();
        if (stages.Count == 0 || stages[^1] is not ITabularPredictionTransformer prediction)
            throw new OnnxExportException("the pipeline", "it does not end with a model trained by MLPipelines (its last stage is " +
                                                          (stages.Count == 0 ? "missing" : TypeName(stages[^1].GetType())) + "): " +
                                                          "XGBoost, the deep models and the baseline are exported; ML.NET's own trainers are not");
        var featurizerAt = stages.FindLastIndex(s => s is FeaturizerTransformer);
        var featurizer = featurizerAt >= 0 ? (FeaturizerTransformer)stages[featurizerAt] : null;
        if (featurizerAt >= 0 && featurizerAt != stages.Count - 2)
            throw new OnnxExportException($"the stage {TypeName(stages[featurizerAt + 1].GetType())}", "it stands between the featurizer and the model; only the featurizer's output reaches the exported model");
        if (featurizer is not null && featurizer.OutputColumnName != prediction.FeatureColumnName)
            throw new OnnxExportException("the pipeline", $"the model reads '{prediction.FeatureColumnName}', but the featurizer writes '{featurizer.OutputColumnName}'");
        var read = featurizer?.Plans.Select(p => p.Column).ToHashSet() ?? [prediction.FeatureColumnName];
        var schema = SchemaBefore(stages.Take(Math.Max(0, stages.Count - 1 - (featurizer is null ? 0 : 1))), inputSchema, read);

        var graph = new OnnxGraph("mlpipelines");
        var (vector, inputs) = featurizer is null ? VectorInput(graph, prediction, schema) : FeaturizerInputs(graph, featurizer, schema);
        var description = prediction.Model.Description;
        string raw;
        using (graph.Scope("model"))
        {
            var (matrix, indices) = description.Layout.WriteOnnx(graph, vector);
            raw = prediction.Model.WriteOnnx(graph, matrix, indices);
        }
        PredictionOutputs.Write(graph, description, prediction.ClassNames, raw);
        var metadata = new Dictionary<string, string>
        {
            ["mlpipelines.model"] = prediction.Model.GetType().Name,
            ["mlpipelines.task"] = description.Task.ToString(),
            ["mlpipelines.inputs"] = JsonSerializer.Serialize(inputs),
            ["mlpipelines.features"] = JsonSerializer.Serialize(featurizer?.SlotNames ?? description.Layout.FeatureNames),
        };
        if (description.Task != PredictionTask.Regression) metadata["mlpipelines.classes"] = JsonSerializer.Serialize(prediction.ClassNames);
        var version = typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
        return graph.ToModel(version.Split('+')[0], metadata);
    }

    /// <summary>Writes the ONNX file (to a temporary file first, so that a failure leaves no half-written file).</summary>
    public static void Save(ITransformer model, DataViewSchema inputSchema, string path)
    {
        var onnx = Export(model, inputSchema);
        var temporary = path + ".partial";
        using (var stream = File.Create(temporary)) onnx.WriteTo(stream);
        File.Move(temporary, path, overwrite: true);
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
                throw new OnnxExportException($"the stage {TypeName(stage.GetType())}", $"it writes {string.Join(", ", written.Select(w => $"'{w}'"))}, which the model reads, " +
                                                                                   "and only the featurizer (ml.Transforms.Featurize) and the project's models are exported");
            schema = output;
        }
        return schema;
    }

    /// <summary>A type as C# writes it: MulticlassPredictionTransformer&lt;MaximumEntropyModelParameters&gt;.</summary>
    private static string TypeName(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>"
        : type.Name;

    private static IEnumerable<ITransformer> Stages(ITransformer model) => model switch
    {
        IEnumerable<ITransformer> chain => chain.SelectMany(Stages),
        _ => [model],
    };

    private static (string Vector, string[] Inputs) FeaturizerInputs(OnnxGraph graph, FeaturizerTransformer featurizer, DataViewSchema schema)
    {
        var slots = new List<string>();
        foreach (var plan in featurizer.Plans)
        {
            var column = schema.GetColumnOrNull(plan.Column)
                         ?? throw new OnnxExportException($"the featurizer's column '{plan.Column}'", "it is not in the input schema given to the export");
            var input = graph.Input(plan.Column, ElementType(column), 1);
            slots.Add(plan.WriteOnnx(graph, input, column.Type));
        }
        return (graph.Concat(slots, axis: 1), featurizer.Plans.Select(p => p.Column).ToArray());
    }

    private static (string Vector, string[] Inputs) VectorInput(OnnxGraph graph, ITabularPredictionTransformer prediction, DataViewSchema schema)
    {
        var name = prediction.FeatureColumnName;
        if (schema.GetColumnOrNull(name) is not { Type: VectorDataViewType { ItemType: var item } } || item != NumberDataViewType.Single)
            throw new OnnxExportException($"the feature column '{name}'", "the input schema has no vector of Single by that name");
        return (graph.Input(name, TensorProto.Types.DataType.Float, prediction.Model.Layout.InputLength), [name]);
    }

    /// <summary>The ONNX element type of a raw column, as ML.NET's ApplyOnnxModel hands it over.</summary>
    private static TensorProto.Types.DataType ElementType(DataViewSchema.Column column) => column.Type switch
    {
        TextDataViewType => TensorProto.Types.DataType.String,
        BooleanDataViewType => TensorProto.Types.DataType.Bool,
        KeyDataViewType => TensorProto.Types.DataType.String,   // refused by the plan, with the reason
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
