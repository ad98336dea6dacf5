using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data;
using MLPipelines.Trainers;

namespace MLPipelines.Tests;

/// <summary>Bad input to a trainer or a trained model: each a clear error that says what was wrong and where.</summary>
public sealed class TrainerInputTests
{
    private readonly MLContext _ml = new(seed: 4);

    private IDataView Rows(params (float X, float Y, string Text)[] rows) =>
        _ml.Data.LoadFromEnumerable(rows.Select(r => new Row { X = r.X, Y = r.Y, Text = r.Text, Features = [r.X, r.X * 2] }));

    private sealed class Row
    {
        public float X { get; set; }
        public float Y { get; set; }
        public string Text { get; set; } = "";

        [VectorType(2)]
        public float[] Features { get; set; } = [];
    }

    [Fact]
    public void A_missing_or_mistyped_feature_column_is_named()
    {
        var data = TestData.View("concrete");
        var noFeatures = Assert.Throws<DataValidationException>(() => _ml.Regression.Trainers.Baseline("compressive_strength").Fit(data));
        Assert.Contains("the feature column 'Features', but the data has no such column", noFeatures.Message);
        Assert.Contains("cement", noFeatures.Message);

        var scalar = _ml.Transforms.CopyColumns("Features", "cement").Fit(data).Transform(data);
        Assert.Contains("vector of Single of known size, but it is Single",
            Assert.Throws<DataValidationException>(() => _ml.Regression.Trainers.Baseline("compressive_strength").Fit(scalar)).Message);
        var doubles = _ml.Transforms.Concatenate("Features", "cement", "age").Append(_ml.Transforms.Conversion.ConvertType("Features", outputKind: DataKind.Double)).Fit(data).Transform(data);
        Assert.Contains("but it is Vector<Double, 2>", Assert.Throws<DataValidationException>(() => _ml.Regression.Trainers.Baseline("compressive_strength").Fit(doubles)).Message);
        // ML.NET checks the schema before fitting a chain: the same message, before any work.
        Assert.Contains("no such column", Assert.Throws<DataValidationException>(() =>
            _ml.Transforms.Concatenate("Other", "cement").Append(_ml.Regression.Trainers.Baseline("compressive_strength")).Fit(data)).Message);
    }

    [Fact]
    public void A_label_of_the_wrong_type_for_the_task_says_what_to_do()
    {
        var data = Rows((1, 2, "a"), (2, 3, "b"));
        Assert.Contains("must be Single or Double, but it is String (classes? use a classification trainer)",
            Assert.Throws<DataValidationException>(() => _ml.Regression.Trainers.Baseline("Text").Fit(data)).Message);
        Assert.Contains("must be Boolean, but it is String; map its two values to true and false first",
            Assert.Throws<DataValidationException>(() => _ml.BinaryClassification.Trainers.Baseline("Text").Fit(data)).Message);
        Assert.Contains("must be a key, but it is Single; map its values to keys first (ml.Transforms.Conversion.MapValueToKey(\"Y\"))",
            Assert.Throws<DataValidationException>(() => _ml.MulticlassClassification.Trainers.Baseline("Y").Fit(data)).Message);
        var penguins = _ml.Transforms.Conversion.MapValueToKey("species").Append(_ml.Transforms.Featurize("species")).Fit(TestData.View("penguins")).Transform(TestData.View("penguins"));
        Assert.Contains("a key label with more than two classes needs a multiclass trainer",
            Assert.Throws<DataValidationException>(() => _ml.BinaryClassification.Trainers.Baseline("species").Fit(penguins)).Message);
    }

    [Fact]
    public void NaN_and_missing_labels_name_the_row()
    {
        var data = Rows((1, 2, "a"), (2, float.NaN, "b"), (3, float.NaN, "c"));
        var error = Assert.Throws<DataValidationException>(() => _ml.Regression.Trainers.Baseline("Y").Fit(data));
        Assert.Contains("the label 'Y' is missing (NaN) on row 2 of the training data", error.Message);

        var binary = Rows((1, 0, "a"), (2, 0.5f, "b"));
        Assert.Contains("is 0.5 on row 2", Assert.Throws<DataValidationException>(() => _ml.BinaryClassification.Trainers.Baseline("Y").Fit(binary)).Message);

        // A key label whose value the key mapping did not know is the missing key 0.
        var keys = _ml.Transforms.Conversion.MapValueToKey("Text").Fit(Rows((1, 1, "a"), (2, 2, "b"))).Transform(Rows((1, 1, "a"), (2, 2, "c")));
        Assert.Contains("the label 'Text' is missing (key 0", Assert.Throws<DataValidationException>(() => _ml.MulticlassClassification.Trainers.Baseline("Text").Fit(keys)).Message);
        Assert.Contains("on row 2", Assert.Throws<DataValidationException>(() => _ml.MulticlassClassification.Trainers.Baseline("Text").Fit(keys)).Message);

        var oneClass = Rows((1, 1, "a"), (2, 1, "b"));
        Assert.Contains("needs both classes", Assert.Throws<DataValidationException>(() => _ml.BinaryClassification.Trainers.Baseline("Y").Fit(oneClass)).Message);
        var none = _ml.Data.FilterRowsByColumn(Rows((1, 1, "a")), "X", lowerBound: 5);
        Assert.Contains("cannot learn from zero rows", Assert.Throws<DataValidationException>(() => _ml.Regression.Trainers.Baseline("Y").Fit(none)).Message);
    }

    [Fact]
    public void Rows_without_the_feature_column_or_with_another_length_are_refused_at_prediction()
    {
        var model = _ml.Regression.Trainers.Baseline("Y").Fit(Rows((1, 2, "a"), (2, 3, "b")));
        var without = _ml.Data.LoadFromEnumerable(new[] { new { X = 1f } });
        Assert.Contains("the feature column 'Features', but the data has no such column (columns: X)", Assert.Throws<DataValidationException>(() => model.Transform(without)).Message);

        var longer = _ml.Data.LoadFromEnumerable(new[] { new Longer { Features = [1, 2, 3] } });
        var error = Assert.Throws<DataValidationException>(() => model.Transform(longer));
        Assert.Contains("trained on 'Features' vectors of 2 values, but these rows have 3", error.Message);
        // The same check guards PredictionEngine and the schema ML.NET asks for.
        Assert.Throws<DataValidationException>(() => model.GetOutputSchema(longer.Schema));
    }

    private sealed class Longer
    {
        [VectorType(3)]
        public float[] Features { get; set; } = [];
    }
}
