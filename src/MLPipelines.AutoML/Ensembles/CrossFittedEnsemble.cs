using MLPipelines.AutoML.Experiments;
using MLPipelines.AutoML.Trials;

namespace MLPipelines.AutoML.Ensembles;

/// <summary>
/// The ensemble contender of the verdict: ensemble selection (<see cref="EnsembleSelection"/>)
/// over the stored out-of-fold predictions of the best trials of both families. Its per-fold
/// scores must be as honest as a single model's, so they are cross-fitted: the weights scored
/// on fold k are chosen on the other folds' predictions only (choosing them on fold k itself
/// would let the ensemble fit the rows it is judged on). The weights of the ensemble that is
/// refitted and shipped are chosen on all folds.
/// </summary>
public static class CrossFittedEnsemble
{
    /// <summary>The library: the best trials of each family (more mostly adds near-copies of the same model, and time).</summary>
    public const int TrialsPerFamily = 5;

    /// <param name="history">Every trial so far.</param>
    /// <param name="foldLabels">The labels of each fold's held-out rows (<see cref="FoldLabels"/>), repetition after repetition of k-fold.</param>
    /// <param name="settings">The experiment's task and folds.</param>
    /// <param name="metric">What the selection optimizes.</param>
    /// <returns>The ensemble, or null when fewer than two trials qualify or the selection keeps a single model (which is a contender already).</returns>
    public static TrialEnsemble? Build(IReadOnlyList<TrialRecord> history, IReadOnlyList<float[]> foldLabels, ExperimentSettings settings, TaskMetric metric)
    {
        var folds = foldLabels.Count;
        var library = Library(history, settings, metric, folds / settings.Folds);
        if (library.Count < 2) return null;
        var predictions = library.Select(t => t.Folds.Where(f => f.Fold <= folds).OrderBy(f => f.Fold).Select(f => f.Predictions!).ToArray()).ToArray();

        var scores = new double[folds];
        for (var held = 0; held < folds; held++)
        {
            // Weights for a fold come from the other folds of its own repetition of k-fold (the others hold the same rows).
            var repetition = held / settings.Folds * settings.Folds;
            var others = Enumerable.Range(repetition, settings.Folds).Where(f => f != held).ToList();
            var weights = Weights(predictions.Select(p => Concatenate(others.Select(f => p[f]))).ToList(), Concatenate(others.Select(f => foldLabels[f])), settings, metric);
            var blended = EnsembleSelection.Blend(predictions.Select(p => p[held]).ToList(), weights);
            scores[held] = PredictionMetric.Compute(settings.Task, blended, foldLabels[held]);
        }

        var final = Weights(predictions.Select(p => Concatenate(p)).ToList(), Concatenate(foldLabels), settings, metric);
        var members = library.Select((t, m) => new EnsembleMember(t, final[m])).Where(m => m.Weight > 0).ToList();
        return members.Count < 2 ? null : new TrialEnsemble(members, scores) { LibrarySize = library.Count };
    }

    /// <summary>
    /// Completed trials of both families scored on every fold of the first <paramref name="repeats"/>
    /// repetitions of k-fold, their search folds converged and every fold predicted; the best of each family by the
    /// search's folds, best first (ties: earlier trial first).
    /// </summary>
    internal static List<TrialRecord> Library(IReadOnlyList<TrialRecord> history, ExperimentSettings settings, TaskMetric metric, int repeats) =>
        new[] { ModelFamily.Classical, ModelFamily.Deep }
            .SelectMany(family => history
                .Where(t => t.Family == family && t.RepeatedFoldScores(settings.Folds, repeats) is not null
                            && t.Converged(settings.Folds) && t.Folds.Where(f => f.Fold <= settings.Folds * repeats).All(f => f.Predictions is not null))
                .OrderBy(t => metric.Loss(t.Mean(settings.Folds)!.Value)).ThenBy(t => t.Number)
                .Take(TrialsPerFamily))
            .OrderBy(t => metric.Loss(t.Mean(settings.Folds)!.Value)).ThenBy(t => t.Number)
            .ToList();

    private static double[] Weights(IReadOnlyList<float[]> predictions, float[] labels, ExperimentSettings settings, TaskMetric metric)
    {
        var counts = EnsembleSelection.Select(predictions, labels, settings.Task, metric);
        return counts.Select(c => (double)c / EnsembleSelection.DefaultSteps).ToArray();
    }

    private static float[] Concatenate(IEnumerable<float[]> parts) => parts.SelectMany(p => p).ToArray();
}
