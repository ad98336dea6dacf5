using MLPipelines.Trainers;

namespace MLPipelines.Tests;

/// <summary>The ridge trainer's arithmetic: centered moments in one blocked pass, and the Cholesky solve.</summary>
public sealed class LinearAlgebraTests
{
    private static FeatureMatrix Matrix(int rows, int width, float[] values) =>
        new(new FeatureLayout(width, Enumerable.Range(0, width).Select(i => new LayoutColumn($"x{i}", FeatureKind.Numeric, i, i)).ToArray(), []), rows, values, []);

    [Fact]
    public void Blocked_moments_equal_the_two_pass_ones_far_from_zero_and_with_weights()
    {
        // 1,000 rows (blocks of 256 and a partial one), values 10,000 ± a few, weights 0 to 3,
        // every weight of the second block 0.
        const int rows = 1000, width = 3;
        var random = new Random(3);
        var values = Enumerable.Range(0, rows * width).Select(i => (float)(10_000 + (i % width + 1) * random.NextDouble())).ToArray();
        var labels = Enumerable.Range(0, rows).Select(r => 5e6 + values[r * width] - 2.0 * values[r * width + 1] + random.NextDouble()).ToArray();
        var weights = Enumerable.Range(0, rows).Select(r => r is >= 256 and < 512 ? 0f : random.Next(4)).ToArray();
        var moments = CenteredMoments.Of(Matrix(rows, width, values), labels, weights);

        double W = weights.Sum(w => (double)w);
        double Mean(Func<int, double> value) => Enumerable.Range(0, rows).Sum(r => weights[r] * value(r)) / W;
        var means = Enumerable.Range(0, width).Select(i => Mean(r => values[r * width + i])).ToArray();
        var labelMean = Mean(r => labels[r]);
        double Scatter(Func<int, double> a, Func<int, double> b) => Enumerable.Range(0, rows).Sum(r => weights[r] * a(r) * b(r));
        double Centered(int r, int i) => values[r * width + i] - means[i];
        var variances = Enumerable.Range(0, width).Select(i => Scatter(r => Centered(r, i), r => Centered(r, i))).ToArray();
        var labelVariance = Scatter(r => labels[r] - labelMean, r => labels[r] - labelMean);
        Assert.Equal(W, moments.TotalWeight);
        Assert.Equal(labelMean, moments.LabelMean, 1e-6);
        // Errors are measured against the spread (Cauchy–Schwarz: |Sᵢⱼ| ≤ √(Sᵢᵢ·Sⱼⱼ)). The textbook
        // Σwx² − W·x̄² would be off by about 2e-16 · Σwx² ≈ 2e-5, a thousand times this tolerance.
        for (var i = 0; i < width; i++)
        {
            Assert.Equal(means[i], moments.FeatureMeans[i], 1e-9);
            for (var j = 0; j <= i; j++)
                Assert.Equal(Scatter(r => Centered(r, i), r => Centered(r, j)), moments.Scatter[i * width + j], 1e-10 * Math.Sqrt(variances[i] * variances[j]));
            Assert.Equal(Scatter(r => Centered(r, i), r => labels[r] - labelMean), moments.LabelScatter[i], 1e-10 * Math.Sqrt(variances[i] * labelVariance));
        }
    }

    [Fact]
    public void Cholesky_solves_a_positive_definite_system_and_adds_jitter_only_to_a_singular_one()
    {
        // A = [[4, 2, 0.4], [2, 5, 1], [0.4, 1, 3]], x = [1, −2, 0.5]; b = A·x. Only the lower triangle is read.
        double[] a = [4, double.NaN, double.NaN, 2, 5, double.NaN, 0.4, 1, 3];
        double[] x = [1, -2, 0.5];
        double[] b = [4 * 1 + 2 * -2 + 0.4 * 0.5, 2 * 1 + 5 * -2 + 1 * 0.5, 0.4 * 1 + 1 * -2 + 3 * 0.5];
        var solution = Cholesky.Solve(a, 3, b, out var jitter);
        Assert.Equal(0, jitter);
        for (var i = 0; i < 3; i++) Assert.Equal(x[i], solution[i], 1e-12);

        // Rank 1: [[1, 2], [2, 4]]; b in its range. The jittered solution still fits b.
        double[] singular = [1, 0, 2, 4];
        var fitted = Cholesky.Solve(singular, 2, [3, 6], out jitter);
        Assert.True(jitter > 0);
        Assert.Equal(3, fitted[0] + 2 * fitted[1], 1e-6);

        Assert.Throws<ArithmeticException>(() => Cholesky.Solve([-1], 1, [1], out _));
    }
}
