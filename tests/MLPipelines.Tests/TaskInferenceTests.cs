using MLPipelines.Data;
using MLPipelines.Data.Csv;
using MLPipelines.Trainers;

namespace MLPipelines.Tests;

public sealed class TaskInferenceTests
{
    /// <summary>Every shipped dataset's label, read as a user's CSV is read (no declared types), gives the task MANIFEST.tsv names.</summary>
    [Fact]
    public void Each_shipped_dataset_gets_the_task_its_manifest_names()
    {
        foreach (var (dataset, (_, label, task)) in TestData.Manifest())
        {
            var inferred = TaskInference.Infer(CsvReader.Read(TestData.PathOf(dataset))[label]);
            var expected = task switch { "regression" => PredictionTask.Regression, "binary" => PredictionTask.BinaryClassification, _ => PredictionTask.MulticlassClassification };
            Assert.True(expected == inferred.Task, $"{dataset}: {inferred.Task} ({inferred.Reason}), manifest {task}");
        }
    }

    [Fact]
    public void Two_values_are_binary_whatever_they_are()
    {
        Assert.Equal(PredictionTask.BinaryClassification, Infer(0, 1, 1, 0).Task);
        Assert.Equal(PredictionTask.BinaryClassification, Infer(0.5, 2.25, 0.5).Task);
        Assert.Equal(PredictionTask.BinaryClassification, TaskInference.Infer(CategoricalColumn.FromValues("y", ["yes", "no", null, "yes"])).Task);
        Assert.Equal("two distinct values", Infer(0, 1).Reason);
    }

    [Fact]
    public void Text_with_more_values_is_multiclass()
    {
        var inferred = TaskInference.Infer(CategoricalColumn.FromValues("y", ["a", "b", "c", "a"]));
        Assert.Equal(PredictionTask.MulticlassClassification, inferred.Task);
        Assert.Equal("3 distinct values, not numbers", inferred.Reason);
    }

    /// <summary>AutoGluon's thresholds: classes are at most 10% of the rows up to 1,000 rows, 5% above, and never more than 1,000.</summary>
    [Fact]
    public void Whole_numbers_are_classes_only_where_they_take_few_values()
    {
        // 1,000 rows: 100 values (10%) are classes, 101 a quantity.
        Assert.Equal(PredictionTask.MulticlassClassification, Infer(Cycle(1000, 100)).Task);
        Assert.Equal(PredictionTask.Regression, Infer(Cycle(1000, 101)).Task);
        // 1,001 rows: the ratio is 5%, so 50 values are classes and 51 a quantity.
        Assert.Equal(PredictionTask.MulticlassClassification, Infer(Cycle(1001, 50)).Task);
        Assert.Equal(PredictionTask.Regression, Infer(Cycle(1001, 51)).Task);
        // 5% of 100,000 rows would be 5,000: the 1,000-class ceiling applies first.
        Assert.Equal(PredictionTask.MulticlassClassification, Infer(Cycle(100_000, 1000)).Task);
        Assert.Equal(PredictionTask.Regression, Infer(Cycle(100_000, 1001)).Task);

        var ratings = Infer(Cycle(200, 5));
        Assert.Equal("whole numbers, 5 distinct in 200 rows (few: classes)", ratings.Reason);
        Assert.Equal("numbers, 101 distinct in 1,000 rows (many: a quantity)", Infer(Cycle(1000, 101)).Reason);
    }

    [Fact]
    public void Numbers_with_fractions_are_a_regression_however_few_their_values()
    {
        var inferred = Infer([.. Cycle(1000, 3), 0.5]);
        Assert.Equal(PredictionTask.Regression, inferred.Task);
        Assert.Equal("numbers, not all whole", inferred.Reason);
    }

    [Fact]
    public void Missing_values_are_not_counted_and_a_label_without_values_is_refused()
    {
        // Two values and a missing one: binary, not three values.
        Assert.Equal(PredictionTask.BinaryClassification, Infer(3, double.NaN, 7).Task);
        var error = Assert.Throws<DataValidationException>(() => Infer(double.NaN, double.NaN));
        Assert.Equal("the label 'y' has no value in any row", error.Message);
        // One value: a classification, which LabelPreparation then refuses with its reason.
        Assert.Equal(PredictionTask.MulticlassClassification, Infer(4, 4, 4).Task);
    }

    private static InferredTask Infer(params double[] values) => TaskInference.Infer(new NumericColumn("y", values));

    /// <summary><paramref name="rows"/> whole numbers cycling through <paramref name="distinct"/> values.</summary>
    private static double[] Cycle(int rows, int distinct) => [.. Enumerable.Range(0, rows).Select(i => (double)(i % distinct))];
}
