using MLPipelines.Data;
using MLPipelines.Trainers;

namespace MLPipelines.Evaluation;

public sealed record RegressionMetrics(double RootMeanSquaredError, double MeanAbsoluteError, double RSquared, int Rows);

public sealed record BinaryClassificationMetrics(double AreaUnderRocCurve, double LogLoss, double Accuracy, double F1, string PositiveClass, int Rows);

public sealed record MulticlassClassificationMetrics(double Accuracy, double MacroF1, double LogLoss, int Rows);

/// <summary>Metrics of predicted rows (the output of a fitted pipeline) against their label column.</summary>
public static class Evaluators
{
    public static RegressionMetrics Regression(DataTable predictions, string label)
    {
        var labels = predictions.Column<NumericColumn>(label).Values;
        var scores = Predictions(predictions).Column<NumericColumn>(PredictionColumns.Score).Values;
        for (var row = 0; row < labels.Length; row++)
            if (!double.IsFinite(labels[row]))
                throw new DataValidationException($"the label '{label}' is not a finite number on {predictions.DescribeRow(row)}: remove unlabelled rows before evaluating");
        return new RegressionMetrics(Metrics.RootMeanSquaredError(labels, scores), Metrics.MeanAbsoluteError(labels, scores),
            Metrics.RSquared(labels, scores), labels.Length);
    }

    /// <summary>Binary metrics; the positive class defaults to the second class name in ordinal order (as the featurizer's default).</summary>
    public static BinaryClassificationMetrics BinaryClassification(DataTable predictions, string label, string? positiveClass = null)
    {
        var (classes, labels, probabilities) = ClassificationInputs(predictions, label);
        if (classes.Length != 2) throw new DataValidationException($"the predictions have {classes.Length} classes; binary metrics need 2");
        positiveClass ??= classes.Order(StringComparer.Ordinal).Last();
        var positive = Array.IndexOf(classes, positiveClass);
        if (positive < 0) throw new DataValidationException($"'{positiveClass}' is not one of the predicted classes ({string.Join(", ", classes)})");
        var isPositive = labels.Select(c => c == positive).ToArray();
        var positiveProbability = Enumerable.Range(0, labels.Length).Select(row => probabilities[row * 2 + positive]).ToArray();
        var predicted = Metrics.ArgMax(probabilities, 2);
        return new BinaryClassificationMetrics(Metrics.AreaUnderRocCurve(isPositive, positiveProbability),
            Metrics.BinaryLogLoss(isPositive, positiveProbability), Metrics.Accuracy(labels, predicted),
            Metrics.F1(labels, predicted, positive), positiveClass, labels.Length);
    }

    public static MulticlassClassificationMetrics MulticlassClassification(DataTable predictions, string label)
    {
        var (classes, labels, probabilities) = ClassificationInputs(predictions, label);
        var predicted = Metrics.ArgMax(probabilities, classes.Length);
        return new MulticlassClassificationMetrics(Metrics.Accuracy(labels, predicted), Metrics.MacroF1(labels, predicted),
            Metrics.MulticlassLogLoss(labels, probabilities, classes.Length), labels.Length);
    }

    /// <summary>The classes (from the probability columns), each row's label class and the row-major probabilities.</summary>
    private static (string[] Classes, int[] Labels, double[] Probabilities) ClassificationInputs(DataTable predictions, string label)
    {
        var probabilityColumns = Predictions(predictions).Columns.Where(c => c.Name.StartsWith(PredictionColumns.ProbabilityPrefix, StringComparison.Ordinal)).ToArray();
        if (probabilityColumns.Length == 0)
            throw new DataValidationException($"the rows have no {PredictionColumns.ProbabilityPrefix}* columns: pass the output of a fitted classification pipeline");
        var classes = probabilityColumns.Select(c => c.Name[PredictionColumns.ProbabilityPrefix.Length..]).ToArray();
        var labelColumn = predictions[label];
        var index = classes.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var labels = new int[predictions.RowCount];
        for (var row = 0; row < labels.Length; row++)
        {
            var value = labelColumn.Format(row)
                        ?? throw new DataValidationException($"the label '{label}' is missing on {predictions.DescribeRow(row)}: remove unlabelled rows before evaluating");
            if (!index.TryGetValue(value, out labels[row]))
                throw new DataValidationException($"the label '{label}' is '{value}' on {predictions.DescribeRow(row)}, which is not a class the model predicts ({string.Join(", ", classes)})");
        }
        var probabilities = new double[labels.Length * classes.Length];
        for (var c = 0; c < classes.Length; c++)
        {
            var values = ((NumericColumn)probabilityColumns[c]).Values;
            for (var row = 0; row < labels.Length; row++) probabilities[row * classes.Length + c] = values[row];
        }
        return (classes, labels, probabilities);
    }

    private static DataTable Predictions(DataTable table) =>
        table.Schema.Contains(PredictionColumns.Score) || table.Schema.Contains(PredictionColumns.PredictedLabel)
            ? table
            : throw new DataValidationException("these rows hold no predictions: pass the output of a fitted pipeline's Transform");
}
