using System.Diagnostics;
using Microsoft.ML;
using MLPipelines.AutoML.Search;
using MLPipelines.AutoML.Trials;
using MLPipelines.Data;
using MLPipelines.Deep.Training;
using MLPipelines.XGBoost.Training;

namespace MLPipelines.AutoML.Experiments;

/// <summary>
/// Runs one trial fold after fold, writing each fold to the store as it finishes. A tuned
/// trial is pruned (stopped) in two ways: during its first fold, by successive halving
/// (<see cref="FirstFoldHalving"/>: its validation curve behind the candidate's earlier tuned
/// trials at an epoch or round); after its first fold, when that fold is worse than the worst
/// fold of its family's best trial: it cannot plausibly become the family's champion. The
/// second applies to a deep model's defaults too where its time limit cut that fold short: cut,
/// they are neither judged nor tuned, and the other folds would cost as much again for a score
/// behind the family's (ames, 4 minutes: FT-Transformer's five folds of one epoch took 45 s of
/// the 240 for RMSE 70,719, against the MLP's 23,144). A fold
/// that throws ends the trial as failed; the experiment's deadline ends it as over budget. The
/// user's cancellation propagates, leaving the trial marked running, so that it is run again.
/// </summary>
internal sealed class TrialRunner(MLContext ml, IDataView data, IReadOnlyList<Fold> folds, ExperimentSettings settings, TaskMetric metric,
    ITrialStore store, IProgress<ExperimentProgress>? monitor, Func<TimeSpan> spent, CancellationToken deadline)
{
    public TrialRecord Run(int number, PlannedTrial plan, IReadOnlyList<TrialRecord> history)
    {
        var candidate = plan.Candidate;
        var trial = new TrialRecord(number, candidate.Name, candidate.Family, plan.Configuration?.ToJson(), settings.Seed, TrialStatus.Running, 0, null, []);
        store.Begin(trial);
        monitor?.Report(new TrialStarted(spent(), trial, plan.FoldTimeLimit));
        var stopwatch = Stopwatch.StartNew();
        var finished = new List<FoldRecord>();
        var status = TrialStatus.Completed;
        string? note = null;
        var benchmark = FamilyBest(history, candidate.Family);
        // Only tuned trials are halved: the defaults are the portfolio every verdict rests on.
        var halving = plan.Configuration is not null && settings.SuccessiveHalving ? FirstFoldHalving.For(candidate.Name, history) : null;
        // The trial's own cancellation, so that halving can stop its engine; the deadline (and through it the user) cancels it too.
        using var trialCancellation = CancellationTokenSource.CreateLinkedTokenSource(deadline);
        foreach (var fold in folds)
        {
            // Engines that ignore cancellation (ML.NET's trees) finish their fold: stop before the next one.
            UserCancellation.ThrowIfCancellationRequested();
            var foldNumber = fold.Index + 1;
            var curve = new List<float>();
            string? pruned = null;
            // After each epoch or round: the loss curve grows; in the first fold, a rung may prune the trial.
            void Step(double? value, string validationMetric, SuccessiveHalving rule)
            {
                if (value is not { } v) return;
                curve.Add((float)SuccessiveHalving.Loss(v, validationMetric));
                if (fold.Index != 0 || halving is null || pruned is not null) return;
                pruned = halving.Check(rule, curve, validationMetric);
                if (pruned is not null) trialCancellation.Cancel();
            }
            var epochs = new SynchronousProgress<EpochProgress>(e =>
            {
                // A bagged fit's learning curve is its first bag's: the later bags start again at epoch 1.
                if (e.Bag == 1) Step(e.ValidationValue, e.Metric, SuccessiveHalving.Epochs);
                monitor?.Report(new TrialEpoch(spent(), number, candidate.Name, foldNumber, e));
            });
            var candidateSettings = new CandidateSettings(ml, settings.Task, settings.Label, trial.Seed, settings.ThreadCount, plan.FoldTimeLimit, epochs, trialCancellation.Token)
            {
                Configuration = plan.Configuration,
                Rounds = new SynchronousProgress<BoostingProgress>(r => Step(r.ValidationValue, r.Metric, SuccessiveHalving.Rounds)),
            };
            var foldClock = Stopwatch.StartNew();
            try
            {
                var outcome = FoldEvaluation.Run(ml, data, settings.Task, settings.Label, candidate.CreatePipeline(candidateSettings), fold);
                var record = new FoldRecord(foldNumber, outcome.Metric, outcome.FitSeconds, outcome.PredictSeconds, outcome.Converged, outcome.Note,
                    outcome.ConvergedFitSeconds, outcome.Predictions) { LearningCurve = curve.Count > 0 ? curve.ToArray() : null };
                store.AddFold(number, record);
                finished.Add(record);
                monitor?.Report(new TrialFoldFinished(spent(), number, candidate.Name, record));
                if (pruned is not null)
                {
                    // Pruned at the engine's last step (it stopped on its own before it saw the cancellation): the fold is whole, the trial ends.
                    (status, note) = (TrialStatus.Pruned, pruned);
                    break;
                }
            }
            catch (OperationCanceledException) when (pruned is not null && !UserCancelled)
            {
                // The partial fold is kept with its curve (no metric): later trials' rungs, and a resumed experiment, read it.
                // It is no finished fold, so the monitor hears of it with the trial's end.
                var partial = new FoldRecord(foldNumber, null, foldClock.Elapsed.TotalSeconds, 0, false, pruned, null, null) { LearningCurve = curve.ToArray() };
                store.AddFold(number, partial);
                finished.Add(partial);
                (status, note) = (TrialStatus.Pruned, pruned);
                break;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !UserCancelled)
            {
                (status, note) = (TrialStatus.OverBudget, $"stopped by the time budget in fold {foldNumber}");
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var failure = new FoldRecord(foldNumber, null, foldClock.Elapsed.TotalSeconds, 0, false, $"failed: {e.Message}", null, null);
                store.AddFold(number, failure);
                finished.Add(failure);
                (status, note) = (TrialStatus.Failed, $"fold {foldNumber} failed: {e.Message}");
                break;
            }
            if (deadline.IsCancellationRequested && !UserCancelled && foldNumber < folds.Count)
            {
                // Engines that cannot be interrupted (ML.NET's trees) finish their fold; the trial stops after it.
                (status, note) = (TrialStatus.OverBudget, $"stopped by the time budget after fold {foldNumber}");
                break;
            }
            // Defaults only where their time limit cut the fold: converged, the portfolio scores them on every fold.
            if (fold.Index == 0 && benchmark is not null && (plan.Configuration is not null || !finished[0].Converged)
                && metric.Better(benchmark.Worst, finished[0].Metric!.Value))
            {
                var first = VerdictNumber(finished[0].Metric!.Value) + (finished[0].Converged ? "" : ", cut by its time limit");
                (status, note) = (TrialStatus.Pruned, $"fold 1 ({first}) worse than every fold of {benchmark.Label} (worst {VerdictNumber(benchmark.Worst)})");
                break;
            }
        }
        UserCancellation.ThrowIfCancellationRequested();
        var result = trial with { Status = status, Seconds = stopwatch.Elapsed.TotalSeconds, Note = note ?? finished.Select(f => f.Note).FirstOrDefault(n => n is not null), Folds = finished };
        store.Finish(number, result.Status, result.Seconds, result.Note);
        monitor?.Report(new TrialFinished(spent(), result));
        return result;
    }

    /// <summary>The user's own cancellation, as opposed to the experiment's deadline.</summary>
    public CancellationToken UserCancellation { get; init; }

    private bool UserCancelled => UserCancellation.IsCancellationRequested;

    private sealed record Benchmark(string Label, double Worst);

    /// <summary>The best completed trial of a family, and its worst fold.</summary>
    private Benchmark? FamilyBest(IReadOnlyList<TrialRecord> history, ModelFamily family)
    {
        var best = history.Where(t => t.Family == family && t.FoldScores(settings.Folds) is not null)
            .OrderBy(t => metric.Loss(t.Mean(settings.Folds)!.Value)).FirstOrDefault();
        if (best is null) return null;
        var scores = best.FoldScores(settings.Folds)!;
        return new Benchmark(TabularExperiment.Label(best), metric.HigherIsBetter ? scores.Min() : scores.Max());
    }

    private static string VerdictNumber(double value) => Verdicts.VerdictRule.Number(value);
}
