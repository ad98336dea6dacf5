using MLPipelines.AutoML.Trials;
using MLPipelines.AutoML.Verdicts;

namespace MLPipelines.AutoML.Experiments;

/// <summary>
/// The trial that represents a family in the verdict. Deep trials that converged come before
/// those stopped by the budget (a converged deep model is a fair judge of the family; an
/// unconverged one only when none converged). Among the completed trials of the family, the
/// best mean wins, except that between near-equals the cheaper one to predict is taken: a
/// trial within the verdict's margin of the best and not significantly worse (corrected
/// resampled t-test) that predicts in at most half the time replaces it (a smaller difference
/// in predict time is within the noise of a timing).
/// </summary>
public static class FamilyChampion
{
    public static TrialRecord? Choose(IReadOnlyList<TrialRecord> history, ModelFamily family, ExperimentSettings settings, TaskMetric metric)
    {
        var completed = history.Where(t => t.Family == family && t.FoldScores(settings.Folds) is not null).ToList();
        if (completed.Count == 0) return null;
        var converged = completed.Where(t => t.Converged(settings.Folds)).ToList();
        var pool = converged.Count > 0 ? converged : completed;
        double Loss(TrialRecord t) => metric.Loss(t.Mean(settings.Folds)!.Value);
        var best = pool.OrderBy(Loss).ThenBy(t => t.Number).First();
        var margin = settings.Verdict.RelativeMargin * Math.Abs(best.Mean(settings.Folds)!.Value);
        var sign = metric.HigherIsBetter ? 1 : -1;
        // Predict times of the search's folds only: every trial has them, and a repetition's folds (which only the
        // verdict's contenders get, on a machine perhaps busier then) would otherwise move the choice after it was repeated.
        double PredictSeconds(TrialRecord t) => t.Folds.Where(f => f.Fold <= settings.Folds).Average(f => f.PredictSeconds);
        return pool.Where(t => t != best && PredictSeconds(t) <= PredictSeconds(best) / 2)
            .Where(t => Loss(t) - Loss(best) <= margin)
            .Where(t => CorrectedResampledTTest.Test(best.FoldScores(settings.Folds)!.Zip(t.FoldScores(settings.Folds)!, (b, c) => sign * (b - c)).ToList(),
                1.0 / (settings.Folds - 1), settings.Verdict.Alpha).PValue >= settings.Verdict.Alpha)
            .OrderBy(PredictSeconds).ThenBy(t => t.Number)
            .FirstOrDefault() ?? best;
    }
}
