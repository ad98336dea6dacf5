using Microsoft.ML;
using MLPipelines.AutoML.Ensembles;
using MLPipelines.AutoML.Trials;
using MLPipelines.AutoML.Verdicts;

namespace MLPipelines.AutoML.Experiments;

/// <summary>A model refitted on all rows, with the trial it was chosen from (null for an ensemble: its members each have one).</summary>
public sealed record RefittedModel(string Name, TrialRecord? Trial, ITransformer Model, double FitSeconds);

/// <summary>
/// What an experiment found: every trial (in order), the verdict with its sentence (null when
/// no classical model completed, with <see cref="Summary"/> saying why), the champion and the
/// best of each family (<see cref="Finalists"/>), the ensemble contender (<see cref="Ensemble"/>;
/// the champion when the verdict chose it, and then <see cref="ChampionTrial"/> is null), refitted on all rows as the settings asked,
/// and the budget it used. A cancelled experiment returns what had finished.
/// </summary>
public sealed record ExperimentResult(ExperimentSettings Settings, TaskMetric Metric, IReadOnlyList<TrialRecord> Trials, Verdict? Verdict, string Summary,
    TrialRecord? ChampionTrial, IReadOnlyDictionary<ModelFamily, TrialRecord> Finalists, RefittedModel? Champion,
    IReadOnlyList<RefittedModel> RefittedFinalists, TimeSpan Spent, bool Cancelled)
{
    /// <summary>The cross-fitted ensemble of both families' best trials the verdict weighed, if one was formed.</summary>
    public TrialEnsemble? Ensemble { get; init; }

    /// <summary>The folds the verdict paired its contenders on; null without a verdict.</summary>
    public VerdictFolds? VerdictFolds { get; init; }

    /// <summary>
    /// The verdict's folds in words, and where it weighed an ensemble, how many trials that was selected from
    /// (the trials with those folds: repetitions of the champions alone leave two); null without a verdict.
    /// </summary>
    public string? DescribeVerdictFolds() => VerdictFolds is null ? null
        : VerdictFolds.Describe() + (Verdict?.Ensemble is not null && Ensemble is { } ensemble ? $"; {ensemble.DescribeLibrary()}" : "");

    /// <summary>For each family whose champion is not its best trial on the search's folds, why (<see cref="FamilyChampion.Explain"/>).</summary>
    public IReadOnlyList<string> DescribeFamilyChampions() =>
        Finalists.Keys.Select(family => FamilyChampion.Explain(Trials, family, Settings, Metric)).OfType<string>().ToList();

    /// <summary>The candidates with no trial: the budget ran out (or the experiment was stopped) before their turn.</summary>
    public IReadOnlyList<string> NotTried { get; init; } = [];

    /// <summary>Why <see cref="NotTried"/> were not, in words.</summary>
    public string NotTriedReason => Cancelled ? "the experiment was stopped first" : "the budget ran out first";

    /// <summary>The seconds the final refits took (champion and finalists).</summary>
    public double RefitSeconds { get; init; }

    /// <summary>Completed trials, best mean first; then the pruned, failed and over-budget ones.</summary>
    public IReadOnlyList<TrialRecord> Leaderboard =>
        Trials.OrderBy(t => t.Mean(Settings.Folds) is null)
            .ThenBy(t => t.Mean(Settings.Folds) is { } mean ? Metric.Loss(mean) : 0)
            .ThenBy(t => t.Number)
            .ToList();

    /// <summary>How the budget went: seconds spent on each candidate's trials.</summary>
    public IReadOnlyList<(string Candidate, int Trials, double Seconds)> BudgetByCandidate =>
        Trials.GroupBy(t => t.Candidate).Select(g => (g.Key, g.Count(), g.Sum(t => t.Seconds))).OrderByDescending(g => g.Item3).ToList();
}
