using MLPipelines.AutoML.Trials;

namespace MLPipelines.AutoML.Experiments;

/// <summary>
/// Successive halving (<see cref="SuccessiveHalving"/>) inside a tuned trial's first fold:
/// after every epoch or boosting round the runner passes the fold's validation curve so far;
/// at a rung it is compared with the first-fold curves of the candidate's earlier tuned trials
/// (read from the history, so that a resumed experiment decides as the uninterrupted one did).
/// Curves are losses (<see cref="SuccessiveHalving.Loss"/>), as floats, as the store keeps them,
/// for the same reason.
/// </summary>
internal sealed class FirstFoldHalving(IReadOnlyList<float[]> earlierCurves)
{
    /// <summary>The first-fold curves of <paramref name="candidate"/>'s earlier tuned trials, whatever became of them (a trial pruned at a rung counts at the rungs it reached).</summary>
    public static FirstFoldHalving For(string candidate, IReadOnlyList<TrialRecord> history) =>
        new(history.Where(t => t.Candidate == candidate && t.Configuration is not null).OrderBy(t => t.Number)
            .Select(t => t.Folds.FirstOrDefault(f => f.Fold == 1)?.LearningCurve).OfType<float[]>().ToList());

    /// <summary>
    /// After a step whose loss curve (one validation loss per step so far) is <paramref name="curve"/>:
    /// the note of a trial to prune, or null to go on. The note gives <paramref name="metric"/>'s values as the trainer reported them.
    /// </summary>
    public string? Check(SuccessiveHalving rule, IReadOnlyList<float> curve, string metric)
    {
        var step = curve.Count;
        if (!rule.IsRung(step)) return null;
        var value = SuccessiveHalving.BestSoFar(curve, step)!.Value;
        var earlier = earlierCurves.Select(c => SuccessiveHalving.BestSoFar(c, step)).OfType<double>().ToList();
        var decision = rule.Decide(value, earlier, higherIsBetter: false);
        if (decision is not { Prune: true }) return null;
        string Reported(double loss) => Verdicts.VerdictRule.Number(SuccessiveHalving.Loss(loss, metric));   // negation undoes itself
        return $"pruned at {rule.Unit} {step} by successive halving: validation {metric} {Reported(value)} not in the best {rule.Share} " +
               $"({decision.Kept} of {decision.Trials}) of this model's tuned trials at that {rule.Unit} (best {Reported(decision.Best)})";
    }
}
