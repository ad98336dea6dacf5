using MLPipelines.Onnx;
using MLPipelines.Onnx.Protobuf;

namespace MLPipelines.Transforms.Scaling;

// The scalers as ONNX nodes on float64 values, in the same order of operations as each
// Transform, so that the exported file computes the same doubles. Columns of one kind are
// transformed together ([N, k] with parameter vectors [k]): a graph of a few nodes whatever the
// column count, which is what ONNX Runtime's per-node cost on single rows asks for.

public abstract partial record NumericScaler
{
    /// <summary>
    /// Writes x [N, k] (float64) with column j transformed by <paramref name="scalers"/>[j] (null:
    /// unchanged; NaN stays NaN, as the featurizer and the deep models leave missing values
    /// unscaled); returns the [N, k] result's name.
    /// </summary>
    public static string WriteOnnx(OnnxGraph graph, string x, IReadOnlyList<NumericScaler?> scalers)
    {
        if (scalers.All(s => s is null)) return x;
        using var _ = graph.Scope("scaling");
        var parts = new List<string>();
        var order = new List<int>();
        foreach (var group in scalers.Select((scaler, column) => (scaler, column)).GroupBy(p => p.scaler?.GetType()))
        {
            var columns = group.Select(p => p.column).ToArray();
            var values = graph.Columns(x, columns.Select(c => (long)c).ToArray());
            parts.Add(group.Key is null ? values
                : group.Key == typeof(StandardScaler) ? StandardScaler.WriteOnnx(graph, values, group.Select(p => (StandardScaler)p.scaler!).ToArray())
                : group.Key == typeof(RobustSmoothClipScaler) ? RobustSmoothClipScaler.WriteOnnx(graph, values, group.Select(p => (RobustSmoothClipScaler)p.scaler!).ToArray())
                : graph.Concat(group.Select((p, i) => ((QuantileNormalScaler)p.scaler!).WriteOnnx(graph, graph.Columns(values, [i]))).ToArray(), axis: 1));
            order.AddRange(columns);
        }
        var joined = graph.Concat(parts, axis: 1);
        // Back to the columns' own order.
        var position = new long[order.Count];
        for (var i = 0; i < order.Count; i++) position[order[i]] = i;
        return order.SequenceEqual(Enumerable.Range(0, order.Count)) ? joined : graph.Columns(joined, position);
    }

    private protected static string Row(OnnxGraph graph, string hint, IEnumerable<double> values)
    {
        var array = values.ToArray();
        return graph.Constant(hint, array, 1, array.Length);
    }
}

public sealed partial record StandardScaler
{
    internal static string WriteOnnx(OnnxGraph graph, string x, StandardScaler[] scalers) =>
        graph.Div(graph.Sub(x, Row(graph, "mean", scalers.Select(s => s.Mean))), Row(graph, "standard_deviation", scalers.Select(s => s.StandardDeviation)));
}

public sealed partial record RobustSmoothClipScaler
{
    internal static string WriteOnnx(OnnxGraph graph, string x, RobustSmoothClipScaler[] scalers)
    {
        var scaled = graph.Mul(Row(graph, "factor", scalers.Select(s => s.Factor)), graph.Sub(x, Row(graph, "median", scalers.Select(s => s.Median))));
        var squareOverNine = graph.Div(graph.Mul(scaled, scaled), graph.Scalar(9));
        return graph.Div(scaled, graph.Sqrt(graph.Add(graph.Scalar(1), squareOverNine)));
    }
}

public sealed partial record QuantileNormalScaler
{
    /// <summary>One column x [N, 1]; NaN stays NaN.</summary>
    internal string WriteOnnx(OnnxGraph graph, string x)
    {
        if (Quantiles.Length == 1) return graph.Where(graph.IsNaN(x), x, graph.Scalar(0));
        var tables = _tables ??= new Tables(Quantiles);
        var forward = Interpolation(graph, x, Quantiles, tables.References);
        var backward = Interpolation(graph, graph.Neg(x), tables.ReversedQuantiles, tables.ReversedReferences);
        var uniform = graph.Mul(graph.Scalar(0.5), graph.Sub(forward, backward));
        var below = graph.Less(graph.Sub(x, graph.Scalar(BoundsThreshold)), graph.Scalar(Quantiles[0]));
        var above = graph.Greater(graph.Add(x, graph.Scalar(BoundsThreshold)), graph.Scalar(Quantiles[^1]));
        uniform = graph.Where(below, graph.Scalar(0), graph.Where(above, graph.Scalar(1), uniform));
        var normal = NormalDistributionOnnx.InverseCdf(graph, uniform);
        return graph.Where(graph.IsNaN(x), x, graph.Max(graph.Min(normal, graph.Scalar(ClipHigh)), graph.Scalar(ClipLow)));
    }

    /// <summary>
    /// <see cref="Scaling.Quantiles.Interpolate"/> for values inside (xp[0], xp[^1]): j = the last
    /// index with xp[j] ≤ x; fp[j] when x is on a knot or j is the last, else the line to j + 1.
    /// The other values get fp[0] or fp[^1] (the caller replaces them).
    /// </summary>
    private static string Interpolation(OnnxGraph graph, string x, double[] xp, double[] fp)
    {
        var knots = graph.Constant("knots", xp, xp.Length);
        var values = graph.Constant("values", fp, fp.Length);
        // [K] against [N, 1]: [N, K], each row's knots at or below its value.
        var count = graph.ReduceSum(graph.Cast(graph.LessOrEqual(knots, x), TensorProto.Types.DataType.Int64), 1, keepDims: true);
        var last = xp.Length - 1;
        var j = graph.Max(graph.Sub(count, graph.Constant("one", [1L])), graph.Constant("zero", [0L]));
        var next = graph.Min(graph.Add(j, graph.Constant("one", [1L])), graph.Constant("last", [(long)last]));
        var (xj, xNext) = (graph.Gather(knots, j, 0), graph.Gather(knots, next, 0));
        var (fj, fNext) = (graph.Gather(values, j, 0), graph.Gather(values, next, 0));
        var slope = graph.Div(graph.Sub(fNext, fj), graph.Sub(xNext, xj));
        var line = graph.Add(graph.Mul(slope, graph.Sub(x, xj)), fj);
        var onKnot = graph.Or(graph.Equal(j, graph.Constant("last", [(long)last])), graph.Equal(xj, x));
        return graph.Where(onKnot, fj, line);
    }
}
