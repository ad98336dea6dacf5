namespace MLPipelines.Transforms.Scaling;

/// <summary>Order statistics (sorting finite values, quantiles, interpolation), computed as NumPy computes them.</summary>
public static class Quantiles
{
    /// <summary>The finite values, sorted.</summary>
    public static double[] SortedFinite(ReadOnlySpan<double> values)
    {
        var finite = new List<double>(values.Length);
        foreach (var v in values) if (double.IsFinite(v)) finite.Add(v);
        var sorted = finite.ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    /// <summary>The q-quantile (0 ≤ q ≤ 1) of sorted values with linear interpolation (NumPy's default method).</summary>
    public static double Linear(double[] sorted, double q)
    {
        var index = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(index);
        if (lower >= sorted.Length - 1) return sorted[^1];
        var t = index - lower;
        var a = sorted[lower];
        var b = sorted[lower + 1];
        // NumPy's lerp: measured from the nearer end, so that t = 1 gives b exactly.
        return t < 0.5 ? a + (b - a) * t : b - (b - a) * (1 - t);
    }

    /// <summary>
    /// NumPy's interp: piecewise-linear through (xp, fp), constant beyond the ends; at a run
    /// of equal xp it takes the last of them, exactly at a knot it returns that knot's value.
    /// </summary>
    public static double Interpolate(double x, double[] xp, double[] fp)
    {
        if (x < xp[0]) return fp[0];
        if (x > xp[^1]) return fp[^1];
        // The last j with xp[j] <= x.
        int lo = 0, hi = xp.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (xp[mid] <= x) lo = mid + 1;
            else hi = mid;
        }
        var j = lo - 1;
        if (j == xp.Length - 1 || xp[j] == x) return fp[j];
        var slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
        return slope * (x - xp[j]) + fp[j];
    }
}
