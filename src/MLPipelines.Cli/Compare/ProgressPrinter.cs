using System.Globalization;
using MLPipelines.AutoML;
using MLPipelines.Cli.Shared;

namespace MLPipelines.Cli.Compare;

/// <summary>
/// Shows a running comparison: a line per finished fold, and while a deep model trains, its
/// epoch, validation score and elapsed time — on one status line rewritten in place on a
/// terminal, otherwise (logs, CI) on the epochs <see cref="EpochLog"/> picks.
/// </summary>
internal sealed class ProgressPrinter(TextWriter output, TaskMetric metric, bool interactive) : IProgress<ComparisonProgress>
{
    private readonly EpochLog _epochLog = new();
    private int _statusLength;

    public void Report(ComparisonProgress value)
    {
        switch (value)
        {
            case FoldStarted started:
                Status($"{started.Candidate,-15} fold {started.Fold}/{started.Folds} training...");
                break;
            case EpochFinished epoch when interactive || _epochLog.Shows(epoch.Epoch):
                var e = epoch.Epoch;
                var line = $"{epoch.Candidate,-15} fold {epoch.Fold}/{epoch.Folds} {e.Position}  train loss {e.TrainLoss:F4}  " +
                           $"validation {e.Metric} {e.ValidationValue:F4} (best {e.BestValidationValue:F4} at {e.BestEpoch})  {e.Elapsed.TotalSeconds:F0} s";
                if (interactive) Status(line);
                else output.WriteLine("  " + line);
                break;
            case FoldFinished finished:
                ClearStatus();
                var r = finished.Result;
                var score = r.Failed ? "failed" : $"{metric.Name} {Format(r.Metric!.Value)}";
                output.WriteLine($"  {r.Candidate,-15} fold {r.Fold}/{finished.Folds}  {score,-18} fit {r.FitSeconds,7:F1} s  predict {r.PredictSeconds,5:F2} s" +
                                 (r.Note is null ? "" : $"  ({r.Note})"));
                break;
        }
    }

    public void ClearStatus()
    {
        if (!interactive || _statusLength == 0) return;
        output.Write("\r" + new string(' ', _statusLength) + "\r");
        _statusLength = 0;
    }

    private void Status(string text)
    {
        if (!interactive) return;
        var padded = text.PadRight(_statusLength);
        output.Write("\r" + padded);
        _statusLength = text.Length;
    }

    internal static string Format(double value) => value.ToString(Math.Abs(value) >= 100 ? "F1" : "F4", CultureInfo.InvariantCulture);
}
