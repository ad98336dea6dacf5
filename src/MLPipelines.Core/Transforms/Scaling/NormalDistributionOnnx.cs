using MLPipelines.Onnx;

namespace MLPipelines.Transforms.Scaling;

/// <summary><see cref="NormalDistribution.InverseCdf"/> as ONNX nodes on float64 values in [0, 1]: every branch of AS 241 is computed and the right one selected.</summary>
internal static class NormalDistributionOnnx
{
    // AS 241's coefficients, highest power first, as NormalDistribution writes them.
    private static readonly double[] CentralNumerator = [2.5090809287301226727e3, 3.3430575583588128105e4, 6.7265770927008700853e4, 4.5921953931549871457e4, 1.3731693765509461125e4, 1.9715909503065514427e3, 1.3314166789178437745e2, 3.3871328727963666080e0];
    private static readonly double[] CentralDenominator = [5.2264952788528545610e3, 2.8729085735721942674e4, 3.9307895800092710610e4, 2.1213794301586595867e4, 5.3941960214247511077e3, 6.8718700749205790830e2, 4.2313330701600911252e1, 1.0];
    private static readonly double[] NearNumerator = [7.74545014278341407640e-4, 2.27238449892691845833e-2, 2.41780725177450611770e-1, 1.27045825245236838258e0, 3.64784832476320460504e0, 5.76949722146069140550e0, 4.63033784615654529590e0, 1.42343711074968357734e0];
    private static readonly double[] NearDenominator = [1.05075007164441684324e-9, 5.47593808499534494600e-4, 1.51986665636164571966e-2, 1.48103976427480074590e-1, 6.89767334985100004550e-1, 1.67638483018380384940e0, 2.05319162663775882187e0, 1.0];
    private static readonly double[] FarNumerator = [2.01033439929228813265e-7, 2.71155556874348757815e-5, 1.24266094738807843860e-3, 2.65321895265761230930e-2, 2.96560571828504891230e-1, 1.78482653991729133580e0, 5.46378491116411436990e0, 6.65790464350110377720e0];
    private static readonly double[] FarDenominator = [2.04426310338993978564e-15, 1.42151175831644588870e-7, 1.84631831751005468180e-5, 7.86869131145613259100e-4, 1.48753612908506148525e-2, 1.36929880922735805310e-1, 5.99832206555887937690e-1, 1.0];

    public static string InverseCdf(OnnxGraph graph, string p)
    {
        using var _ = graph.Scope("inverse_normal_cdf");
        var q = graph.Sub(p, graph.Scalar(0.5));
        var r = graph.Sub(graph.Scalar(0.180625), graph.Mul(q, q));
        var central = graph.Mul(q, graph.Div(Horner(graph, r, CentralNumerator), Horner(graph, r, CentralDenominator)));
        var negative = graph.Less(q, graph.Scalar(0));
        var tail = graph.Sqrt(graph.Neg(graph.Log(graph.Where(negative, p, graph.Sub(graph.Scalar(1), p)))));
        var near = graph.Sub(tail, graph.Scalar(1.6));
        var far = graph.Sub(tail, graph.Scalar(5));
        var tailValue = graph.Where(graph.LessOrEqual(tail, graph.Scalar(5)),
            graph.Div(Horner(graph, near, NearNumerator), Horner(graph, near, NearDenominator)),
            graph.Div(Horner(graph, far, FarNumerator), Horner(graph, far, FarDenominator)));
        var signed = graph.Where(negative, graph.Neg(tailValue), tailValue);
        var value = graph.Where(graph.LessOrEqual(graph.Abs(q), graph.Scalar(0.425)), central, signed);
        // The ends: ±infinity, as NormalDistribution returns (the branches above give NaN there).
        value = graph.Where(graph.Equal(p, graph.Scalar(0)), graph.Scalar(double.NegativeInfinity), value);
        return graph.Where(graph.Equal(p, graph.Scalar(1)), graph.Scalar(double.PositiveInfinity), value);
    }

    /// <summary>((c₀·t + c₁)·t + …)·t + cₙ, multiplied and added in that order.</summary>
    private static string Horner(OnnxGraph graph, string t, double[] coefficients)
    {
        var value = graph.Scalar(coefficients[0]);
        foreach (var c in coefficients.Skip(1)) value = graph.Add(graph.Mul(value, t), graph.Scalar(c));
        return value;
    }
}
