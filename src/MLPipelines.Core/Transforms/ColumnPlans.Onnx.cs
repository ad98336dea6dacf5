using Microsoft.ML.Data;
using MLPipelines.Onnx;
using MLPipelines.Onnx.Protobuf;

namespace MLPipelines.Transforms;

// Each plan as ONNX nodes: from its raw input column [N, 1] to its slots of the feature vector
// [N, slots] (float32), doing what Bind's writer does to one row.

public abstract partial record ColumnPlan
{
    /// <summary>Writes the plan's slots from the graph input <paramref name="input"/> (the raw column, of ML.NET type <paramref name="type"/>); returns their name.</summary>
    internal abstract string WriteOnnx(OnnxGraph graph, string input, DataViewType type);
}

public sealed partial record NumericPlan
{
    internal override string WriteOnnx(OnnxGraph graph, string input, DataViewType type)
    {
        using var _ = graph.Scope(Column);
        // In float64, as Bind reads every number.
        var x = type.RawType == typeof(double) ? input : graph.Cast(input, TensorProto.Types.DataType.Double);
        var missing = graph.Or(graph.IsNaN(x), graph.IsInf(x));
        var value = graph.Where(missing, graph.Scalar(Fill ?? double.NaN), x);
        if (Scaler is not null) value = graph.Where(graph.IsNaN(value), value, Scaler.WriteOnnx(graph, value));
        var slot = graph.Cast(value, TensorProto.Types.DataType.Float);
        return Indicator ? graph.Concat([slot, graph.Cast(missing, TensorProto.Types.DataType.Float)], axis: 1) : slot;
    }
}

public sealed partial record BooleanPlan
{
    internal override string WriteOnnx(OnnxGraph graph, string input, DataViewType type) => graph.Cast(input, TensorProto.Types.DataType.Float);
}

public sealed partial record CategoricalPlan
{
    private const long Missing = -2, Unseen = -1;

    internal override string WriteOnnx(OnnxGraph graph, string input, DataViewType type)
    {
        if (type is KeyDataViewType)
            throw new OnnxExportException($"the featurizer's column '{Column}'",
                "it is a key column, and the exported file reads categories as text: convert the keys to their values (ml.Transforms.Conversion.MapKeyToValue) before the featurizer");
        using var _ = graph.Scope(Column);
        // The level of each text: its index, Unseen for other text, Missing for empty text
        // (never a level: the featurizer treats empty text as missing).
        var code = graph.Node("LabelEncoder", [input], 1, OnnxGraph.MLDomain,
            Attributes.Strings("keys_strings", Levels.Append("")),
            Attributes.Ints("values_int64s", Enumerable.Range(0, Levels.Length).Select(i => (long)i).Append(Missing)),
            Attributes.Int("default_int64", Unseen))[0];
        var missing = graph.Equal(code, graph.Constant("missing", [Missing]));
        var hot = graph.Where(missing, graph.Constant("fill", [(long)(FillLevel ?? -1)]), code);
        var levels = graph.Constant("levels", Enumerable.Range(0, Levels.Length).Select(i => (long)i).ToArray(), 1, Levels.Length);
        var slots = graph.Cast(graph.Equal(hot, levels), TensorProto.Types.DataType.Float);
        return Indicator ? graph.Concat([slots, graph.Cast(missing, TensorProto.Types.DataType.Float)], axis: 1) : slots;
    }
}
