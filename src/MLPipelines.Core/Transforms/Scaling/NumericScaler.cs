using System.Text.Json.Serialization;

namespace MLPipelines.Transforms.Scaling;

/// <summary>
/// A fitted per-column transformation of numbers, learned from the training rows' finite
/// values. Serializable as JSON (it goes into model files).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(StandardScaler), "standard")]
[JsonDerivedType(typeof(RobustSmoothClipScaler), "robust-smooth-clip")]
[JsonDerivedType(typeof(QuantileNormalScaler), "quantile-normal")]
public abstract partial record NumericScaler
{
    /// <summary>Transforms one finite value.</summary>
    public abstract double Transform(double value);

    /// <summary>Fits the scaler of the given kind (null for <see cref="NumericScaling.None"/>).</summary>
    public static NumericScaler? Fit(NumericScaling kind, ReadOnlySpan<double> values) => kind switch
    {
        NumericScaling.None => null,
        NumericScaling.Standard => StandardScaler.Fit(values),
        NumericScaling.RobustSmoothClip => RobustSmoothClipScaler.Fit(values),
        NumericScaling.QuantileNormal => QuantileNormalScaler.Fit(values),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

/// <summary>(x − mean) / standard deviation; a constant column maps to 0.</summary>
public sealed partial record StandardScaler(double Mean, double StandardDeviation) : NumericScaler
{
    public static StandardScaler Fit(ReadOnlySpan<double> values)
    {
        var sorted = Quantiles.SortedFinite(values);
        if (sorted.Length == 0) return new StandardScaler(0, 1);
        var mean = sorted.Average();
        var variance = sorted.Sum(v => (v - mean) * (v - mean)) / sorted.Length;
        return new StandardScaler(mean, variance > 0 ? Math.Sqrt(variance) : 1);
    }

    public override double Transform(double value) => (value - Mean) / StandardDeviation;
}

/// <summary>
/// RealMLP's numeric preprocessing (Holzmüller et al. 2024, "Better by default"): centre on
/// the median, scale by 1/IQR (or 1/(½·range) when the IQR is zero, or 0 for a constant
/// column), then clip smoothly: x / √(1 + (x/3)²), which keeps outliers within ±3.
/// </summary>
public sealed partial record RobustSmoothClipScaler(double Median, double Factor) : NumericScaler
{
    public static RobustSmoothClipScaler Fit(ReadOnlySpan<double> values)
    {
        var sorted = Quantiles.SortedFinite(values);
        if (sorted.Length == 0) return new RobustSmoothClipScaler(0, 0);
        var spread = Quantiles.Linear(sorted, 0.75) - Quantiles.Linear(sorted, 0.25);
        if (spread == 0) spread = 0.5 * (sorted[^1] - sorted[0]);
        return new RobustSmoothClipScaler(Quantiles.Linear(sorted, 0.5), spread == 0 ? 0 : 1 / spread);
    }

    public override double Transform(double value)
    {
        var scaled = Factor * (value - Median);
        return scaled / Math.Sqrt(1 + scaled * scaled / 9);
    }
}

/// <summary>
/// Maps values to a standard normal through their training quantiles, as scikit-learn's
/// QuantileTransformer(output_distribution="normal") does, which the tabular deep-learning
/// reference code (rtdl, TabM) uses with max(min(n/30, 1000), 10) quantiles. Ties map to the
/// middle of their quantile range; values beyond the training range map to ±5.2.
/// </summary>
public sealed partial record QuantileNormalScaler(double[] Quantiles) : NumericScaler
{
    private const double BoundsThreshold = 1e-7;
    private static readonly double ClipLow = NormalDistribution.InverseCdf(BoundsThreshold - Math.Pow(2, -52));
    private static readonly double ClipHigh = NormalDistribution.InverseCdf(1 - (BoundsThreshold - Math.Pow(2, -52)));

    /// <summary>The interpolation tables, built on first use (a race only builds them twice).</summary>
    private sealed class Tables
    {
        public readonly double[] References, ReversedQuantiles, ReversedReferences;

        public Tables(double[] quantiles)
        {
            References = Enumerable.Range(0, quantiles.Length).Select(i => (double)i / (quantiles.Length - 1)).ToArray();
            ReversedQuantiles = quantiles.Reverse().Select(q => -q).ToArray();
            ReversedReferences = References.Reverse().Select(r => -r).ToArray();
        }
    }

    private Tables? _tables;

    /// <summary>The quantile count of the tabular deep-learning reference code for n training values.</summary>
    public static int DefaultQuantileCount(int n) => Math.Clamp(n / 30, 10, 1000);

    public static QuantileNormalScaler Fit(ReadOnlySpan<double> values, int? quantileCount = null)
    {
        var sorted = Scaling.Quantiles.SortedFinite(values);
        if (sorted.Length == 0) return new QuantileNormalScaler([0.0]);
        var count = Math.Min(quantileCount ?? DefaultQuantileCount(sorted.Length), sorted.Length);
        var quantiles = new double[count];
        for (var i = 0; i < count; i++)
        {
            var reference = count == 1 ? 0.5 : (double)i / (count - 1);
            quantiles[i] = Scaling.Quantiles.Linear(sorted, reference);
            // Interpolation can be off by rounding; quantiles must not decrease.
            if (i > 0 && quantiles[i] < quantiles[i - 1]) quantiles[i] = quantiles[i - 1];
        }
        return new QuantileNormalScaler(quantiles);
    }

    public override double Transform(double value)
    {
        if (Quantiles.Length == 1) return 0;
        var tables = _tables ??= new Tables(Quantiles);
        double uniform;
        if (value - BoundsThreshold < Quantiles[0]) uniform = 0;
        else if (value + BoundsThreshold > Quantiles[^1]) uniform = 1;
        else
            uniform = 0.5 * (Scaling.Quantiles.Interpolate(value, Quantiles, tables.References)
                             - Scaling.Quantiles.Interpolate(-value, tables.ReversedQuantiles, tables.ReversedReferences));
        return Math.Clamp(NormalDistribution.InverseCdf(uniform), ClipLow, ClipHigh);
    }
}
