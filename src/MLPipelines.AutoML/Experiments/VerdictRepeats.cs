using System.Diagnostics;
using Microsoft.ML;
using MLPipelines.AutoML.Ensembles;
using MLPipelines.AutoML.Trials;
using MLPipelines.Data;

namespace MLPipelines.AutoML.Experiments;

/// <summary>
/// Repetitions of k-fold for the verdict: repetition r splits the rows anew (its own seed) and
/// a contender scored on it gets folds (r−1)·k+1 … r·k, written to the store one by one, so a
/// killed experiment runs only the folds it lacks. One k-fold split leaves the verdict at the
/// mercy of that split; repeating it, paired fold by fold, is what makes the corrected t-test
/// replicable (Bouckaert and Frank 2004).
/// </summary>
internal sealed class VerdictRepeats(MLContext ml, IDataView data, IReadOnlyList<Fold> searchFolds, IReadOnlyList<Candidate> candidates,
    ExperimentSettings settings, ITrialStore store, IProgress<ExperimentProgress>? monitor, Func<TimeSpan> spent)
{
    private readonly Dictionary<int, IReadOnlyList<Fold>> _folds = new() { [1] = searchFolds };
    private readonly Dictionary<int, float[][]> _labels = [];

    /// <summary>The folds of repetition <paramref name="repeat"/> (1: the search's).</summary>
    public IReadOnlyList<Fold> Folds(int repeat)
    {
        if (!_folds.TryGetValue(repeat, out var folds))
            _folds[repeat] = folds = DataCatalogExtensions.StratifiedFolds(data, settings.Label, settings.Folds, settings.Seed + 1000 * (repeat - 1));
        return folds;
    }

    /// <summary>The held-out labels of every fold of the first <paramref name="repeats"/> repetitions, in fold order.</summary>
    public float[][] Labels(int repeats) => Enumerable.Range(1, repeats).SelectMany(r =>
    {
        if (!_labels.TryGetValue(r, out var labels)) _labels[r] = labels = FoldLabels.Read(data, settings.Label, settings.Task, Folds(r));
        return labels;
    }).ToArray();

    /// <summary>
    /// Scores a completed trial on the folds of repetition <paramref name="repeat"/> it lacks,
    /// with its configuration and seed, and returns it with them. The deadline's cancellation
    /// propagates; the folds already written stay.
    /// </summary>
    public TrialRecord Run(TrialRecord trial, int repeat, TimeSpan? foldTimeLimit, CancellationToken cancellation)
    {
        var candidate = candidates.First(c => c.Name == trial.Candidate);
        var configuration = trial.Configuration is null ? null : Search.Configuration.FromJson(trial.Configuration, candidate.SearchSpace!);
        monitor?.Report(new VerdictRepeat(spent(), trial, repeat));
        foreach (var fold in Folds(repeat))
        {
            var number = (repeat - 1) * settings.Folds + fold.Index + 1;
            if (trial.Folds.Any(f => f.Fold == number)) continue;
            var stopwatch = Stopwatch.StartNew();
            var candidateSettings = new CandidateSettings(ml, settings.Task, settings.Label, trial.Seed, settings.ThreadCount, foldTimeLimit, null, cancellation)
            {
                Configuration = configuration,
            };
            FoldRecord record;
            try
            {
                var outcome = FoldEvaluation.Run(ml, data, settings.Task, settings.Label, candidate.CreatePipeline(candidateSettings), fold);
                record = new FoldRecord(number, outcome.Metric, outcome.FitSeconds, outcome.PredictSeconds, outcome.Converged, outcome.Note,
                    outcome.ConvergedFitSeconds, outcome.Predictions);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                record = new FoldRecord(number, null, stopwatch.Elapsed.TotalSeconds, 0, false, $"failed: {e.Message}", null, null);
            }
            store.AddFold(trial.Number, record);
            trial = trial with { Folds = [.. trial.Folds, record], Seconds = trial.Seconds + stopwatch.Elapsed.TotalSeconds };
            // The trial's seconds count the repetitions too: a resumed experiment charges them to the budget.
            store.Finish(trial.Number, trial.Status, trial.Seconds, trial.Note);
            monitor?.Report(new TrialFoldFinished(spent(), trial.Number, trial.Candidate, record));
            if (record.Metric is null) break;
        }
        return trial;
    }

    /// <summary>The time one repetition of k-fold for these trials is given: their search folds' fit and predict time, and the <see cref="Slack"/>.</summary>
    public static TimeSpan RepetitionTime(IEnumerable<TrialRecord> trials, int folds) => TimeSpan.FromSeconds(Slack * trials.Sum(t => Cost(t, folds)));

    /// <summary>Seconds one repetition of the trial takes: its search folds' fit and predict time.</summary>
    private static double Cost(TrialRecord trial, int folds) => trial.Folds.Where(f => f.Fold <= folds).Sum(f => f.FitSeconds + f.PredictSeconds);

    /// <summary>
    /// Seconds it takes to bring every trial to the repetitions of k-fold the furthest of them has:
    /// what a contender that displaced a repeated one (a better trial found late) needs to catch up.
    /// </summary>
    public static double CatchUpCost(IReadOnlyList<TrialRecord> trials, int folds, int repeats) =>
        trials.Count == 0 ? 0 : CostToReach(trials, folds, trials.Max(t => t.RepeatsScored(folds, repeats)));

    /// <summary>Seconds it takes to bring every trial to <paramref name="repeats"/> repetitions of k-fold, each at its search folds' cost.</summary>
    public static double CostToReach(IReadOnlyList<TrialRecord> trials, int folds, int repeats) =>
        trials.Sum(t => Math.Max(0, repeats - t.RepeatsScored(folds, repeats)) * Cost(t, folds));

    /// <summary>At most this share of the budget is kept for repeating k-fold for the verdict: the search needs the rest.</summary>
    public const double BudgetShare = 0.25;

    /// <summary>
    /// A repetition is kept half as long again as its contenders' search folds took: a busy
    /// machine runs the same folds that much slower (a deep fold's time limit there has the same
    /// factor), and a repetition the deadline cuts short is lost.
    /// </summary>
    public const double Slack = 1.5;

    /// <summary>
    /// A repetition is started where the time left holds it a quarter slower than its contenders' search folds took: less
    /// than the <see cref="Slack"/> the search keeps back for it, because a trial stops at the search's deadline only between
    /// rounds, epochs or folds, so the search may run a little into the time kept, and the one repetition kept would then be
    /// declined by a hair (ames, 4 minutes: one repetition of the champions kept, 59.5 s, a tuned XGBoost stopped by the
    /// deadline, a little less left; nothing was repeated, and the verdict stayed on the search's folds).
    /// </summary>
    public const double StartingSlack = 1.25;

    /// <summary>
    /// The room <paramref name="left"/> gives a repetition about to start, in the terms of <see cref="RepetitionTime"/>
    /// (which counts the <see cref="Slack"/>): it holds repetitions that fit with the <see cref="StartingSlack"/>.
    /// </summary>
    public static TimeSpan StartingRoom(TimeSpan left) => left * (Slack / StartingSlack);

    /// <summary>
    /// The trials the repetitions score: all the verdict's (the family champions and the
    /// ensemble's members) when <paramref name="room"/> — the budget's share for repetitions when
    /// the search plans its reserve, the <see cref="StartingRoom"/> of what is left when they run — holds what they need for the
    /// verdict to pair on new splits alone (<see cref="VerdictFolds.NewRepeatsNeeded"/> new
    /// repetitions, none where they have them); where it does not and the two champions' would, the champions alone. The
    /// members are most of a repetition's cost: at 3 minutes on letters with 10 labeled rows per
    /// class, a repetition of all seven needed 29.5 s (their search folds' time and the slack), of
    /// the two champions 8.4 s, against the 45 s kept for all repetitions: none ran, and the
    /// verdict stayed on the folds the champions were chosen on; with the champions alone, five
    /// did. Where neither reaches the new splits, the next repetition decides the same way: all
    /// where theirs fits, else the champions where theirs does — one new split halves the weight
    /// of the folds the champions were chosen on (wa_churn, 10 minutes: an ensemble member found late made
    /// a repetition of all cost 146 s with 113 s left; nothing ran, though the champions' needed 83 s).
    /// The ensemble is then selected among the trials that have the repetitions: the champions.
    /// Without a budget (<paramref name="room"/> null) all are scored.
    /// </summary>
    public static IReadOnlyList<TrialRecord> Scored(IReadOnlyList<TrialRecord> verdictTrials, IReadOnlyList<TrialRecord> champions, ExperimentSettings settings,
        TimeSpan? room)
    {
        if (room is not { } seconds) return verdictTrials;
        bool Reach(IReadOnlyList<TrialRecord> trials, int repeats) => Slack * CostToReach(trials, settings.Folds, repeats) <= seconds.TotalSeconds;
        int Next(IReadOnlyList<TrialRecord> trials) =>
            trials.Count == 0 ? 1 : Math.Min(settings.Repeats, trials.Min(t => t.RepeatsScored(settings.Folds, settings.Repeats)) + 1);
        const int newSplitsAlone = 1 + VerdictFolds.NewRepeatsNeeded;
        if (settings.Repeats >= newSplitsAlone)
        {
            if (Reach(verdictTrials, newSplitsAlone)) return verdictTrials;
            if (Reach(champions, newSplitsAlone)) return champions;
        }
        if (Reach(verdictTrials, Next(verdictTrials))) return verdictTrials;
        return Reach(champions, Next(champions)) ? champions : verdictTrials;
    }
}
