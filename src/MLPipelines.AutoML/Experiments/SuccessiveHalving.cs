namespace MLPipelines.AutoML.Experiments;

/// <summary>
/// The rule of asynchronous successive halving (ASHA: Li, Jamieson, Rostamizadeh, Gonina,
/// Ben-tzur, Hardt, Recht and Talwalkar, "A System for Massively Parallel Hyperparameter
/// Tuning", MLSys 2020), applied as Optuna's <c>SuccessiveHalvingPruner</c> applies it, one
/// trial at a time: rungs at r·η^i units of training (epochs, boosting rounds); at each rung a
/// trial goes on only if its best validation value so far is among the best ⌊n/η⌋ of the n
/// trials that reached that rung (itself included). Unlike Optuna, which lets a trial through
/// only when it is the best while fewer than η trials are there, no decision is taken until η
/// earlier trials reached the rung: the first trials of a search are not judged on too little.
/// </summary>
/// <param name="Unit">What a step is called in notes: "epoch", "round".</param>
/// <param name="MinResource">r: the first rung.</param>
/// <param name="ReductionFactor">η: one trial in η goes on past a rung.</param>
public sealed record SuccessiveHalving(string Unit, int MinResource, int ReductionFactor)
{
    /// <summary>
    /// Deep models: rungs at epochs 4, 12, 36, 108. η = 3 is Hyperband's and ASHA's choice in
    /// Li et al.'s experiments; 4 epochs rather than 1, because the first epochs of the
    /// published recipes (warm-up, large learning rates) rank configurations poorly, and with
    /// 200–256 epochs at most four rungs still fall inside the training.
    /// </summary>
    public static SuccessiveHalving Epochs { get; } = new("epoch", 4, 3);

    /// <summary>
    /// XGBoost's boosted trees: rungs at rounds 50, 150, 450, 1350. The first rung is the
    /// trainer's early-stopping window (50 rounds): as many rounds as a configuration is given
    /// anyway to show an improvement; four rungs fall inside its 2,000 rounds. η = 3 as above.
    /// </summary>
    public static SuccessiveHalving Rounds { get; } = new("round", 50, 3);

    /// <summary>Whether <paramref name="step"/> (counted from 1) is a rung: r·η^i for some i ≥ 0.</summary>
    public bool IsRung(int step)
    {
        if (step < MinResource) return false;
        long rung = MinResource;
        while (rung < step) rung *= ReductionFactor;
        return rung == step;
    }

    /// <summary>
    /// The decision at a rung for a trial whose best validation value so far is
    /// <paramref name="value"/>, against the values <paramref name="earlier"/> trials had at the
    /// same rung. Null (no decision) with fewer than η earlier values. A NaN value (diverged)
    /// counts as the worst; equal values count in the trial's favour.
    /// </summary>
    public RungDecision? Decide(double value, IReadOnlyList<double> earlier, bool higherIsBetter)
    {
        if (earlier.Count < ReductionFactor) return null;
        double Loss(double v) => double.IsNaN(v) ? double.PositiveInfinity : higherIsBetter ? -v : v;
        var loss = Loss(value);
        var trials = earlier.Count + 1;
        var kept = trials / ReductionFactor;
        var ahead = earlier.Count(e => Loss(e) < loss);
        return new RungDecision(ahead >= kept, trials, kept, earlier.MinBy(Loss));
    }

    /// <summary>The lowest loss among the first <paramref name="step"/> entries of a loss curve (NaN entries skipped; NaN when all are); null when the curve is shorter.</summary>
    public static double? BestSoFar(IReadOnlyList<float> losses, int step)
    {
        if (losses.Count < step) return null;
        var finite = losses.Take(step).Where(float.IsFinite).Select(v => (double)v).ToList();
        return finite.Count == 0 ? double.NaN : finite.Min();
    }

    /// <summary>A validation value as a loss (lower is better): negated when the metric is better higher.</summary>
    public static double Loss(double value, string metric) => HigherIsBetter(metric) ? -value : value;

    /// <summary>
    /// Whether a validation metric the trainers report is better higher. The deep trainer
    /// reports "rmse" or "log-loss"; XGBoost's eval_metric names that it maximizes in early
    /// stopping are those of its own list (auc, aucpr, map, ndcg, pre, with their "@k" forms);
    /// every other one (rmse, logloss, mlogloss, error, ...) is minimized.
    /// </summary>
    public static bool HigherIsBetter(string metric)
    {
        var name = metric.Split(':')[0].ToLowerInvariant();
        return name is "auc" or "aucpr" or "map" or "ndcg" or "pre" || name.StartsWith("auc@", StringComparison.Ordinal) ||
               name.StartsWith("aucpr@", StringComparison.Ordinal) || name.StartsWith("map@", StringComparison.Ordinal) ||
               name.StartsWith("ndcg@", StringComparison.Ordinal) || name.StartsWith("pre@", StringComparison.Ordinal);
    }

    /// <summary>"third" for η = 3, "quarter" for 4, "half" for 2, else "1/η".</summary>
    public string Share => ReductionFactor switch { 2 => "half", 3 => "third", 4 => "quarter", _ => $"1/{ReductionFactor}" };
}

/// <summary>A rung's decision: prune or go on; how many trials reached the rung (this one included), how many of them go on, and the best earlier value there.</summary>
public sealed record RungDecision(bool Prune, int Trials, int Kept, double Best);
