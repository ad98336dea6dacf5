using MLPipelines.AutoML.Search;
using MLPipelines.AutoML.Trials;

namespace MLPipelines.AutoML.Experiments;

/// <summary>The next trial: a candidate, its configuration (null: its defaults), and the time each fold of a deep model may train.</summary>
public sealed record PlannedTrial(Candidate Candidate, Configuration? Configuration, TimeSpan? FoldTimeLimit);

/// <summary>
/// Chooses trials from what has been tried, so that a resumed experiment chooses exactly what
/// the uninterrupted one would have. First the portfolio: every candidate once with its
/// defaults, in the order given (cheapest first); a deep model's folds may train as long as
/// what is left of the budget allows until one deep model has converged, then share it
/// (<see cref="DeepShare"/>); one whose share is under <see cref="MinimumDeepFoldTraining"/> a fold is
/// skipped. Then tuning, alternating the two families:
/// the family's best candidate (the next one when its trials no longer fit in the budget)
/// with a configuration the sampler proposes from that candidate's tuned trials. A deep
/// candidate whose defaults did not converge within the budget is not tuned.
/// </summary>
public sealed class SearchPlan(IReadOnlyList<Candidate> candidates, ExperimentSettings settings, TaskMetric metric, ISampler sampler)
{
    /// <summary>
    /// A deep default is not started with less training time per fold: it would learn next to nothing, and its
    /// folds' featurizing and predicting, which no limit bounds, would run past the budget (TabM on diamonds,
    /// started with 2 s of a 5-minute budget left: 17 s for one fold of one epoch).
    /// </summary>
    public static readonly TimeSpan MinimumDeepFoldTraining = TimeSpan.FromSeconds(1);

    public PlannedTrial? Next(IReadOnlyList<TrialRecord> history, TimeSpan? available)
    {
        if (available is { } left && left <= TimeSpan.Zero) return null;
        var untried = candidates.Where(c => !history.Any(t => t.Candidate == c.Name && t.Configuration is null)).ToList();
        foreach (var candidate in untried)
        {
            // 0.9: a fold also featurizes and predicts, and overshoots its limit by up to an epoch.
            TimeSpan? limit = candidate.Family == ModelFamily.Deep && available is { } time ? DeepShare(time, untried, history) * 0.9 / settings.Folds : null;
            if (limit < MinimumDeepFoldTraining) continue;
            return new PlannedTrial(candidate, null, limit);
        }

        var tuned = history.Count(t => t.Configuration is not null);
        ModelFamily[] families = tuned % 2 == 0 ? [ModelFamily.Classical, ModelFamily.Deep] : [ModelFamily.Deep, ModelFamily.Classical];
        foreach (var family in families)
        {
            foreach (var candidate in TunableByBestScore(family, history))
            {
                var trials = history.Where(t => t.Candidate == candidate.Name && t.Status == TrialStatus.Completed).ToList();
                var estimate = TimeSpan.FromSeconds(trials.Average(t => t.Seconds));
                if (available is { } time && estimate > time) continue;
                var observations = trials.Concat(history.Where(t => t.Candidate == candidate.Name && t.Status != TrialStatus.Completed))
                    .Where(t => t.Configuration is not null).OrderBy(t => t.Number).Select(t => Observe(candidate, t)).OfType<Observation>().ToList();
                var random = new Random(unchecked(settings.Seed * 1_000_003 + history.Count));
                var configuration = sampler.Propose(candidate.SearchSpace!, observations, random);
                // Under a budget, a tuned deep model may train each fold twice as long as the candidate's slowest completed fold
                // so far (and no longer than what is left); without one, nothing time-dependent enters the trial, so that the same seed gives the same result.
                TimeSpan? limit = family == ModelFamily.Deep && available is { } budgetLeft
                    ? TimeSpan.FromSeconds(Math.Min(2 * trials.Max(t => t.Folds.Max(f => f.FitSeconds)), budgetLeft.TotalSeconds / settings.Folds))
                    : null;
                return new PlannedTrial(candidate, configuration, limit);
            }
        }
        return null;
    }

    /// <summary>
    /// What a deep default may train for: until a deep model has converged, all that is left
    /// (one converged deep model can be judged; several cut short cannot); after that, an equal
    /// share with the deep defaults still to come and the tuning after them (a GPU-sized model
    /// on a CPU would otherwise take the rest of the budget for a model the verdict already has).
    /// </summary>
    private TimeSpan DeepShare(TimeSpan available, IReadOnlyList<Candidate> untried, IReadOnlyList<TrialRecord> history)
    {
        var judged = history.Any(t => t.Family == ModelFamily.Deep && t.Status == TrialStatus.Completed && t.Converged(settings.Folds));
        return judged ? available / (untried.Count(c => c.Family == ModelFamily.Deep) + 1) : available;
    }

    /// <summary>
    /// Tunable candidates of a family whose defaults completed (and, for deep ones, converged),
    /// best score so far first. Only the defaults must have converged: a tuned trial of a larger
    /// network than those before it runs into its time limit (twice the candidate's slowest fold so
    /// far) and is scored where it stopped; that says nothing against the candidate (it did take
    /// the candidate out of the tuning for the rest of the experiment: ResNet in a 2-minute run on penguins).
    /// </summary>
    private IEnumerable<Candidate> TunableByBestScore(ModelFamily family, IReadOnlyList<TrialRecord> history) =>
        candidates.Where(c => c.Family == family && c.SearchSpace is not null
                              && history.Any(t => t.Candidate == c.Name && t.Configuration is null && t.FoldScores(settings.Folds) is not null && t.Converged(settings.Folds)))
            .OrderBy(c => history.Where(t => t.Candidate == c.Name && t.FoldScores(settings.Folds) is not null).Min(t => Loss(t.Mean(settings.Folds)!.Value)));

    /// <summary>
    /// A tuned trial as the sampler sees it: its mean (or, pruned after its first fold, that
    /// fold) as a loss. A trial pruned during its first fold by successive halving has no score:
    /// it is observed as stopped where its curve ends, with its validation loss there, and the
    /// sampler ranks it below every scored trial (<see cref="Observation.StoppedAt"/>), as
    /// Optuna's TPE ranks pruned trials. Leaving it out would let the sampler propose the region
    /// it came from again and again, and with halving most trials end this way. Failed trials are
    /// left out: a failure says nothing about the score.
    /// </summary>
    private Observation? Observe(Candidate candidate, TrialRecord trial)
    {
        if (trial.Status is not (TrialStatus.Completed or TrialStatus.Pruned)) return null;
        var configuration = Configuration.FromJson(trial.Configuration!, candidate.SearchSpace!);
        // The search's folds only: the verdict's repetitions of k-fold, which only some trials get, are not part of the comparison.
        var scores = trial.Folds.Where(f => f.Metric is not null && f.Fold <= settings.Folds).Select(f => f.Metric!.Value).ToList();
        if (scores.Count > 0) return new Observation(configuration, Loss(scores.Average()));
        var curve = trial.Folds.FirstOrDefault(f => f.Fold == 1)?.LearningCurve;
        if (curve is not { Length: > 0 }) return null;
        return new Observation(configuration, SuccessiveHalving.BestSoFar(curve, curve.Length)!.Value) { StoppedAt = curve.Length };
    }

    private double Loss(double metricValue) => metric.Loss(metricValue);
}
