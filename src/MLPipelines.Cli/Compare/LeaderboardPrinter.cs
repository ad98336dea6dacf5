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
        // As wide as the longest name ("FT-Transformer (fine-tuned)"), at least 15.
        var width = Math.Max(15, result.Leaderboard.Select(r => r.Candidate.Length).DefaultIfEmpty(0).Max());
        output.WriteLine($"  {"#",2}  {"model".PadRight(width)} {"family",-9} {metric.Name,-22} {"fit s",9} {"predict s",10}  note");
        var rank = 0;
        foreach (var row in result.Leaderboard)
        {
            var score = row.Mean is null ? "failed" : $"{ProgressPrinter.Format(row.Mean.Value)} ± {ProgressPrinter.Format(row.StandardDeviation!.Value)}";
            var folds = row.FailedFolds > 0 ? $" [{row.FailedFolds} fold(s) failed]" : "";
            output.WriteLine($"  {++rank,2}  {row.Candidate.PadRight(width)} {row.Family,-9} {score,-22} {row.FitSeconds,9:F1} {row.PredictSeconds,10:F2}  {row.Note}{folds}");
        }
        if (result.Best(ModelFamily.Deep) is null || result.Best(ModelFamily.Classical) is null) return;
        output.WriteLine();
        // The AutoML verdict's rule, on these defaults (untuned, no budget): the deep model must be better with p < 0.05 and by more than 0.5%.
        var verdict = result.DefaultsVerdict();
        output.WriteLine(verdict is null
            ? "No verdict: the best deep or classical model failed on some folds, so they were not scored on the same folds."
            : "Verdict (defaults only, no tuning): " + verdict.Sentence);
    }
}
