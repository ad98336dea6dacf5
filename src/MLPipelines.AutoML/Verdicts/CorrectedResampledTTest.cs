using MathNet.Numerics.Distributions;

namespace MLPipelines.AutoML.Verdicts;

/// <summary>
/// The outcome of a paired comparison over folds: the mean difference, its standard error,
/// the t statistic with its degrees of freedom, the two-sided p-value and the two-sided
/// (1 − α) confidence interval of the mean difference.
/// </summary>
public sealed record PairedTestResult(int Folds, double MeanDifference, double StandardError, double T, int DegreesOfFreedom, double PValue,
    double ConfidenceLow, double ConfidenceHigh, double Alpha);

/// <summary>
/// The corrected resampled t-test of Nadeau and Bengio (2003, "Inference for the
/// generalization error"). Fold scores of cross-validation share training rows, so the plain
/// paired t-test underestimates the variance of the mean difference and finds significance
/// that is not there. The correction inflates the variance from σ²/J to (1/J + n₂/n₁)·σ², where
/// J is the number of fold results (k per repetition of k-fold), n₂ the rows tested and n₁ the
/// rows trained on in one fold (for k-fold, n₂/n₁ = 1/(k − 1)). Degrees of freedom J − 1.
/// </summary>
public static class CorrectedResampledTTest
{
    /// <param name="differences">Per-fold differences between two models scored on the same folds.</param>
    /// <param name="testToTrainRatio">n₂/n₁: rows tested over rows trained on per fold.</param>
    /// <param name="alpha">One minus the confidence level of the interval.</param>
    public static PairedTestResult Test(IReadOnlyList<double> differences, double testToTrainRatio, double alpha = 0.05)
    {
        if (differences.Count < 2) throw new ArgumentException($"a paired test needs at least 2 fold results, got {differences.Count}", nameof(differences));
        ArgumentOutOfRangeException.ThrowIfNegative(testToTrainRatio);
        if (alpha is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must lie in (0, 1)");

        var count = differences.Count;
        var mean = differences.Average();
        var variance = differences.Sum(d => (d - mean) * (d - mean)) / (count - 1);
        // Rounding leaves a tiny variance where every difference is the same: treat it as none.
        if (variance <= 1e-24 * mean * mean) variance = 0;
        var standardError = Math.Sqrt((1.0 / count + testToTrainRatio) * variance);
        var degrees = count - 1;
        var critical = StudentT.InvCDF(0, 1, degrees, 1 - alpha / 2);
        if (standardError == 0)
        {
            // Identical differences on every fold: no spread to test against. A zero difference is no evidence; any other is certain.
            var p = mean == 0 ? 1.0 : 0.0;
            return new PairedTestResult(count, mean, 0, mean == 0 ? 0 : Math.CopySign(double.PositiveInfinity, mean), degrees, p, mean, mean, alpha);
        }
        var t = mean / standardError;
        var pValue = 2 * StudentT.CDF(0, 1, degrees, -Math.Abs(t));
        return new PairedTestResult(count, mean, standardError, t, degrees, pValue, mean - critical * standardError, mean + critical * standardError, alpha);
    }
}
