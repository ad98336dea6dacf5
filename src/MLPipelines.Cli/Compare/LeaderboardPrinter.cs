using MLPipelines.AutoML;

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
        var difference = (deep.Mean!.Value - classical.Mean!.Value) / Math.Abs(classical.Mean.Value) * 100;
        var deepBetter = metric.Better(deep.Mean.Value, classical.Mean.Value);
        output.WriteLine();
        output.WriteLine($"Best deep model: {deep.Candidate} ({metric.Name} {ProgressPrinter.Format(deep.Mean.Value)}); best classical: {classical.Candidate} ({ProgressPrinter.Format(classical.Mean.Value)}); " +
                         $"{(deepBetter ? deep.Candidate : classical.Candidate)} is better by {Math.Abs(difference):F2}% on the mean. " +
                         "(No significance test yet: the AutoML verdict will add one.)");
    }
}
