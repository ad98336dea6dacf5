using System.Globalization;
using MLPipelines.AutoML;
using MLPipelines.AutoML.Experiments;
using MLPipelines.AutoML.Trials;
using MLPipelines.Cli.Compare;
using MLPipelines.Cli.Shared;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace MLPipelines.Cli.Experiments;

/// <summary>
/// Shows a running experiment. On a terminal: a live panel — trials done and running, the best
/// so far of each family, time left, the latest trials. Otherwise (logs, CI): a line per
/// finished fold and trial, and a deep model's epochs that <see cref="EpochLog"/> picks.
/// </summary>
internal sealed class ExperimentConsole(TextWriter output, TaskMetric metric, ExperimentJob job, bool interactive) : IProgress<ExperimentProgress>
{
    private readonly List<TrialRecord> _finished = [];
    private readonly EpochLog _epochLog = new();
    private TrialRecord? _running;
    private string _activity = "starting";
    private TimeSpan _spent;
    private Action? _refresh;

    /// <summary>Runs <paramref name="work"/> with the live panel on a terminal, or plainly.</summary>
    public T Show<T>(Func<T> work)
    {
        if (!interactive) return work();
        T result = default!;
        AnsiConsole.Live(Render()).AutoClear(true).Start(context =>
        {
            _refresh = () =>
            {
                context.UpdateTarget(Render());
                context.Refresh();
            };
            result = work();
        });
        _refresh = null;
        return result;
    }

    public void Report(ExperimentProgress value)
    {
        _spent = value.Spent;
        switch (value)
        {
            case ExperimentResumed resumed:
                _finished.AddRange(resumed.Trials);
                Line($"resuming: {resumed.Trials.Count} finished trial(s) read from {job.StorePath} ({Durations.Format(resumed.Spent)} of the budget spent); they are not rerun");
                break;
            case TrialStarted started:
                _running = started.Trial;
                _activity = "fold 1";
                Line($"trial {started.Trial.Number}: {Describe(started.Trial)}" +
                     (started.FoldTimeLimit is { } limit ? $" (deep: at most {limit.TotalSeconds:F0} s per fold)" : ""));
                break;
            case TrialEpoch epoch:
                var e = epoch.Epoch;
                _activity = $"fold {epoch.Fold}, {e.Position}";
                if (!interactive && _epochLog.Shows(e))
                    output.WriteLine($"    fold {epoch.Fold} {e.Position}  validation {e.Metric} {e.ValidationValue:F4} (best {e.BestValidationValue:F4} at {e.BestEpoch})  {e.Elapsed.TotalSeconds:F0} s");
                break;
            case TrialFoldFinished fold:
                _activity = $"fold {fold.Fold.Fold + 1}";
                var f = fold.Fold;
                Line($"    fold {f.Fold}: " + (f.Metric is { } m ? $"{metric.Name} {ProgressPrinter.Format(m)}" : "failed") +
                     $"  fit {f.FitSeconds:F1} s  predict {f.PredictSeconds:F2} s" + (f.Note is null ? "" : $"  ({f.Note})"));
                break;
            case TrialFinished finished:
                _running = null;
                _finished.Add(finished.Trial);
                Line($"  → {Summary(finished.Trial)}   [{Standing()}]");
                break;
            case VerdictRepeat repeat:
                _activity = $"repetition {repeat.Repeat} of k-fold: {Describe(repeat.Trial)}";
                Line($"verdict, repetition {repeat.Repeat} of k-fold: {Describe(repeat.Trial)}");
                break;
            case Refitting refitting:
                _activity = $"refitting {refitting.Candidate} on all rows";
                Line($"refitting {refitting.Candidate} on all rows");
                break;
        }
        _refresh?.Invoke();
    }

    private void Line(string text)
    {
        if (!interactive) output.WriteLine(text);
    }

    private IRenderable Render()
    {
        var left = job.Budget is { } budget ? $" · {Durations.Format(Max(budget - _spent, TimeSpan.Zero))} left" : "";
        var counts = $"{_finished.Count} trial(s) done ({_finished.Count(t => t.Status == TrialStatus.Pruned)} pruned, {_finished.Count(t => t.Status == TrialStatus.Failed)} failed)";
        var running = _running is null ? "" : $" · running #{_running.Number} {_running.Candidate}: {_activity}";
        var table = new Table().Border(TableBorder.Simple).AddColumns("#", "model", "configuration", "status", metric.Name, "seconds");
        foreach (var trial in _finished.TakeLast(10))
            table.AddRow(trial.Number.ToString(CultureInfo.InvariantCulture), Markup.Escape(trial.Candidate), Markup.Escape(Shorten(trial.Configuration ?? "defaults", 48)),
                trial.Status.ToString(), Markup.Escape(Score(trial)), trial.Seconds.ToString("F0", CultureInfo.InvariantCulture));
        return new Rows(
            new Markup($"[bold]{Markup.Escape(Path.GetFileName(job.Data))}[/] · {Markup.Escape(job.Label)} ({metric.Name}) · spent {Durations.Format(_spent)}{left}"),
            new Markup(Markup.Escape(counts + running)),
            new Markup(Markup.Escape(Standing())),
            table);
    }

    /// <summary>The best so far of each family.</summary>
    private string Standing()
    {
        string Best(ModelFamily family)
        {
            var best = _finished.Where(t => t.Family == family && t.Mean(job.Folds) is not null)
                .OrderBy(t => metric.Loss(t.Mean(job.Folds)!.Value)).FirstOrDefault();
            return best is null ? "none yet" : $"{TabularExperiment.Label(best)} {ProgressPrinter.Format(best.Mean(job.Folds)!.Value)}" + (best.Converged(job.Folds) ? "" : " (not converged)");
        }
        return $"best classical: {Best(ModelFamily.Classical)} · best deep: {Best(ModelFamily.Deep)}" +
               (job.Budget is { } budget ? $" · {Durations.Format(Max(budget - _spent, TimeSpan.Zero))} left" : "");
    }

    private string Summary(TrialRecord trial) =>
        $"trial {trial.Number} {TabularExperiment.Label(trial)}: {Score(trial)} ({trial.Status.ToString().ToLowerInvariant()}, {trial.Seconds:F1} s)" +
        (trial.Status is TrialStatus.Completed || trial.Note is null ? "" : $" — {trial.Note}");

    private string Score(TrialRecord trial)
    {
        var scores = trial.FoldScores(job.Folds);
        if (scores is not null)
        {
            var mean = scores.Average();
            var sd = Math.Sqrt(scores.Sum(s => (s - mean) * (s - mean)) / (scores.Count - 1));
            return $"{ProgressPrinter.Format(mean)} ± {ProgressPrinter.Format(sd)}";
        }
        var partial = trial.Folds.Where(f => f.Metric is not null).Select(f => f.Metric!.Value).ToList();
        return partial.Count == 0 ? "—" : $"{ProgressPrinter.Format(partial.Average())} ({partial.Count} fold{(partial.Count == 1 ? "" : "s")})";
    }

    private static string Describe(TrialRecord trial) => trial.Configuration is null ? $"{trial.Candidate}, defaults" : $"{trial.Candidate}, tuning {trial.Configuration}";

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
