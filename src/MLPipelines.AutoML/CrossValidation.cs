using System.Diagnostics;
using MLPipelines.Data;
using MLPipelines.Deep.Training;
using MLPipelines.Pipelines;
using MLPipelines.Trainers;
using MLPipelines.Transforms;

namespace MLPipelines.AutoML;

/// <summary>
/// Runs every candidate on the same k folds (stratified for classification, seeded): per fold,
/// the candidate's featurizer is fitted on the training rows, then its trainer, and the held-out
/// rows are scored with the task's metric. Fit time covers featurizing and training; predict
/// time covers featurizing and predicting the held-out rows. A candidate that fails on a fold
/// is recorded with its error and the comparison goes on; cancellation stops it.
/// </summary>
public static class CrossValidation
{
    public static ComparisonResult Compare(DataTable data, string label, PredictionTask task, IReadOnlyList<Candidate> candidates, int folds, int seed,
        TimeSpan? fitTimeLimit = null, IProgress<ComparisonProgress>? progress = null, Action<FoldResult>? onFoldResult = null,
        CancellationToken cancellation = default)
    {
        if (!data.Schema.Contains(label))
            throw new DataValidationException($"the label column '{label}' is not in the data (columns: {string.Join(", ", data.Schema.Select(c => c.Name))})");
        var metric = TaskMetric.For(task);
        var partition = Splits.KFold(data, folds, (ulong)seed, task == PredictionTask.Regression ? null : label);
        var results = new List<FoldResult>();
        foreach (var candidate in candidates)
        {
            foreach (var fold in partition)
            {
                cancellation.ThrowIfCancellationRequested();
                var number = fold.Index + 1;
                progress?.Report(new FoldStarted(candidate.Name, number, folds));
                var epochs = progress is null ? null : new Forward<EpochProgress>(e => progress.Report(new EpochFinished(candidate.Name, number, folds, e)));
                var result = RunFold(data, label, task, candidate, fold, new FitSettings(task, seed, fitTimeLimit, epochs, cancellation));
                results.Add(result);
                onFoldResult?.Invoke(result);
                progress?.Report(new FoldFinished(candidate.Name, number, folds, result));
            }
        }
        return new ComparisonResult(label, metric, folds, results);
    }

    private static FoldResult RunFold(DataTable data, string label, PredictionTask task, Candidate candidate, Fold fold, FitSettings settings)
    {
        var stopwatch = Stopwatch.StartNew();
        TransformerChain<DataTable, DataTable>? model = null;
        try
        {
            var featurizer = new Featurizer(label, candidate.Featurization(task));
            model = featurizer.Append(candidate.CreateTrainer(settings)).Fit(data.Select(fold.TrainRows));
            var fitSeconds = stopwatch.Elapsed.TotalSeconds;
            stopwatch.Restart();
            var predictions = model.Transform(data.Select(fold.TestRows));
            var predictSeconds = stopwatch.Elapsed.TotalSeconds;
            var note = model.Stages[^1] is Deep.DeepModel deep ? $"{deep.Info.Epochs} epoch{(deep.Info.Epochs == 1 ? "" : "s")}, best {deep.Info.BestEpoch} ({deep.Info.StoppedBy})" : null;
            return new FoldResult(candidate.Name, candidate.Family, fold.Index + 1, TaskMetric.Evaluate(task, predictions, label), fitSeconds, predictSeconds, note);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new FoldResult(candidate.Name, candidate.Family, fold.Index + 1, null, stopwatch.Elapsed.TotalSeconds, 0, $"failed: {e.Message}");
        }
        finally
        {
            foreach (var stage in model?.Stages ?? []) (stage as IDisposable)?.Dispose();
        }
    }

    /// <summary>An IProgress that reports on the calling thread.</summary>
    private sealed class Forward<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
