using MLPipelines.AutoML.Verdicts;
using MLPipelines.Deep.Training;

namespace MLPipelines.AutoML;

/// <summary>One candidate on one fold: its metric, how long fitting and predicting took, and a note (stopping reason, or the error when it failed).</summary>
public sealed record FoldResult(string Candidate, ModelFamily Family, int Fold, double? Metric, double FitSeconds, double PredictSeconds, string? Note)
{
    public bool Failed => Metric is null;

    /// <summary>The held-out rows' predictions in the fold's test-row order (<see cref="Experiments.FoldOutcome.Predictions"/>); null when it failed. Not written to result files.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public float[]? Predictions { get; init; }
}

/// <summary>What a running comparison reports.</summary>
public abstract record ComparisonProgress(string Candidate, int Fold, int Folds);

public sealed record FoldStarted(string Candidate, int Fold, int Folds) : ComparisonProgress(Candidate, Fold, Folds);

public sealed record EpochFinished(string Candidate, int Fold, int Folds, EpochProgress Epoch) : ComparisonProgress(Candidate, Fold, Folds);

public sealed record FoldFinished(string Candidate, int Fold, int Folds, FoldResult Result) : ComparisonProgress(Candidate, Fold, Folds);

/// <summary>A candidate's row of the leaderboard: its metric over the folds (mean ± sample standard deviation) and mean times per fold.</summary>
public sealed record LeaderboardRow(string Candidate, ModelFamily Family, double? Mean, double? StandardDeviation, double FitSeconds, double PredictSeconds,
    IReadOnlyList<double> PerFold, int FailedFolds, string? Note);

/// <summary>Every candidate's results on the same folds, and the leaderboard they make.</summary>
public sealed record ComparisonResult(string Label, TaskMetric Metric, int Folds, IReadOnlyList<FoldResult> Results)
{
    /// <summary>Best first (by mean metric); candidates that failed on every fold last.</summary>
    public IReadOnlyList<LeaderboardRow> Leaderboard =>
        Results.GroupBy(r => r.Candidate).Select(Row)
            .OrderBy(r => r.Mean is null)
            .ThenBy(r => Metric.Loss(r.Mean ?? 0))
            .ToList();

    private static LeaderboardRow Row(IGrouping<string, FoldResult> results)
    {
        var succeeded = results.Where(r => !r.Failed).ToList();
        var values = succeeded.Select(r => r.Metric!.Value).ToList();
        double? mean = values.Count > 0 ? values.Average() : null;
        double? std = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean!.Value) * (v - mean.Value)) / (values.Count - 1)) : values.Count == 1 ? 0 : null;
        var failures = results.Count(r => r.Failed);
        var note = failures > 0 ? results.First(r => r.Failed).Note : succeeded.Select(r => r.Note).FirstOrDefault(n => n is not null);
        return new LeaderboardRow(results.Key, results.First().Family, mean, std,
            succeeded.Count > 0 ? succeeded.Average(r => r.FitSeconds) : 0, succeeded.Count > 0 ? succeeded.Average(r => r.PredictSeconds) : 0,
            values, failures, note);
    }

    /// <summary>The best row of a family, if any succeeded.</summary>
    public LeaderboardRow? Best(ModelFamily family) => Leaderboard.FirstOrDefault(r => r.Family == family && r.Mean is not null);

    /// <summary>
    /// The AutoML verdict's rule applied to these defaults (untuned, no budget): the best deep model
    /// must beat the best classical one with p &lt; α and by more than the margin, paired over the
    /// folds. Null when a family has no result or its best model failed on some folds (then they
    /// were not scored on the same folds). A deep model a time limit stopped is chosen only where it wins all the same.
    /// </summary>
    public Verdict? DefaultsVerdict(VerdictSettings? settings = null)
    {
        var deep = Best(ModelFamily.Deep);
        var classical = Best(ModelFamily.Classical);
        if (deep is null || classical is null || deep.FailedFolds > 0 || classical.FailedFolds > 0) return null;
        return VerdictRule.Decide(Contender(classical), Contender(deep), null, Metric, 1.0 / (Folds - 1), settings);
    }

    private Contender Contender(LeaderboardRow row)
    {
        var folds = Results.Where(r => r.Candidate == row.Candidate).ToList();
        var converged = folds.All(f => f.Note?.Contains("time limit", StringComparison.Ordinal) != true);
        return new Contender(row.Candidate, row.Family, folds.OrderBy(f => f.Fold).Select(f => f.Metric!.Value).ToList(), row.FitSeconds, row.PredictSeconds, converged);
    }
}
