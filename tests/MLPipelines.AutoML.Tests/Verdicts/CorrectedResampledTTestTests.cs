using MLPipelines.AutoML.Verdicts;

namespace MLPipelines.AutoML.Tests.Verdicts;

public class CorrectedResampledTTestTests
{
    [Fact]
    public void Matches_a_value_computed_by_hand()
    {
        // Differences 1..5 from 5-fold CV (n₂/n₁ = 1/4): mean 3, sample variance 2.5,
        // SE = sqrt((1/5 + 1/4) · 2.5) = 1.060660, t = 2.828427 on 4 degrees of freedom.
        // For ν = 4 the t CDF has the closed form F(t) = 1/2 + 3/4 · t/√(4+t²) · (1 − t²/(3(4+t²))):
        // F(2.828427) = 0.976290, so p = 2 · (1 − F) = 0.047420. t(0.975, 4) = 2.776445, so the
        // 95% interval is 3 ± 2.944860.
        var result = CorrectedResampledTTest.Test([1, 2, 3, 4, 5], testToTrainRatio: 0.25);

        Assert.Equal(3, result.MeanDifference, 12);
        Assert.Equal(1.060660, result.StandardError, 6);
        Assert.Equal(2.828427, result.T, 6);
        Assert.Equal(4, result.DegreesOfFreedom);
        Assert.Equal(0.047420, result.PValue, 5);
        Assert.Equal(3 - 2.944860, result.ConfidenceLow, 5);
        Assert.Equal(3 + 2.944860, result.ConfidenceHigh, 5);
    }

    [Fact]
    public void The_correction_makes_the_test_more_conservative_than_the_plain_paired_t_test()
    {
        double[] differences = [0.2, 0.5, 0.1, 0.4, 0.3];
        var plain = CorrectedResampledTTest.Test(differences, testToTrainRatio: 0);
        var corrected = CorrectedResampledTTest.Test(differences, testToTrainRatio: 0.25);

        Assert.True(plain.PValue < 0.02, $"plain p = {plain.PValue}");
        Assert.True(corrected.PValue > 2 * plain.PValue, $"corrected p = {corrected.PValue}, plain {plain.PValue}");
    }

    [Fact]
    public void Identical_differences_on_every_fold_are_certain_unless_zero()
    {
        Assert.Equal(0, CorrectedResampledTTest.Test([0.1, 0.1, 0.1], 0.25).PValue);
        Assert.Equal(1, CorrectedResampledTTest.Test([0, 0, 0], 0.25).PValue);
    }

    [Fact]
    public void One_fold_is_not_enough()
    {
        var error = Assert.Throws<ArgumentException>(() => CorrectedResampledTTest.Test([1.0], 0.25));
        Assert.Contains("at least 2 fold results", error.Message);
    }
}
