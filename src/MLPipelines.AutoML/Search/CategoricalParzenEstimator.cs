namespace MLPipelines.AutoML.Search;

/// <summary>
/// Smoothed counts over a choice parameter's choices, as Optuna builds them: each observation's
/// kernel puts 1 on its choice plus priorWeight / kernels on every choice, the prior's kernel is
/// uniform, and the mixture of those is a plain probability per choice.
/// </summary>
internal sealed class CategoricalParzenEstimator : ParzenEstimator
{
    private readonly double[] _probabilities;

    public CategoricalParzenEstimator(int choices, IReadOnlyList<double> values, IReadOnlyList<double> weights, double priorWeight)
    {
        var mixture = MixtureWeights(weights, priorWeight);
        var kernels = values.Count + 1;
        var smoothing = priorWeight / kernels;
        _probabilities = new double[choices];
        for (var k = 0; k < values.Count; k++)
        {
            var rowTotal = 1 + smoothing * choices;
            for (var c = 0; c < choices; c++) _probabilities[c] += mixture[k] * smoothing / rowTotal;
            _probabilities[(int)values[k]] += mixture[k] / rowTotal;
        }
        for (var c = 0; c < choices; c++) _probabilities[c] += mixture[^1] / choices;
    }

    public override double Sample(Random random) => Pick(_probabilities, random);

    public override double LogDensity(double value) => Math.Log(_probabilities[(int)value]);
}
