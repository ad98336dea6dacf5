using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data;
using MLPipelines.Data.DataViews;
using MLPipelines.Deep.Training;
using MLPipelines.Trainers;

namespace MLPipelines.AutoML.Experiments;

/// <summary>
/// A pipeline on one fold: fitted on the training rows, the held-out rows scored once, ML.NET's
/// evaluator's metric, the held-out predictions, and how training ended (a deep model stopped
/// by its time limit has not converged; how long it would have needed is estimated from its
/// epochs).
/// </summary>
public sealed record FoldOutcome(double Metric, double FitSeconds, double PredictSeconds, bool Converged, string? Note, double? ConvergedFitSeconds, float[] Predictions);

public static class FoldEvaluation
{
    /// <summary>Fits and scores; exceptions (a failing pipeline, cancellation) propagate.</summary>
    public static FoldOutcome Run(MLContext ml, IDataView data, PredictionTask task, string label, IEstimator<ITransformer> pipeline, Fold fold)
    {
        var stopwatch = Stopwatch.StartNew();
        ITransformer? model = null;
        try
        {
            model = pipeline.Fit(RowSubsetView.Of(data, fold.TrainRows));
            var fitSeconds = stopwatch.Elapsed.TotalSeconds;
            stopwatch.Restart();
            var transformed = model.Transform(RowSubsetView.Of(data, fold.TestRows));
            // Scored once: the evaluator and the predictions read the cached columns.
            var scored = ml.Data.Cache(transformed, [label, .. PredictionOutputs(task).Where(c => transformed.Schema.GetColumnOrNull(c) is not null)]);
            var metric = TaskMetric.Evaluate(ml, task, scored, label);
            var predictions = Predictions(task, scored);
            var predictSeconds = stopwatch.Elapsed.TotalSeconds;
            var (converged, note, convergedFit) = Training(model, fitSeconds);
            return new FoldOutcome(metric, fitSeconds, predictSeconds, converged, note, convergedFit, predictions);
        }
        finally
        {
            foreach (var transformer in Transformers(model)) (transformer as IDisposable)?.Dispose();
        }
    }

    private static string[] PredictionOutputs(PredictionTask task) => task switch
    {
        PredictionTask.BinaryClassification => [PredictionColumns.Score, PredictionColumns.Probability, PredictionColumns.PredictedLabel],
        PredictionTask.MulticlassClassification => [PredictionColumns.Score, PredictionColumns.PredictedLabel],
        _ => [PredictionColumns.Score],
    };

    /// <summary>
    /// The held-out predictions: the score (regression), the positive class's probability
    /// (binary; the score where a trainer gives no probability), or the class scores
    /// (multiclass), row after row.
    /// </summary>
    private static float[] Predictions(PredictionTask task, IDataView scored)
    {
        if (task == PredictionTask.MulticlassClassification)
            return scored.GetColumn<VBuffer<float>>(PredictionColumns.Score).SelectMany(v => v.DenseValues()).ToArray();
        var column = task == PredictionTask.BinaryClassification && scored.Schema.GetColumnOrNull(PredictionColumns.Probability) is not null
            ? PredictionColumns.Probability : PredictionColumns.Score;
        return scored.GetColumn<float>(column).ToArray();
    }

    /// <summary>Whether training reached its own stopping point, a note on it, and the fit seconds a converged fit would take.</summary>
    private static (bool Converged, string? Note, double? ConvergedFitSeconds) Training(ITransformer model, double fitSeconds)
    {
        var trained = Transformers(model).OfType<IPredictionTransformer<IEpochTrainedModel>>().Select(p => p.Model).FirstOrDefault();
        if (trained is null) return (true, null, fitSeconds);
        var epochs = trained.EpochsTrained;
        var note = $"{epochs} epoch{(epochs == 1 ? "" : "s")}, best {trained.BestEpoch} ({trained.StoppedBy})" + (trained.MixedPrecision ? "; bfloat16 autocast" : "");
        if (!trained.StoppedBy.StartsWith("time limit", StringComparison.Ordinal)) return (true, note, fitSeconds);
        return (false, note, fitSeconds * trained.EpochsToConverge / Math.Max(1, epochs));
    }

    internal static IEnumerable<ITransformer> Transformers(ITransformer? model) =>
        model is IEnumerable<ITransformer> chain ? chain.SelectMany(Transformers) : model is null ? [] : [model];
}
