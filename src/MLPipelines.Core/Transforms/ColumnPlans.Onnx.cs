using Microsoft.ML.Data;
using MLPipelines.Onnx;
using MLPipelines.Onnx.Protobuf;

namespace MLPipelines.Transforms;

public sealed partial record CategoricalPlan
{
    private const long Missing = -2, Unseen = -1;

    /// <summary>
    /// The plan's slots as ONNX nodes, from its text column [N, 1]: the one-hot levels (missing
    /// text takes the fill level, unseen text none) and the missing indicator; [N, slots] float32.
    /// </summary>
    internal string WriteOnnx(OnnxGraph graph, string input, DataViewType type)
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
