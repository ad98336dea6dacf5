namespace MLPipelines.AutoML.Search;

/// <summary>
/// A mixture of normals truncated to a numeric parameter's axis (<see cref="NumericScale"/>: log
/// where Log, an integer's interval widened by half a step): one kernel centred on each observed
/// value and a prior kernel centred on the middle, as wide as the axis.
///
/// Bandwidths follow Optuna's TPE (its defaults consider_endpoints=False and consider_magic_clip=True,
/// which refine hyperopt's adaptive Parzen estimator): a kernel's width is the larger of the gaps to
/// its neighbours among the sorted observations and the axis's ends, except that the lowest and the
/// highest observation look only inward; widths are then kept within [axis / min(100, kernels + 1), axis].
/// The floor keeps a few close observations from collapsing the density into spikes; the ceiling,
/// with the kernel's centre inside the axis, keeps a third of each kernel's mass inside it.
/// </summary>
internal sealed class NumericParzenEstimator : ParzenEstimator
{
    private readonly NumericScale _scale;
    private readonly double[] _mus;
    private readonly double[] _sigmas;
    private readonly double[] _weights;
    private readonly double[] _logWeights;
    private readonly double[] _logTruncatedMasses; // of each kernel inside the axis, the denominator of its density

    public NumericParzenEstimator(NumericScale scale, IReadOnlyList<double> values, IReadOnlyList<double> weights, double priorWeight)
    {
        _scale = scale;
        var observed = values.Select(scale.ToScale).ToArray();
        _mus = [.. observed, 0.5 * (scale.Low + scale.High)];
        _sigmas = [.. Bandwidths(observed, scale.Low, scale.High), scale.High - scale.Low];
        _weights = MixtureWeights(weights, priorWeight);
        _logWeights = [.. _weights.Select(w => Math.Log(w))];
        _logTruncatedMasses = new double[_mus.Length];
        for (var k = 0; k < _mus.Length; k++)
            _logTruncatedMasses[k] = TruncatedNormal.LogMass((scale.Low - _mus[k]) / _sigmas[k], (scale.High - _mus[k]) / _sigmas[k]);
    }

    private static double[] Bandwidths(double[] mus, double low, double high)
    {
        var n = mus.Length;
        var order = Enumerable.Range(0, n).OrderBy(i => mus[i]).ToArray();
        // The sorted centres with the axis's ends around them.
        var points = new double[n + 2];
        points[0] = low;
        points[^1] = high;
        for (var j = 0; j < n; j++) points[j + 1] = mus[order[j]];

        var sorted = new double[n];
        for (var j = 0; j < n; j++) sorted[j] = Math.Max(points[j + 1] - points[j], points[j + 2] - points[j + 1]);
        if (n >= 2)
        {
            sorted[0] = points[2] - points[1];
            sorted[^1] = points[^2] - points[^3];
        }

        var sigmas = new double[n];
        var minimum = (high - low) / Math.Min(100.0, n + 2); // n observations and the prior are n + 1 kernels
        for (var j = 0; j < n; j++) sigmas[order[j]] = Math.Clamp(sorted[j], minimum, high - low);
        return sigmas;
    }

    public override double Sample(Random random)
    {
        var k = Pick(_weights, random);
        return _scale.ValueAt(TruncatedNormal.Sample(random, _mus[k], _sigmas[k], _scale.Low, _scale.High));
    }

    public override double LogDensity(double value)
    {
        // An integer's probability is the mass of its step; a float's density is taken on the axis,
        // where the log's Jacobian is the same for both estimators of the TPE's ratio and cancels.
        var x = _scale.ToScale(value);
        var (from, to) = _scale.Integer ? (_scale.ToScale(value - 0.5), _scale.ToScale(value + 0.5)) : (x, x);
        var terms = new double[_mus.Length];
        for (var k = 0; k < _mus.Length; k++)
        {
            var logKernel = _scale.Integer
                ? TruncatedNormal.LogMass((from - _mus[k]) / _sigmas[k], (to - _mus[k]) / _sigmas[k])
                : TruncatedNormal.LogStandardDensity((x - _mus[k]) / _sigmas[k]) - Math.Log(_sigmas[k]);
            terms[k] = _logWeights[k] + logKernel - _logTruncatedMasses[k];
        }
        return LogSumExp(terms);
    }

    private static double LogSumExp(double[] terms)
    {
        var max = terms.Max();
        if (double.IsNegativeInfinity(max)) return max;
        var sum = 0.0;
        foreach (var term in terms) sum += Math.Exp(term - max);
        return max + Math.Log(sum);
    }
}
