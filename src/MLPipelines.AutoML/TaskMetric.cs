using MLPipelines.Data;
using MLPipelines.Evaluation;
using MLPipelines.Trainers;

namespace MLPipelines.AutoML;

/// <summary>The metric a comparison ranks by: RMSE for regression, AUC for binary and accuracy for multiclass classification.</summary>
public sealed record TaskMetric(string Name, bool HigherIsBetter)
{
    public static TaskMetric For(PredictionTask task) => task switch
    {
        PredictionTask.Regression => new("RMSE", false),
        PredictionTask.BinaryClassification => new("AUC", true),
        _ => new("accuracy", true),
    };

    /// <summary>The metric of predicted rows.</summary>
    public static double Evaluate(PredictionTask task, DataTable predictions, string label) => task switch
    {
        PredictionTask.Regression => Evaluators.Regression(predictions, label).RootMeanSquaredError,
        PredictionTask.BinaryClassification => Evaluators.BinaryClassification(predictions, label).AreaUnderRocCurve,
        _ => Evaluators.MulticlassClassification(predictions, label).Accuracy,
    };

    /// <summary>True when <paramref name="a"/> is better than <paramref name="b"/>.</summary>
    public bool Better(double a, double b) => HigherIsBetter ? a > b : a < b;
}
