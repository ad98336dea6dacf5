using MLPipelines.AutoML;
using MLPipelines.AutoML.Experiments;
using MLPipelines.AutoML.Trials;
using MLPipelines.AutoML.Verdicts;
using MLPipelines.Cli.Compare;

namespace MLPipelines.Cli.Experiments;

/// <summary>Prints an experiment's leaderboard, its verdict with the numbers behind it, and how the budget was spent.</summary>
internal static class ResultPrinter
{
    public static void Print(TextWriter output, ExperimentResult result)
    {
        var metric = result.Metric;
        var folds = result.Settings.Folds;
        output.WriteLine();
        output.WriteLine($"Leaderboard: {metric.Name} on {folds} folds ({(metric.HigherIsBetter ? "higher" : "lower")} is better), mean ± standard deviation; times are per fold");
        output.WriteLine($"  {"#",3}  {"model",-22} {"family",-9} {metric.Name,-20} {"fit s",8} {"predict s",10}  note");
        foreach (var trial in result.Leaderboard.Take(15))
        {
            var scores = trial.FoldScores(folds);
            var score = scores is null ? trial.Status.ToString().ToLowerInvariant() : $"{ProgressPrinter.Format(scores.Average())} ± {ProgressPrinter.Format(StandardDeviation(scores))}";
            var fit = trial.Folds.Count > 0 ? trial.Folds.Average(f => f.FitSeconds) : 0;
            var predict = trial.Folds.Count > 0 ? trial.Folds.Average(f => f.PredictSeconds) : 0;
            output.WriteLine($"  {trial.Number,3}  {TabularExperiment.Label(trial),-22} {trial.Family,-9} {score,-20} {fit,8:F1} {predict,10:F2}  {trial.Note}");
        }
        if (result.Trials.Count > 15) output.WriteLine($"  ... {result.Trials.Count - 15} more trial(s) in the store and the report");

        output.WriteLine();
        output.WriteLine("Verdict: " + result.Summary);
        if (result.Verdict is { } verdict) PrintNumbers(output, verdict);
        if (result.DescribeVerdictFolds() is { } paired) output.WriteLine($"  paired on {paired}");
        foreach (var why in result.DescribeFamilyChampions()) output.WriteLine($"  {why}");
        output.WriteLine();
        output.WriteLine($"Budget: {result.Spent.TotalSeconds:F0} s spent" + (result.Settings.Budget is { } budget ? $" of {budget.TotalSeconds:F0} s" : "") + ": " +
                         string.Join(", ", result.BudgetByCandidate.Select(b => $"{b.Candidate} {b.Seconds:F0} s ({b.Trials} trial{(b.Trials == 1 ? "" : "s")})")) +
                         (result.RefitSeconds > 0 ? $"; refits {result.RefitSeconds:F0} s" : ""));
        if (result.NotTried.Count > 0)
            output.WriteLine($"Not tried ({result.NotTriedReason}): {string.Join(", ", result.NotTried)}");
    }

    private static void PrintNumbers(TextWriter output, Verdict verdict)
    {
        var metric = verdict.Metric;
        output.WriteLine($"  classical: {verdict.Classical.Name,-22} {metric.Name} {ProgressPrinter.Format(verdict.Classical.Mean)}   fit {verdict.Classical.FitSeconds:F1} s, predict {verdict.Classical.PredictSeconds:F2} s per fold");
        foreach (var (side, challenge) in new[] { ("deep", verdict.Deep), ("ensemble", verdict.Ensemble) })
        {
            if (challenge is null) continue;
            var c = challenge.Challenger;
            var t = challenge.Test;
            output.WriteLine($"  {side + ":",-10} {c.Name,-22} {metric.Name} {ProgressPrinter.Format(c.Mean)}   fit {c.FitSeconds:F1} s, predict {c.PredictSeconds:F2} s per fold");
            output.WriteLine($"  {"",-10} improvement {ProgressPrinter.Format(t.MeanDifference)} ({100 * (1 - t.Alpha):0}% CI {ProgressPrinter.Format(t.ConfidenceLow)} to {ProgressPrinter.Format(t.ConfidenceHigh)}), " +
                             $"p = {VerdictRule.PValue(t.PValue)} (corrected resampled t-test, {t.Folds} folds), margin {ProgressPrinter.Format(verdict.Margin)} ({verdict.Settings.RelativeMargin:P1})");
        }
    }

    private static double StandardDeviation(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        return values.Count < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
