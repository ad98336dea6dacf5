namespace MLPipelines.AutoML.Search;

/// <summary>
/// Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio and Kégl, NeurIPS 2011), with
/// Optuna's defaults. After <see cref="StartupTrials"/> random configurations, the history is
/// split into the best γ(n) observations and the rest; each parameter gets a density l(x) from the
/// good values and g(x) from the others (<see cref="NumericParzenEstimator"/>,
/// <see cref="CategoricalParzenEstimator"/>); <see cref="Candidates"/> values are drawn from l and
/// the one with the largest l(x)/g(x) is proposed, which maximizes expected improvement under the
/// TPE's model. Univariate: every parameter is chosen independently, as in Optuna's default and hyperopt.
/// </summary>
public sealed class TpeSampler : ISampler
{
    /// <summary>How many observations to gather with random configurations before modelling them. Default 10.</summary>
    public int StartupTrials
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(StartupTrials), value, "StartupTrials must not be negative.");
    } = 10;

    /// <summary>How many values of each parameter are drawn from l(x) to choose from. Default 24.</summary>
    public int Candidates
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Candidates), value, "Candidates must be at least 1.");
    } = 24;

    /// <summary>The weight of each estimator's prior kernel, against 1 for an observation. Default 1.</summary>
    public double PriorWeight
    {
        get;
        init => field = value > 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(PriorWeight), value, "PriorWeight must be positive.");
    } = 1.0;

    /// <summary>How many of n observations count as good: Optuna's γ(n) = min(⌈n / 10⌉, 25).</summary>
    public static int GoodCount(int observations) => Math.Min((observations + 9) / 10, 25);

    public Configuration Propose(SearchSpace space, IReadOnlyList<Observation> history, Random random)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(random);

        // Observations of another space (a parameter added, a range narrowed) say nothing reliable about this one.
        var usable = history.Where(o => space.Contains(o.Configuration)).ToList();
        if (usable.Count == 0 || usable.Count < StartupTrials) return RandomSampler.Draw(space, random);

        var (good, bad) = Split(usable);
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var parameter in space.Parameters)
        {
            var chosen = Choose(parameter, good, bad, random);
            values[parameter.Name] = parameter switch
            {
                FloatParameter => chosen,
                IntParameter => (int)chosen,
                ChoiceParameter choice => choice.Choices[(int)chosen],
                _ => throw new NotSupportedException($"Parameter '{parameter.Name}' is a {parameter.GetType().Name}, which the TPE sampler cannot model."),
            };
        }
        return new Configuration(values);
    }

    /// <summary>The best γ(n) (<see cref="Rank"/>) and the rest, each in history order.</summary>
    private static (List<Observation> Good, List<Observation> Bad) Split(List<Observation> history)
    {
        var ranked = Rank(history);
        var good = ranked.Take(GoodCount(history.Count)).Order().ToList();
        var bad = ranked.Skip(good.Count).Order().ToList();
        return (good.Select(i => history[i]).ToList(), bad.Select(i => history[i]).ToList());
    }

    /// <summary>
    /// The observations' indexes, best first, as Optuna's TPE ranks trials: scored ones by loss;
    /// then those stopped before they were scored, the furthest first, then by their loss there;
    /// then NaN losses (failed). Ties go to the earlier.
    /// </summary>
    internal static List<int> Rank(IReadOnlyList<Observation> history)
    {
        static int Group(Observation o) => o.StoppedAt is not null ? 1 : double.IsNaN(o.Loss) ? 2 : 0;
        return Enumerable.Range(0, history.Count)
            .OrderBy(i => Group(history[i]))
            .ThenByDescending(i => history[i].StoppedAt ?? 0)
            .ThenBy(i => double.IsNaN(history[i].Loss) ? double.PositiveInfinity : history[i].Loss)
            .ToList();
    }

    /// <summary>The candidate drawn from l with the largest l(x)/g(x); the first of equals.</summary>
    private double Choose(Parameter parameter, List<Observation> good, List<Observation> bad, Random random)
    {
        var l = Estimator(parameter, good);
        var g = Estimator(parameter, bad);
        double best = double.NaN, bestScore = double.NegativeInfinity;
        for (var i = 0; i < Candidates; i++)
        {
            var candidate = l.Sample(random);
            var score = l.LogDensity(candidate) - g.LogDensity(candidate);
            if (double.IsNaN(best) || score > bestScore) (best, bestScore) = (candidate, score);
        }
        return best;
    }

    private ParzenEstimator Estimator(Parameter parameter, List<Observation> observations)
    {
        var values = observations.Select(o => Axis(parameter, o.Configuration.Values[parameter.Name])).ToList();
        return ParzenEstimator.Of(parameter, values, Weights(observations.Count), PriorWeight);
    }

    private static double Axis(Parameter parameter, object value) => parameter switch
    {
        ChoiceParameter choice => choice.IndexOf((string)value),
        IntParameter => (int)value,
        _ => (double)value,
    };

    /// <summary>
    /// Optuna's weights of observations in history order: equal for up to 25; beyond that the
    /// newest 25 keep weight 1 and older ones ramp down linearly towards 1/n, so that the model
    /// follows where the search has moved.
    /// </summary>
    internal static double[] Weights(int n)
    {
        var weights = new double[n];
        var ramp = Math.Max(0, n - 25);
        for (var i = 0; i < n; i++)
            weights[i] = i >= ramp ? 1.0 : ramp == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * i / (ramp - 1);
        return weights;
    }
}
