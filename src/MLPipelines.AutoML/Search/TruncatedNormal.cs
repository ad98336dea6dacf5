namespace MLPipelines.AutoML.Search;

/// <summary>
/// The normal distribution truncated to [low, high]: the kernel of the TPE's Parzen estimators.
/// Works in logarithms throughout, because an integer's probability is the mass of a narrow
/// interval that can lie a hundred standard deviations out, where plain differences of the
/// normal CDF are 0 - 0.
/// </summary>
internal static class TruncatedNormal
{
    private static readonly double LogSqrtTwoPi = 0.5 * Math.Log(2 * Math.PI);
    private static readonly double Sqrt2 = Math.Sqrt(2);

    /// <summary>
    /// A draw by rejection. The TPE's kernels are centred inside [low, high] with a standard
    /// deviation no wider than the interval, so the interval holds at least Φ(1) - Φ(0) ≈ 34%
    /// of the mass and fewer than three tries are needed on average.
    /// </summary>
    public static double Sample(Random random, double mu, double sigma, double low, double high)
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var x = mu + sigma * StandardNormal(random);
            if (x >= low && x <= high) return x;
        }
        // Only a kernel far outside its interval gets here; its nearest end is the likeliest point.
        return Math.Clamp(mu, low, high);
    }

    /// <summary>Box–Muller, from the caller's generator only, so that a seeded search repeats.</summary>
    private static double StandardNormal(Random random)
    {
        var u = 1.0 - random.NextDouble(); // in (0, 1]: the logarithm stays finite
        var v = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
    }

    /// <summary>log φ(z), the standard normal's log density; a kernel's density is this less log σ and its <see cref="LogMass"/> inside the bounds.</summary>
    public static double LogStandardDensity(double z) => -0.5 * z * z - LogSqrtTwoPi;

    /// <summary>log(Φ(b) − Φ(a)) for a &lt; b, accurate in either tail and for narrow intervals.</summary>
    public static double LogMass(double a, double b)
    {
        if (a >= b) return double.NegativeInfinity;
        // By symmetry, keep the interval's left end at or below 0.
        if (a > 0) (a, b) = (-b, -a);
        if (b <= 0)
        {
            // Both ends in the left tail: subtract in logarithms.
            var logB = LogNormalCdf(b);
            return logB + Math.Log(-ExpMinusOne(LogNormalCdf(a) - logB));
        }
        // The interval holds 0: add the two halves, which has nothing to cancel.
        return Math.Log(0.5 * (Erf(b / Sqrt2) + Erf(-a / Sqrt2)));
    }

    /// <summary>log Φ(z) for z ≤ 0.</summary>
    private static double LogNormalCdf(double z) => LogErfc(-z / Sqrt2) - Math.Log(2);

    /// <summary>e^x − 1 without losing the digits of a tiny x (the framework's ExpM1 is Exp(x) − 1).</summary>
    private static double ExpMinusOne(double x) => Math.Abs(x) < 1e-5 ? x + x * x / 2 + x * x * x / 6 : Math.Exp(x) - 1;

    // The framework has no erf. Below SeriesEnd a series of positive terms gives erf to full
    // precision; above it a continued fraction gives log erfc to full precision, however far out.
    private const double SeriesEnd = 2.5;

    /// <summary>erf(x) for x ≥ 0.</summary>
    internal static double Erf(double x)
    {
        if (x >= SeriesEnd) return -ExpMinusOne(LogErfc(x));
        // erf x = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)) (Abramowitz & Stegun 7.1.6)
        double term = x, sum = x;
        for (var n = 1; n < 200 && term > 1e-17 * sum; n++)
        {
            term *= 2 * x * x / (2 * n + 1);
            sum += term;
        }
        return 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x) * sum;
    }

    /// <summary>log erfc(x) for x ≥ 0.</summary>
    internal static double LogErfc(double x)
    {
        if (x < SeriesEnd) return Math.Log(1 - Erf(x));
        // erfc x = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) (A&S 7.1.14), by Lentz's method.
        const double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (var k = 1; k < 500; k++)
        {
            var a = k / 2.0;
            d = x + a * d;
            d = d == 0 ? 1 / tiny : 1 / d;
            c = x + a / c;
            if (c == 0) c = tiny;
            var delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return -x * x - 0.5 * Math.Log(Math.PI) - Math.Log(f);
    }
}
