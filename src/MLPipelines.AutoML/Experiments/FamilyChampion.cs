using MLPipelines.AutoML.Trials;
using MLPipelines.AutoML.Verdicts;

namespace MLPipelines.AutoML.Experiments;

/// <summary>
/// The trial that represents a family in the verdict. Among the completed trials of the family, the
/// best mean wins, except between near-equals: trials within the verdict's margin of the best
/// and not significantly worse (corrected resampled t-test). Of near-equals, deep ones that
/// converged come before those stopped by the budget (a converged model is the fairer judge of its
/// family: a cut one is judged only where it wins, see <see cref="VerdictRule"/>); a cut trial better
/// by more than that stands for its family (letters N–Z, 20 labeled rows per class, 3 minutes: the
/// fine-tuned MLP's five bags, cut, 0.8308 against the converged MLP's 0.7885). For the verdict's last decision
/// (<c>preferRepeated</c>), the ones scored on the most of the verdict's repetitions of k-fold are
/// kept: a trial found too late for its repetitions leads the family's repeated champion on the
/// search's folds alone, where it was the best of many trials, and a lead inside the margin there
/// is the optimism the repetitions exist to remove; had it replaced the champion, the verdict
/// would have gone back to those folds (letters N–Z, 50 labeled rows per class, 3 minutes: LightGbm
/// #55, 0.8815 against the repeated #27's 0.8785, found with 5 s left). Not before: while time is
/// left, the repetitions catch the better trial up, and the family is represented by its best
/// (on wa_churn the repeated Linear stood, 0.0029 AUC behind a tuned LightGbm found after it, and
/// an ensemble beat it by 0.0044, just over the margin). Of those in turn, one that predicts in at
/// most half the time of the best of them replaces it (a smaller difference in predict time is
/// within the noise of a timing).
/// </summary>
public static class FamilyChampion
{
    public static TrialRecord? Choose(IReadOnlyList<TrialRecord> history, ModelFamily family, ExperimentSettings settings, TaskMetric metric,
        bool preferRepeated = false) =>
        Pick(history, family, settings, metric, preferRepeated)?.Champion;

    /// <summary>
    /// Why the family's champion is not its best trial on the search's folds, in words, as the console and the report
    /// print it beside the verdict (its last decision); null where it is (or the family has no completed trial).
    /// </summary>
    public static string? Explain(IReadOnlyList<TrialRecord> history, ModelFamily family, ExperimentSettings settings, TaskMetric metric)
    {
        if (Pick(history, family, settings, metric, preferRepeated: true) is not { } pick) return null;
        var (champion, best) = pick;
        if (champion == best) return null;
        string Lead(TrialRecord ahead) => VerdictRule.Number(Math.Abs(ahead.Mean(settings.Folds)!.Value - champion.Mean(settings.Folds)!.Value));
        var stands = $"{TabularExperiment.Label(champion)} stands for the {family.ToString().ToLowerInvariant()} family:";
        int Repeats(TrialRecord t) => t.RepeatsScored(settings.Folds, settings.Repeats);
        var why = !best.Converged(settings.Folds) && champion.Converged(settings.Folds)
            ? $"its time limit cut {best.Folds.Count(f => f.Fold <= settings.Folds && !f.Converged)} of its {settings.Folds} folds (of near-equals, a deep model that converged judges its family)"
            : Repeats(champion) > Repeats(best)
                ? $"was scored on fewer of the verdict's repetitions of k-fold ({Repeats(best)} against {Repeats(champion)})"
                : "takes at least twice as long to predict";
        // The best is first among equal means by its number alone: "ahead by 0" would claim a lead it does not have.
        var standing = best.Mean(settings.Folds) == champion.Mean(settings.Folds)
            ? "scores the same on the search's folds"
            : $"is ahead on the search's folds by {Lead(best)} {metric.Name}, inside the margin and not significantly,";
        return $"{stands} {TabularExperiment.Label(best)} {standing} and {why}";
    }

    /// <summary>The family's champion and its best trial on the search's folds (the same trial unless near-equals decided).</summary>
    private static (TrialRecord Champion, TrialRecord Best)? Pick(IReadOnlyList<TrialRecord> history, ModelFamily family, ExperimentSettings settings, TaskMetric metric,
        bool preferRepeated)
    {
        var completed = history.Where(t => t.Family == family && t.FoldScores(settings.Folds) is not null).ToList();
        if (completed.Count == 0) return null;
        double Loss(TrialRecord t) => metric.Loss(t.Mean(settings.Folds)!.Value);
        var best = completed.OrderBy(Loss).ThenBy(t => t.Number).First();
        var margin = settings.Verdict.RelativeMargin * Math.Abs(best.Mean(settings.Folds)!.Value);
        var sign = metric.HigherIsBetter ? 1 : -1;
        var nearEquals = completed.Where(t => t == best || (Loss(t) - Loss(best) <= margin
            && CorrectedResampledTTest.Test(best.FoldScores(settings.Folds)!.Zip(t.FoldScores(settings.Folds)!, (b, c) => sign * (b - c)).ToList(),
                1.0 / (settings.Folds - 1), settings.Verdict.Alpha).PValue >= settings.Verdict.Alpha)).ToList();
        if (nearEquals.Any(t => t.Converged(settings.Folds))) nearEquals = nearEquals.Where(t => t.Converged(settings.Folds)).ToList();
        var checkedOnNewSplits = nearEquals;
        if (preferRepeated)
        {
            int Repeats(TrialRecord t) => t.RepeatsScored(settings.Folds, settings.Repeats);
            var mostRepeated = nearEquals.Max(Repeats);
            checkedOnNewSplits = nearEquals.Where(t => Repeats(t) == mostRepeated).ToList();
        }
        var first = checkedOnNewSplits.OrderBy(Loss).ThenBy(t => t.Number).First();
        // Predict times of the search's folds only: every trial has them, and a repetition's folds (which only the
        // verdict's contenders get, on a machine perhaps busier then) would otherwise move the choice after it was repeated.
        double PredictSeconds(TrialRecord t) => t.Folds.Where(f => f.Fold <= settings.Folds).Average(f => f.PredictSeconds);
        var champion = checkedOnNewSplits.Where(t => t != first && PredictSeconds(t) <= PredictSeconds(first) / 2)
            .OrderBy(PredictSeconds).ThenBy(t => t.Number)
            .FirstOrDefault() ?? first;
        return (champion, best);
    }
}
