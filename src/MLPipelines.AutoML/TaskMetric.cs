using Microsoft.ML;
using MLPipelines.Trainers;

namespace MLPipelines.AutoML;

/// <summary>The metric a comparison ranks by, computed by ML.NET's evaluators: RMSE for regression, AUC for binary and accuracy for multiclass classification.</summary>
public sealed record TaskMetric(string Name, bool HigherIsBetter)
{
    public static TaskMetric For(PredictionTask task) => task switch
    {
        PredictionTask.Regression => new("RMSE", false),
        PredictionTask.BinaryClassification => new("AUC", true),
        _ => new("accuracy", true),
    };

    /// <summary>The metric of scored rows (ML.NET's output columns and the label).</summary>
    public static double Evaluate(MLContext ml, PredictionTask task, IDataView scored, string label) => task switch
    {
        PredictionTask.Regression => ml.Regression.Evaluate(scored, label).RootMeanSquaredError,
        // AUC needs the score and predicted label only, so uncalibrated trainers (FastForest) are measured too.
        PredictionTask.BinaryClassification => ml.BinaryClassification.EvaluateNonCalibrated(scored, label).AreaUnderRocCurve,
        _ => ml.MulticlassClassification.Evaluate(scored, label).MicroAccuracy,
    };

    /// <summary>The value oriented so that lower is better: what rankings sort by and samplers minimize.</summary>
    public double Loss(double value) => HigherIsBetter ? -value : value;

    /// <summary>True when <paramref name="a"/> is better than <paramref name="b"/>.</summary>
    public bool Better(double a, double b) => HigherIsBetter ? a > b : a < b;
}
