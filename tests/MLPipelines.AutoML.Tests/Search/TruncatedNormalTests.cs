using MLPipelines.AutoML.Search;

namespace MLPipelines.AutoML.Tests.Search;

public sealed class TruncatedNormalTests
{
    [Theory]
    // Python's math.erf and math.erfc.
    [InlineData(0.5, 0.5204998778130465, -0.7350111298370844)]
    [InlineData(1.0, 0.8427007929497149, -1.8496055099332482)]
    [InlineData(2.0, 0.9953222650189527, -5.364941264616638)]
    [InlineData(2.5, 0.999593047982555, -7.806815272727264)]
    [InlineData(3.0, 0.9999779095030014, -10.720363041981113)]
    [InlineData(10.0, 1.0, -102.87988902484489)]
    [InlineData(20.0, 1.0, -403.56934333410425)]
    public void Erf_and_log_erfc_agree_with_a_reference_to_the_last_digits(double x, double erf, double logErfc)
    {
        Assert.Equal(erf, TruncatedNormal.Erf(x), 1e-15);
        Assert.Equal(logErfc, TruncatedNormal.LogErfc(x), Math.Abs(logErfc) * 1e-14);
    }

    [Fact]
    public void Masses_are_accurate_in_the_middle_far_in_a_tail_and_for_narrow_intervals()
    {
        Assert.Equal(-0.38171514630212616, TruncatedNormal.LogMass(-1, 1), 1e-14);
        Assert.Equal(-451.37406913860605, TruncatedNormal.LogMass(-30, -29.9), 1e-10);
        Assert.Equal(TruncatedNormal.LogMass(-30, -29.9), TruncatedNormal.LogMass(29.9, 30), 1e-12);
        // A narrow interval's mass is its width times the density at its middle.
        var width = 1e-6;
        Assert.Equal(Math.Log(width) + TruncatedNormal.LogStandardDensity(-20 + width / 2), TruncatedNormal.LogMass(-20, -20 + width), 1e-8);
        Assert.Equal(Math.Log(width) + TruncatedNormal.LogStandardDensity(0), TruncatedNormal.LogMass(-width / 2, width / 2), 1e-10);
    }

    [Fact]
    public void Draws_stay_inside_the_bounds_with_the_truncated_mean()
    {
        var random = new Random(3);
        var draws = Enumerable.Range(0, 20000).Select(_ => TruncatedNormal.Sample(random, mu: 0.9, sigma: 1, low: 0, high: 1)).ToList();

        Assert.All(draws, d => Assert.InRange(d, 0, 1));
        // μ + σ (φ(α) − φ(β)) / (Φ(β) − Φ(α)) with α = −0.9, β = 0.1, as scipy.stats.truncnorm gives it.
        Assert.Equal(0.5322, draws.Average(), 0.01);
    }

    [Fact]
    public void Old_observations_weigh_less_once_there_are_more_than_25_as_in_Optuna()
    {
        Assert.Equal(Enumerable.Repeat(1.0, 25), TpeSampler.Weights(25));
        var weights = TpeSampler.Weights(30);
        Assert.Equal(1.0 / 30, weights[0], 1e-15);
        Assert.Equal(Enumerable.Repeat(1.0, 25), weights[5..]);
        // numpy.linspace(1 / 30, 1, 5) for the oldest five.
        Assert.Equal([1.0 / 30, 0.275, 0.5166666666666667, 0.7583333333333333, 1.0], weights[..5], (a, b) => Math.Abs(a - b) < 1e-12);
    }
}
