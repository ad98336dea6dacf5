using MLPipelines.Onnx;
using MLPipelines.Onnx.Protobuf;

namespace MLPipelines.Trainers;

public sealed partial record FeatureLayout
{
    /// <summary>
    /// <see cref="Write"/> as ONNX nodes: from feature vectors [N, <see cref="InputLength"/>]
    /// (float32) to the learner's matrix [N, <see cref="Width"/>] (float32) and, when the layout
    /// has embedding indices, the indices [N, Indices] (int64).
    /// </summary>
    public (string Matrix, string? Indices) WriteOnnx(OnnxGraph graph, string vector)
    {
        using var _ = graph.Scope("layout");
        var parts = new List<string>();
        var copied = new List<long>();
        foreach (var column in Columns)
        {
            if (column.Kind != FeatureKind.CategoryCode)
            {
                copied.Add(column.FirstSlot);
                continue;
            }
            if (copied.Count > 0) parts.Add(graph.Columns(vector, copied.ToArray()));
            copied.Clear();
            var (any, level) = Level(graph, vector, column.FirstSlot, column.LastSlot);
            parts.Add(graph.Where(any, graph.Cast(level, TensorProto.Types.DataType.Float), graph.ScalarFloat(float.NaN)));
        }
        if (copied.Count > 0) parts.Add(graph.Columns(vector, copied.ToArray()));
        var matrix = parts.Count > 0 ? graph.Concat(parts, axis: 1) : graph.Columns(vector, []);
        if (Indices.Length == 0) return (matrix, null);
        var indices = Indices.Select(index =>
        {
            var (any, level) = Level(graph, vector, index.FirstSlot, index.LastSlot);
            return graph.Where(any, graph.Add(level, graph.Constant("one", [1L])), graph.Constant("none", [0L]));
        }).ToArray();
        return (matrix, graph.Concat(indices, axis: 1));
    }

    /// <summary>Whether a one-hot range [first, last] has a slot that is not 0, and the first such slot's offset ([N, 1] each).</summary>
    private static (string Any, string Level) Level(OnnxGraph graph, string vector, int first, int last)
    {
        var range = graph.Columns(vector, Enumerable.Range(first, last - first + 1).Select(s => (long)s).ToArray());
        var set = graph.Cast(graph.Not(graph.Equal(range, graph.ScalarFloat(0))), TensorProto.Types.DataType.Float);
        var any = graph.Greater(graph.ReduceMax(set, 1, keepDims: true), graph.ScalarFloat(0));
        return (any, graph.ArgMax(set, 1, keepDims: true));
    }
}
