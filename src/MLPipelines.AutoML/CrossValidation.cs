using System.Diagnostics;
using Microsoft.ML;
using MLPipelines.Data;
using MLPipelines.AutoML.Experiments;
using MLPipelines.Deep.Training;
using MLPipelines.Trainers;

namespace MLPipelines.AutoML;

/// <summary>What a comparison runs: the label and task, the folds, the seed and the thread budget.</summary>
/// <param name="Label">The label column.</param>
/// <param name="Task">What the candidates predict.</param>
/// <param name="Folds">Cross-validation folds.</param>
/// <param name="Seed">The seed of the folds and of every candidate.</param>
/// <param name="Threads">The cores every engine may use (XGBoost's nthread, LightGbm's, FastTree's and L-BFGS's threads; ridge regression runs on one); candidates run one at a time.</param>
/// <param name="FitTimeLimit">The deep models' time limit per fold; null for none.</param>
public sealed record ComparisonSettings(string Label, PredictionTask Task, int Folds = 5, int Seed = 42, int? Threads = null, TimeSpan? FitTimeLimit = null)
{
    public int ThreadCount => Threads ?? Environment.ProcessorCount;

    /// <summary>Throws <see cref="ArgumentException"/> with one clear message for the first setting that cannot work on data of this many rows.</summary>
    public void Validate(long rows)
    {
        if (Folds < 2) throw new ArgumentException($"cross-validation needs at least 2 folds, got {Folds}");
        if (rows < 2L * Folds) throw new ArgumentException($"{Folds} folds need at least {2L * Folds} rows (2 held out per fold); the data has {rows}");
        if (Threads is < 1) throw new ArgumentException($"threads must be 1 or more, got {Threads}");
        if (FitTimeLimit is { } limit && limit <= TimeSpan.Zero) throw new ArgumentException($"the time limit must be positive, got {limit.TotalSeconds} s");
    }
}

/// <summary>
/// Runs every candidate on the same k folds (seeded; stratified for classification:
/// <see cref="DataCatalogExtensions.StratifiedFolds"/>): per fold
/// the candidate's pipeline is fitted on the training rows, the held-out rows are scored, and
/// ML.NET's evaluator gives the task's metric. The label is first given its task's type
/// (<see cref="LabelPreparation"/>). Fit time covers featurizing and training; predict time
/// covers scoring and evaluating the held-out rows. A candidate that fails on a fold is
/// recorded with its error and the comparison goes on; cancellation stops it. Settings that
/// cannot work, and a label that does not fit the task, throw before anything trains.
/// </summary>
public static class CrossValidation
{
    public static ComparisonResult Compare(MLContext ml, IDataView data, ComparisonSettings settings, IReadOnlyList<Candidate> candidates,
        IProgress<ComparisonProgress>? progress = null, Action<FoldResult>? onFoldResult = null, CancellationToken cancellation = default)
    {
        var metric = TaskMetric.For(settings.Task);
        var prepared = LabelPreparation.Prepare(ml, data, settings.Label, settings.Task);
        settings.Validate(prepared.GetRowCount() ?? Data.DataViews.ColumnReaders.ToTable(prepared, [prepared.Schema[settings.Label]]).RowCount);
        var folds = DataCatalogExtensions.StratifiedFolds(prepared, settings.Label, settings.Folds, settings.Seed);
        var results = new List<FoldResult>();
        foreach (var candidate in candidates)
        {
            foreach (var fold in folds)
            {
                cancellation.ThrowIfCancellationRequested();
                var number = fold.Index + 1;
                progress?.Report(new FoldStarted(candidate.Name, number, settings.Folds));
                var epochs = progress is null ? null : new SynchronousProgress<EpochProgress>(e => progress.Report(new EpochFinished(candidate.Name, number, settings.Folds, e)));
                var candidateSettings = new CandidateSettings(ml, settings.Task, settings.Label, settings.Seed, settings.ThreadCount, settings.FitTimeLimit, epochs, cancellation);
                var result = RunFold(ml, prepared, settings, candidate, fold, candidateSettings);
                results.Add(result);
                onFoldResult?.Invoke(result);
                progress?.Report(new FoldFinished(candidate.Name, number, settings.Folds, result));
            }
        }
        return new ComparisonResult(settings.Label, metric, settings.Folds, results);
    }

    private static FoldResult RunFold(MLContext ml, IDataView data, ComparisonSettings settings, Candidate candidate, Fold fold, CandidateSettings candidateSettings)
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var outcome = FoldEvaluation.Run(ml, data, settings.Task, settings.Label, candidate.CreatePipeline(candidateSettings), fold);
            return new FoldResult(candidate.Name, candidate.Family, fold.Index + 1, outcome.Metric, outcome.FitSeconds, outcome.PredictSeconds, outcome.Note)
            {
                Predictions = outcome.Predictions,
            };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new FoldResult(candidate.Name, candidate.Family, fold.Index + 1, null, stopwatch.Elapsed.TotalSeconds, 0, $"failed: {e.Message}");
        }
    }
}
