using MLPipelines.AutoML;
using MLPipelines.AutoML.Verdicts;

namespace MLPipelines.Cli.Compare;

/// <summary>Prints a comparison's leaderboard and the deep-against-classical line.</summary>
internal static class LeaderboardPrinter
{
    public static void Print(TextWriter output, ComparisonResult result)
    {
        var metric = result.Metric;
        output.WriteLine();
        output.WriteLine($"Leaderboard: {metric.Name} on {result.Folds} folds ({(metric.HigherIsBetter ? "higher" : "lower")} is better), mean ± standard deviation; times are per fold");
        output.WriteLine($"  {"#",2}  {"model",-15} {"family",-9} {metric.Name,-22} {"fit s",9} {"predict s",10}  note");
        var rank = 0;
        foreach (var row in result.Leaderboard)
        {
            var score = row.Mean is null ? "failed" : $"{ProgressPrinter.Format(row.Mean.Value)} ± {ProgressPrinter.Format(row.StandardDeviation!.Value)}";
            var folds = row.FailedFolds > 0 ? $" [{row.FailedFolds} fold(s) failed]" : "";
            output.WriteLine($"  {++rank,2}  {row.Candidate,-15} {row.Family,-9} {score,-22} {row.FitSeconds,9:F1} {row.PredictSeconds,10:F2}  {row.Note}{folds}");
        }
        var deep = result.Best(ModelFamily.Deep);
        var classical = result.Best(ModelFamily.Classical);
        if (deep is null || classical is null) return;
        output.WriteLine();
        if (deep.FailedFolds > 0 || classical.FailedFolds > 0)
        {
            output.WriteLine("No verdict: the best deep or classical model failed on some folds, so they were not scored on the same folds.");
            return;
        }
        // The AutoML verdict's rule, on these defaults (untuned, no budget): the deep model must be better with p < 0.05 and by more than 0.5%.
        var verdict = VerdictRule.Decide(Contender(classical, result), Contender(deep, result), null, metric, 1.0 / (result.Folds - 1));
        output.WriteLine("Verdict (defaults only, no tuning): " + verdict.Sentence);
    }

    private static Contender Contender(LeaderboardRow row, ComparisonResult result)
    {
        var folds = result.Results.Where(r => r.Candidate == row.Candidate).ToList();
        // A deep model stopped by --time-limit has not converged: the verdict says so instead of judging it.
        var converged = folds.All(f => f.Note?.Contains("time limit", StringComparison.Ordinal) != true);
        return new Contender(row.Candidate, row.Family, folds.OrderBy(f => f.Fold).Select(f => f.Metric!.Value).ToList(), row.FitSeconds, row.PredictSeconds, converged);
    }
}
