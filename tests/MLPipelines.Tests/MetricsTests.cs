using MLPipelines.Data;
using MLPipelines.Evaluation;
using MLPipelines.Trainers;

namespace MLPipelines.Tests;

/// <summary>Metrics against scikit-learn 1.2.1 on fixed vectors (References/metrics.py prints these values).</summary>
public sealed class MetricsTests
{
    private static readonly int[] BinaryLabels = [0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0];
    private static readonly double[] BinaryProbabilities = [0.1, 0.9, 0.35, 0.35, 0.8, 0.2, 0.8, 0.55, 0.6, 0.0, 1.0, 0.45];

    private static readonly int[] MulticlassLabels = [0, 1, 2, 2, 1, 0, 1, 2, 0, 1];
    private static readonly double[] MulticlassProbabilities =
    [
        0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.3, 0.4, 0.3, 0.5, 0.2, 0.3, 0.2, 0.5, 0.3,
        0.6, 0.3, 0.1, 0.45, 0.45, 0.1, 0.2, 0.5, 0.3, 1.0, 0.0, 0.0, 0.3, 0.7, 0.0,
    ];

    private static readonly double[] Targets = [3.0, -0.5, 2.0, 7.0, 4.2, 10.0];
    private static readonly double[] Forecasts = [2.5, 0.0, 2.0, 8.0, 3.9, 12.5];

    [Fact]
    public void Binary_metrics_match_scikit_learn()
    {
        var positive = BinaryLabels.Select(y => y == 1).ToArray();
        var predicted = BinaryProbabilities.Select(p => p > 0.5 ? 1 : 0).ToArray();
        Assert.Equal(0.9027777777777779, Metrics.AreaUnderRocCurve(positive, BinaryProbabilities), 14);
        Assert.Equal(0.37272678826956757, Metrics.BinaryLogLoss(positive, BinaryProbabilities), 14);
        Assert.Equal(0.8333333333333334, Metrics.Accuracy(BinaryLabels, predicted), 14);
        Assert.Equal(0.8333333333333334, Metrics.F1(BinaryLabels, predicted, 1), 14);
    }

    [Fact]
    public void Multiclass_metrics_match_scikit_learn()
    {
        var predicted = Metrics.ArgMax(MulticlassProbabilities, 3);
        Assert.Equal(0.6, Metrics.Accuracy(MulticlassLabels, predicted), 14);
        Assert.Equal(0.47222222222222215, Metrics.MacroF1(MulticlassLabels, predicted), 14);
        Assert.Equal(0.6550892352713191, Metrics.MulticlassLogLoss(MulticlassLabels, MulticlassProbabilities, 3), 14);
    }

    [Fact]
    public void Regression_metrics_match_scikit_learn()
    {
        Assert.Equal(1.1430952132988164, Metrics.RootMeanSquaredError(Targets, Forecasts), 14);
        Assert.Equal(0.8000000000000002, Metrics.MeanAbsoluteError(Targets, Forecasts), 14);
        Assert.Equal(0.8876924913453503, Metrics.RSquared(Targets, Forecasts), 14);
    }

    [Fact]
    public void Undefined_metrics_are_errors()
    {
        Assert.Contains("one class", Assert.Throws<ArgumentException>(() => Metrics.AreaUnderRocCurve([true, true], [0.2, 0.4])).Message);
        Assert.Throws<ArgumentException>(() => Metrics.RootMeanSquaredError([], []));
        Assert.Throws<ArgumentException>(() => Metrics.MeanAbsoluteError([1, 2], [1]));
    }

    [Fact]
    public void Evaluators_read_prediction_tables()
    {
        var source = new DataTable([CategoricalColumn.FromValues("y", BinaryLabels.Select(y => y == 1 ? "yes" : "no").ToList())]);
        var probabilities = BinaryProbabilities.SelectMany(p => new[] { 1 - p, p }).ToArray();
        var predictions = PredictionColumns.Classification(source, ["no", "yes"], probabilities);
        var binary = Evaluators.BinaryClassification(predictions, "y");
        Assert.Equal("yes", binary.PositiveClass);
        Assert.Equal(0.9027777777777779, binary.AreaUnderRocCurve, 14);
        Assert.Equal(0.8333333333333334, binary.F1, 14);
        Assert.Equal(12, binary.Rows);
        // F1 of the other class, asked for by name.
        var negativeF1 = Metrics.F1(BinaryLabels, BinaryProbabilities.Select(p => p > 0.5 ? 1 : 0).ToArray(), 0);
        Assert.Equal(negativeF1, Evaluators.BinaryClassification(predictions, "y", "no").F1, 14);

        var classes = new[] { "a", "b", "c" };
        var multiSource = new DataTable([CategoricalColumn.FromValues("y", MulticlassLabels.Select(c => classes[c]).ToList())]);
        var multi = Evaluators.MulticlassClassification(PredictionColumns.Classification(multiSource, classes, MulticlassProbabilities), "y");
        Assert.Equal(0.47222222222222215, multi.MacroF1, 14);
        Assert.Equal(0.6550892352713191, multi.LogLoss, 14);

        var regression = Evaluators.Regression(PredictionColumns.Regression(new DataTable([new NumericColumn("t", Targets)]), Forecasts), "t");
        Assert.Equal(0.8876924913453503, regression.RSquared, 14);
    }

    [Fact]
    public void Evaluating_rows_with_an_unknown_class_or_no_predictions_names_the_problem()
    {
        var source = new DataTable([CategoricalColumn.FromValues("y", ["no", "maybe"])]);
        var predictions = PredictionColumns.Classification(source, ["no", "yes"], [0.9, 0.1, 0.2, 0.8]);
        var error = Assert.Throws<DataValidationException>(() => Evaluators.BinaryClassification(predictions, "y"));
        Assert.Contains("'maybe' on row 2", error.Message);
        Assert.Contains("no predictions", Assert.Throws<DataValidationException>(() => Evaluators.Regression(new DataTable([new NumericColumn("t", [1.0])]), "t")).Message);
    }
}
