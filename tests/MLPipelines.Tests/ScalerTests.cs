using MLPipelines.Data;
using MLPipelines.Transforms.Scaling;

namespace MLPipelines.Tests;

public sealed class ScalerTests
{
    /// <summary>scipy.stats.norm.ppf values (References/scalers.py).</summary>
    [Theory]
    [InlineData(1e-300, -37.0470962993612)]
    [InlineData(1e-10, -6.361340902404056)]
    [InlineData(1e-07, -5.1993375821928165)]
    [InlineData(0.001, -3.090232306167813)]
    [InlineData(0.02425, -1.972961051311885)]
    [InlineData(0.1, -1.2815515655446004)]
    [InlineData(0.3, -0.5244005127080409)]
    [InlineData(0.5, 0.0)]
    [InlineData(0.7, 0.5244005127080407)]
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.999999, 4.753424308817087)]
    [InlineData(0.999999999999, 7.0344869100478356)]
    public void Inverse_normal_cdf_matches_scipy(double p, double expected)
    {
        var actual = NormalDistribution.InverseCdf(p);
        Assert.True(Math.Abs(actual - expected) <= 1e-13 * Math.Max(1, Math.Abs(expected)), $"Φ⁻¹({p}) = {actual:R}, scipy {expected:R}");
    }

    /// <summary>
    /// sklearn QuantileTransformer(n_quantiles=100, output_distribution="normal") fitted on
    /// concrete.age (few distinct values, many ties) and concrete.cement (References/scalers.py).
    /// </summary>
    [Theory]
    [InlineData("age", new[] { 0.5, 1, 3, 7, 14, 28, 56, 90, 180, 365, 400, 102, 250.5, 540 },
        new[] { -5.199337582605575, -5.199337582605575, -1.5089438550380376, -0.8524950342746939, -0.5595922742274324, 0.05066061676587657,
            0.7478585947633026, 0.9878373274485256, 1.6906216295848986, 5.19933758270342, 5.19933758270342, 1.5518125978517456,
            1.845373914837621, 5.19933758270342 })]
    [InlineData("cement", new[] { 90.0, 180, 365, 400, 102, 250.5, 540 },
        new[] { -5.199337582605575, -0.8055176949119452, 0.7718700668867107, 1.1115075546100583, -5.199337582605575, -0.15872075049845266, 5.19933758270342 })]
    public void Quantile_normal_scaling_matches_scikit_learn(string column, double[] inputs, double[] expected)
    {
        var values = TestData.Load("concrete").Column<NumericColumn>(column).Values;
        var scaler = QuantileNormalScaler.Fit(values, quantileCount: 100);
        for (var i = 0; i < inputs.Length; i++)
        {
            var actual = scaler.Transform(inputs[i]);
            Assert.True(Math.Abs(actual - expected[i]) <= 1e-9, $"{column} {inputs[i]}: {actual:R}, scikit-learn {expected[i]:R}");
        }
    }

    [Fact]
    public void The_default_quantile_count_is_the_reference_codes()
    {
        Assert.Equal(10, QuantileNormalScaler.DefaultQuantileCount(100));
        Assert.Equal(34, QuantileNormalScaler.DefaultQuantileCount(1030));
        Assert.Equal(1000, QuantileNormalScaler.DefaultQuantileCount(53_940));
    }

    [Fact]
    public void Robust_smooth_clip_centres_on_the_median_divides_by_the_iqr_and_clips_smoothly()
    {
        // [1..9]: median 5, q25 3, q75 7 (linear interpolation), IQR 4.
        var scaler = RobustSmoothClipScaler.Fit([1, 2, 3, 4, 5, 6, 7, 8, 9, double.NaN]);
        Assert.Equal(5, scaler.Median);
        Assert.Equal(0.25, scaler.Factor);
        Assert.Equal(0, scaler.Transform(5));
        Assert.Equal(1 / Math.Sqrt(1 + 1.0 / 9), scaler.Transform(9), 12);          // scaled 1
        var far = scaler.Transform(5 + 4 * 1000);                                     // scaled 1000 → just under 3
        Assert.InRange(far, 2.99, 3.0);
        // IQR zero: half the range. Constant: zero.
        Assert.Equal(0.5, RobustSmoothClipScaler.Fit([0, 0, 0, 0, 0, 0, 2, -2]).Factor);   // 1 / (½ · range 4)
        Assert.Equal(0, RobustSmoothClipScaler.Fit([3, 3, 3]).Transform(100));
    }

    [Fact]
    public void Standard_scaling_uses_the_population_deviation()
    {
        var scaler = StandardScaler.Fit([2, 4, 4, 4, 5, 5, 7, 9]);
        Assert.Equal(5, scaler.Mean);
        Assert.Equal(2, scaler.StandardDeviation);
        Assert.Equal(1, scaler.Transform(7));
    }
}
