using MLPipelines.Onnx;

namespace MLPipelines.Transforms.Scaling;

// Each scaler as ONNX nodes on float64 values [N, 1], in the same order of operations as its
// Transform, so that the exported file computes the same doubles (NaN is handled by the caller).

public abstract partial record NumericScaler
{
    /// <summary>Writes <see cref="Transform"/> of the float64 value <paramref name="x"/> as nodes; returns the result's name.</summary>
    public abstract string WriteOnnx(OnnxGraph graph, string x);
}

public sealed partial record StandardScaler
{
    public override string WriteOnnx(OnnxGraph graph, string x) =>
        graph.Div(graph.Sub(x, graph.Scalar(Mean)), graph.Scalar(StandardDeviation));
}

public sealed partial record RobustSmoothClipScaler
{
    public override string WriteOnnx(OnnxGraph graph, string x)
    {
        var scaled = graph.Mul(graph.Scalar(Factor), graph.Sub(x, graph.Scalar(Median)));
        var squareOverNine = graph.Div(graph.Mul(scaled, scaled), graph.Scalar(9));
        return graph.Div(scaled, graph.Sqrt(graph.Add(graph.Scalar(1), squareOverNine)));
    }
}

public sealed partial record QuantileNormalScaler
{
    public override string WriteOnnx(OnnxGraph graph, string x)
    {
        if (Quantiles.Length == 1) return graph.Mul(x, graph.Scalar(0));
        var tables = _tables ??= new Tables(Quantiles);
        var forward = Interpolation(graph, x, Quantiles, tables.References);
        var backward = Interpolation(graph, graph.Neg(x), tables.ReversedQuantiles, tables.ReversedReferences);
        var uniform = graph.Mul(graph.Scalar(0.5), graph.Sub(forward, backward));
        var below = graph.Less(graph.Sub(x, graph.Scalar(BoundsThreshold)), graph.Scalar(Quantiles[0]));
        var above = graph.Greater(graph.Add(x, graph.Scalar(BoundsThreshold)), graph.Scalar(Quantiles[^1]));
        uniform = graph.Where(below, graph.Scalar(0), graph.Where(above, graph.Scalar(1), uniform));
        var normal = NormalDistributionOnnx.InverseCdf(graph, uniform);
        return graph.Max(graph.Min(normal, graph.Scalar(ClipHigh)), graph.Scalar(ClipLow));
    }

    /// <summary>
    /// <see cref="Scaling.Quantiles.Interpolate"/> for values inside (xp[0], xp[^1]): j = the last
    /// index with xp[j] ≤ x; fp[j] when x is on a knot or j is the last, else the line to j + 1.
    /// The other values get fp[0] or fp[^1] (the caller replaces them).
    /// </summary>
    private static string Interpolation(OnnxGraph graph, string x, double[] xp, double[] fp)
    {
        var knots = graph.Constant("knots", xp, 1, xp.Length);
        var values = graph.Constant("values", fp, fp.Length);
        var count = graph.ReduceSum(graph.Cast(graph.LessOrEqual(knots, x), Onnx.Protobuf.TensorProto.Types.DataType.Int64), 1, keepDims: true);
        var last = xp.Length - 1;
        var j = graph.Max(graph.Sub(count, graph.Constant("one", [1L])), graph.Constant("zero", [0L]));
        var next = graph.Min(graph.Add(j, graph.Constant("one", [1L])), graph.Constant("last", [(long)last]));
        var flatKnots = graph.Constant("knots", xp, xp.Length);
        var (xj, xNext) = (graph.Gather(flatKnots, j, 0), graph.Gather(flatKnots, next, 0));
        var (fj, fNext) = (graph.Gather(values, j, 0), graph.Gather(values, next, 0));
        var slope = graph.Div(graph.Sub(fNext, fj), graph.Sub(xNext, xj));
        var line = graph.Add(graph.Mul(slope, graph.Sub(x, xj)), fj);
        var onKnot = graph.Or(graph.Equal(j, graph.Constant("last", [(long)last])), graph.Equal(xj, x));
        return graph.Where(onKnot, fj, line);
    }
}
