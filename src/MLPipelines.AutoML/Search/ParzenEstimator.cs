namespace MLPipelines.AutoML.Search;

/// <summary>
/// A density over one parameter's values built from observed values: a weighted mixture of one
/// kernel per observation and one prior kernel spread over the whole range. Values are doubles:
/// the number for a numeric parameter, the choice's position for a choice.
/// </summary>
internal abstract class ParzenEstimator
{
    /// <summary>A value drawn from the density.</summary>
    public abstract double Sample(Random random);

    /// <summary>The log density (for a choice or an integer, the log probability) of a value.</summary>
    public abstract double LogDensity(double value);

    /// <summary>The estimator of one parameter from its observed values and their weights.</summary>
    public static ParzenEstimator Of(Parameter parameter, IReadOnlyList<double> values, IReadOnlyList<double> weights, double priorWeight) => parameter switch
    {
        ChoiceParameter choice => new CategoricalParzenEstimator(choice.Choices.Count, values, weights, priorWeight),
        _ => new NumericParzenEstimator(NumericScale.Of(parameter), values, weights, priorWeight),
    };

    /// <summary>The observations' weights followed by the prior's, summing to 1.</summary>
    protected static double[] MixtureWeights(IReadOnlyList<double> weights, double priorWeight)
    {
        var mixture = weights.Append(priorWeight).ToArray();
        var total = mixture.Sum();
        for (var i = 0; i < mixture.Length; i++) mixture[i] /= total;
        return mixture;
    }

    /// <summary>The index drawn from weights that sum to 1.</summary>
    protected static int Pick(IReadOnlyList<double> weights, Random random)
    {
        var u = random.NextDouble();
        for (var i = 0; i < weights.Count - 1; i++)
        {
            u -= weights[i];
            if (u < 0) return i;
        }
        return weights.Count - 1; // what rounding leaves over
    }
}
