using System.Diagnostics;
using Microsoft.ML;
using MLPipelines.Data;
using MLPipelines.Deep;
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
}

/// <summary>
/// Runs every candidate on the same k folds (seeded; stratified for classification:
/// <see cref="DataCatalogExtensions.StratifiedFolds"/>): per fold
/// the candidate's pipeline is fitted on the training rows, the held-out rows are scored, and
/// ML.NET's evaluator gives the task's metric. The label is first given its task's type
/// (<see cref="LabelPreparation"/>). Fit time covers featurizing and training; predict time
/// covers scoring and evaluating the held-out rows. A candidate that fails on a fold is
/// recorded with its error and the comparison goes on; cancellation stops it.
/// </summary>
public static class CrossValidation
{
    public static ComparisonResult Compare(MLContext ml, IDataView data, ComparisonSettings settings, IReadOnlyList<Candidate> candidates,
        IProgress<ComparisonProgress>? progress = null, Action<FoldResult>? onFoldResult = null, CancellationToken cancellation = default)
    {
        var metric = TaskMetric.For(settings.Task);
        var prepared = LabelPreparation.Prepare(ml, data, settings.Label, settings.Task);
        var folds = DataCatalogExtensions.StratifiedFolds(prepared, settings.Label, settings.Folds, settings.Seed);
        var results = new List<FoldResult>();
        foreach (var candidate in candidates)
        {
            foreach (var fold in folds)
            {
                cancellation.ThrowIfCancellationRequested();
                var number = fold.Index + 1;
                progress?.Report(new FoldStarted(candidate.Name, number, settings.Folds));
                var epochs = progress is null ? null : new Forward<EpochProgress>(e => progress.Report(new EpochFinished(candidate.Name, number, settings.Folds, e)));
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
        ITransformer? model = null;
        try
        {
            model = candidate.CreatePipeline(candidateSettings).Fit(Data.DataViews.RowSubsetView.Of(data, fold.TrainRows));
            var fitSeconds = stopwatch.Elapsed.TotalSeconds;
            stopwatch.Restart();
            var scored = model.Transform(Data.DataViews.RowSubsetView.Of(data, fold.TestRows));
            var value = TaskMetric.Evaluate(ml, settings.Task, scored, settings.Label);
            var predictSeconds = stopwatch.Elapsed.TotalSeconds;
            return new FoldResult(candidate.Name, candidate.Family, fold.Index + 1, value, fitSeconds, predictSeconds, Note(model));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new FoldResult(candidate.Name, candidate.Family, fold.Index + 1, null, stopwatch.Elapsed.TotalSeconds, 0, $"failed: {e.Message}");
        }
        finally
        {
            foreach (var transformer in Transformers(model)) (transformer as IDisposable)?.Dispose();
        }
    }

    /// <summary>How a deep model's training went: its epochs and why it stopped.</summary>
    private static string? Note(ITransformer model) =>
        Transformers(model).OfType<IPredictionTransformer<DeepModelParameters>>().Select(p => p.Model.Info).Select(info =>
            $"{info.Epochs} epoch{(info.Epochs == 1 ? "" : "s")}, best {info.BestEpoch} ({info.StoppedBy})").FirstOrDefault();

    private static IEnumerable<ITransformer> Transformers(ITransformer? model) =>
        model is IEnumerable<ITransformer> chain ? chain.SelectMany(Transformers) : model is null ? [] : [model];

    /// <summary>An IProgress that reports on the calling thread.</summary>
    private sealed class Forward<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
