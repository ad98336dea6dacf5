using System.Numerics.Tensors;

namespace MLPipelines.Trainers;

/// <summary>
/// Solves A·x = b for a symmetric positive definite A through its Cholesky factor A = L·Lᵀ,
/// what LAPACK's potrf/potrs do (ML.NET's OLS trainer calls them through MKL, which is not a
/// package here). For the few hundred unknowns a direct solver is for, these loops take
/// milliseconds, so no linear-algebra dependency is added.
/// </summary>
internal static class Cholesky
{
    /// <summary>
    /// A pivot below this fraction of its diagonal counts as zero. For a scatter matrix the
    /// ratio is 1 − R² of the column regressed on the columns before it: below 1e-12 the column
    /// is a combination of the others to twelve digits, and solving would blow rounding up
    /// into the weights.
    /// </summary>
    private const double PivotTolerance = 1e-12;

    /// <summary>
    /// Solves A·x = b, reading the lower triangle of the row-major n×n <paramref name="a"/>.
    /// When A is not positive definite (constant or collinear features without a penalty), δ·I
    /// is added and the factorization retried: δ from 1e-10 of A's mean diagonal, ten times
    /// larger each time, up to 1e-2 of it. <paramref name="jitter"/> is the δ used, 0 when none
    /// was needed; a caller should say when it is not 0.
    /// </summary>
    public static double[] Solve(ReadOnlySpan<double> a, int n, ReadOnlySpan<double> b, out double jitter)
    {
        var meanDiagonal = 0.0;
        for (var i = 0; i < n; i++) meanDiagonal += a[i * n + i] / n;
        var scale = meanDiagonal > 0 ? meanDiagonal : 1;
        var factor = new double[n * n];
        jitter = 0;
        while (true)
        {
            a.CopyTo(factor);
            for (var i = 0; i < n && jitter > 0; i++) factor[i * n + i] += jitter;
            if (TryFactor(factor, n)) break;
            jitter = jitter == 0 ? 1e-10 * scale : jitter * 10;
            if (jitter > 1e-2 * scale)
                throw new ArithmeticException($"the {n}×{n} system is not positive definite even with {jitter / 10:G3} added to its diagonal (is a feature NaN or infinite?)");
        }
        var x = b.ToArray();
        SolveFactored(factor, n, x);
        return x;
    }

    /// <summary>Factors the row-major n×n <paramref name="a"/> in place into L (its lower triangle; the rest is left alone). False when A is not positive definite.</summary>
    public static bool TryFactor(Span<double> a, int n)
    {
        for (var j = 0; j < n; j++)
        {
            var rowJ = a.Slice(j * n, j + 1);
            var diagonal = rowJ[j];
            var pivot = diagonal - TensorPrimitives.Dot<double>(rowJ[..j], rowJ[..j]);
            if (!(pivot > PivotTolerance * diagonal)) return false;   // NaN fails too
            var root = Math.Sqrt(pivot);
            rowJ[j] = root;
            for (var i = j + 1; i < n; i++)
            {
                // Row-major L: the entries left of the diagonal of rows i and j are contiguous.
                var rowI = a.Slice(i * n, j + 1);
                rowI[j] = (rowI[j] - TensorPrimitives.Dot<double>(rowI[..j], rowJ[..j])) / root;
            }
        }
        return true;
    }

    /// <summary>Solves L·Lᵀ·x = b in place, L from <see cref="TryFactor"/>.</summary>
    public static void SolveFactored(ReadOnlySpan<double> l, int n, Span<double> b)
    {
        for (var i = 0; i < n; i++)
            b[i] = (b[i] - TensorPrimitives.Dot<double>(l.Slice(i * n, i), b[..i])) / l[i * n + i];
        for (var i = n - 1; i >= 0; i--)
        {
            var sum = b[i];
            for (var k = i + 1; k < n; k++) sum -= l[k * n + i] * b[k];
            b[i] = sum / l[i * n + i];
        }
    }
}
