using System.Text.Json;
using MLPipelines.AutoML;
using MLPipelines.AutoML.Experiments;
using MLPipelines.AutoML.Verdicts;

namespace MLPipelines.Cli.Experiments;

/// <summary>An experiment's verdict, champion and budget as JSON, for scripts that collect results (the trials themselves are in the store).</summary>
internal static class ResultFile
{
    public static void Write(ExperimentResult result, string path, IReadOnlyList<string> dataNotes)
    {
        var verdict = result.Verdict;
        var json = new
        {
            summary = result.Summary,
            // What was left out of the data before anything trained: rows without a label, columns no model sees.
            data_notes = dataNotes,
            outcome = verdict?.Outcome.ToString(),
            metric = result.Metric.Name,
            higher_is_better = result.Metric.HigherIsBetter,
            folds = result.Settings.Folds,
            seed = result.Settings.Seed,
            budget_seconds = result.Settings.Budget?.TotalSeconds,
            spent_seconds = result.Spent.TotalSeconds,
            trials = result.Trials.Count,
            champion = result.ChampionTrial is { } champion ? TabularExperiment.Label(champion) : verdict?.Champion.Name,
            champion_trial = result.ChampionTrial?.Number,
            // The search's folds (the first repetition of k-fold), where every trial has a score: an ensemble's cross-fitted scores there.
            champion_score = result.ChampionTrial?.Mean(result.Settings.Folds)
                             ?? (verdict?.Outcome == VerdictOutcome.Ensemble ? result.Ensemble!.FoldScores.Take(result.Settings.Folds).Average() : null),
            classical = verdict is null ? null : Side(verdict.Classical),
            deep = verdict?.Deep is { } deep ? Challenge(deep) : null,
            ensemble = verdict?.Ensemble is { } ensemble ? Challenge(ensemble) : null,
            ensemble_members = result.Ensemble?.Members.Select(m => new { name = TabularExperiment.Label(m.Trial), trial = m.Trial.Number, weight = m.Weight }),
            // Fold pairs the verdict's test used, and the repetitions of k-fold they came from (from 2: the search's folds left out).
            verdict_folds = verdict?.Classical.FoldScores.Count,
            verdict_repetitions = result.VerdictFolds is { } folds ? new[] { folds.First, folds.Last } : null,
            // The best deep trial even when it was not judged (stopped by the budget), with the time it would need on these folds.
            deep_finalist = result.Finalists.TryGetValue(ModelFamily.Deep, out var finalist) ? new
            {
                name = TabularExperiment.Label(finalist),
                mean = finalist.Mean(result.Settings.Folds),
                converged = finalist.Converged(result.Settings.Folds),
                needed_seconds = finalist.ConvergedSeconds(result.Settings.Folds),
            } : null,
            // Where a family's champion is not its best trial on the search's folds: which is ahead there, and why it does not stand for the family.
            family_champion_notes = result.DescribeFamilyChampions(),
            margin = verdict?.Margin,
            alpha = verdict?.Settings.Alpha,
            budget_by_candidate = result.BudgetByCandidate.Select(b => new { candidate = b.Candidate, trials = b.Trials, seconds = b.Seconds }),
            not_tried = result.NotTried,
            refit_seconds = result.RefitSeconds,
        };
        File.WriteAllText(path, JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
    }

    private static object Side(Contender contender) => new
    {
        name = contender.Name,
        mean = contender.Mean,
        fold_scores = contender.FoldScores,
        fit_seconds = contender.FitSeconds,
        predict_seconds = contender.PredictSeconds,
    };

    private static object Challenge(Challenge challenge) => new
    {
        side = Side(challenge.Challenger),
        improvement = challenge.Test.MeanDifference,
        ci_low = challenge.Test.ConfidenceLow,
        ci_high = challenge.Test.ConfidenceHigh,
        p = challenge.Test.PValue,
        significant = challenge.Significant,
        beyond_margin = challenge.BeyondMargin,
    };
}
