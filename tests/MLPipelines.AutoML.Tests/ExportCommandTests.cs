using System.Globalization;
using Microsoft.ML;
using MLPipelines.Data;
using MLPipelines.Data.Csv;
using MLPipelines.Deep.Options;
using MLPipelines.Deep.Training;
using MLPipelines.Onnx;
using MLPipelines.Onnx.Protobuf;
using MLPipelines.Tests;
using MLPipelines.Trainers;
using MLPipelines.XGBoost.Training;
using Google.Protobuf;

namespace MLPipelines.AutoML.Tests;

/// <summary>
/// <c>mlpipelines export</c> and <c>mlpipelines predict</c> on the exported file, run as a user runs
/// them: the ONNX file scores a CSV (through ONNX Runtime alone) as the model file does.
/// </summary>
public sealed class ExportCommandTests : IDisposable
{
    private readonly MLContext _ml = new(seed: 3);
    private readonly string _directory = TestData.TemporaryDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A model file of a pipeline from raw columns, and 200 rows of the dataset as a user's CSV.</summary>
    private (string Model, string Rows) Saved(string dataset, string label, PredictionTask task, string trainer)
    {
        var rows = Path.Combine(_directory, "rows.csv");
        CsvWriter.Write(TestData.Load(dataset).Select(Enumerable.Range(0, 200).ToArray()), rows);
        var data = _ml.Data.LoadCsv(TestData.PathOf(dataset));
        IEstimator<ITransformer> model = trainer switch
        {
            "xgboost" => Ours(new GradientBoostedTreesTrainer(task, new GradientBoostedTreesOptions { LabelColumnName = label, MaxRounds = 30 }, 1)),
            // ML.NET's LightGbm as the experiment's candidate trains it, as a champion of automl would be saved.
            "lightgbm" => Candidate.Named(["lightgbm"])[0].CreatePipeline(new CandidateSettings(_ml, task, label, 1, 1, null, null, default)),
            _ => Ours(new DeepTrainer(task, new MlpOptions { LabelColumnName = label, MaxEpochs = 2 }, 1)),
        };
        // From the raw columns: the label given its task's type inside the pipeline, as a user would; a binary model
        // names its predicted class after it, as automl saves a binary champion.
        IEstimator<ITransformer> pipeline = task switch
        {
            PredictionTask.Regression => model,
            PredictionTask.BinaryClassification => _ml.Transforms.Conversion.MapValue(label, new Dictionary<string, bool> { ["good"] = false, ["bad"] = true }, label)
                .Append(model).Append(LabelPreparation.PredictedClass(_ml, ("good", "bad"))),
            _ => _ml.Transforms.Conversion.MapValueToKey(label).Append(model),
        };
        var fitted = pipeline.Fit(data);
        var path = Path.Combine(_directory, "model.zip");
        _ml.Model.Save(fitted, data.Schema, path);
        return (path, rows);
    }

    /// <summary>An XGBoost model file of concrete and its ONNX export, and 200 rows of concrete.</summary>
    private (string[] Files, string Rows) ConcreteModelAndExport()
    {
        var (model, rows) = Saved("concrete", "compressive_strength", PredictionTask.Regression, "xgboost");
        var onnx = Path.Combine(_directory, "model.onnx");
        Assert.Equal(0, Cli.Run("export", "--model", model, "--onnx", onnx).ExitCode);
        return ([model, onnx], rows);
    }

    /// <summary>The lines predict writes for the rows of <paramref name="input"/> with a model file or an ONNX file.</summary>
    private string[] PredictedLines(string file, string input)
    {
        var output = Path.Combine(_directory, "scored-lines.csv");
        var run = Cli.Run("predict", "--model", file, "--input", input, "--output", output);
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        return File.ReadAllLines(output);
    }

    private IEstimator<ITransformer> Ours<TModel>(TabularTrainer<TModel> trainer) where TModel : TabularModelParameters, ILoadableModel<TModel> =>
        _ml.Transforms.FeaturizeFor(trainer).Append(trainer);

    [Theory]
    [InlineData("concrete", "xgboost")]
    [InlineData("credit_data", "mlp")]
    [InlineData("penguins", "xgboost")]
    [InlineData("penguins", "lightgbm")]
    public void The_exported_file_scores_a_csv_as_the_model_file_does(string dataset, string trainer)
    {
        var (label, task) = (TestData.Manifest()[dataset].Target, TestData.Manifest()[dataset].Task);
        var kind = task switch { "regression" => PredictionTask.Regression, "binary" => PredictionTask.BinaryClassification, _ => PredictionTask.MulticlassClassification };
        var (model, rows) = Saved(dataset, label, kind, trainer);
        var onnx = Path.Combine(_directory, "model.onnx");
        var export = Cli.Run("export", "--model", model, "--onnx", onnx);
        Assert.True(export.ExitCode == 0, export.Output + export.Error);
        Assert.Contains("exported model.zip to model.onnx", export.Output);

        var (native, exported) = (Path.Combine(_directory, "native.csv"), Path.Combine(_directory, "onnx.csv"));
        var first = Cli.Run("predict", "--model", model, "--input", rows, "--output", native);
        var second = Cli.Run("predict", "--model", onnx, "--input", rows, "--output", exported);
        Assert.True(first.ExitCode == 0 && second.ExitCode == 0, first.Error + second.Error);
        Assert.Contains("(ONNX Runtime)", second.Output);
        var (expected, actual) = (CsvReader.Read(native), CsvReader.Read(exported));
        // The same columns in the same order: the file's, then PredictedLabel, PredictedClass, the scores, Probability.
        Assert.Equal(expected.Schema.Select(c => c.Name), actual.Schema.Select(c => c.Name));
        var predictions = expected.Columns.Where(c => c.Name.StartsWith("Score", StringComparison.Ordinal) || c.Name is "Probability" or "PredictedLabel" or "PredictedClass").ToList();
        Assert.NotEmpty(predictions);
        if (kind == PredictionTask.BinaryClassification)
            for (var row = 0; row < expected.RowCount; row++)
                Assert.Equal(bool.Parse(expected["PredictedLabel"].Format(row)!) ? "bad" : "good", expected["PredictedClass"].Format(row));
        foreach (var column in predictions)
            for (var row = 0; row < expected.RowCount; row++)
            {
                var (e, a) = (column.Format(row), actual[column.Name].Format(row));
                if (double.TryParse(e, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var y))
                {
                    Assert.True(Math.Abs(x - y) <= 3e-5 * Math.Max(1, Math.Abs(x)), $"{column.Name}, row {row}: {e} vs {a}");
                    // Both in the Single's shortest form.
                    Assert.Equal(((float)y).ToString("R", CultureInfo.InvariantCulture), a);
                }
                else Assert.Equal(e, a, ignoreCase: true);
            }
    }

    /// <summary>The ONNX file scores a CSV in batches of rows (its activations for all rows at once could exceed memory): the same predictions, whatever the batch.</summary>
    [Theory]
    [InlineData("penguins", PredictionTask.MulticlassClassification)]
    [InlineData("credit_data", PredictionTask.BinaryClassification)]
    public void Scoring_with_the_onnx_file_in_batches_gives_what_scoring_all_rows_at_once_gives(string dataset, PredictionTask task)
    {
        var (model, rows) = Saved(dataset, TestData.Manifest()[dataset].Target, task, "xgboost");
        var onnx = Path.Combine(_directory, "model.onnx");
        Assert.Equal(0, Cli.Run("export", "--model", model, "--onnx", onnx).ExitCode);
        var graph = ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnx)).Graph;
        var table = CsvReader.Read(rows, new CsvOptions
        {
            ColumnTypes = graph.Input.ToDictionary(i => i.Name, i => (TensorProto.Types.DataType)i.Type.TensorType.ElemType == TensorProto.Types.DataType.String ? ColumnType.Categorical : ColumnType.Numeric),
        });
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnx);
        var whole = MLPipelines.Cli.Predict.OnnxScoring.Score(session, graph.Input, table, null, table.RowCount);
        var reported = new List<long>();
        var batched = MLPipelines.Cli.Predict.OnnxScoring.Score(session, graph.Input, table, null, 7, reported.Add);
        Assert.Equal(whole.Schema.Select(c => c.Name), batched.Schema.Select(c => c.Name));
        // ONNX Runtime's tree ensemble sums its trees in an order that depends on the batch: scores agree to a Single's rounding.
        foreach (var column in whole.Columns)
            for (var row = 0; row < table.RowCount; row++)
                if (column is NumericColumn numbers && !double.IsNaN(numbers[row])) Assert.Equal(numbers[row], ((NumericColumn)batched[column.Name])[row], 1e-6 * Math.Max(1, Math.Abs(numbers[row])));
                else Assert.Equal(column.Format(row), batched[column.Name].Format(row));
        Assert.Equal(Enumerable.Range(1, 29).Select(b => (long)Math.Min(7 * b, 200)), reported);
    }

    /// <summary>Rows written with their row names first, unnamed (pandas' index, R's row names), are scored with them back first, by the model file and its ONNX export.</summary>
    [Fact]
    public void Row_names_of_the_input_come_back_first_in_the_scored_rows()
    {
        var (files, rows) = ConcreteModelAndExport();
        var named = Path.Combine(_directory, "named.csv");
        File.WriteAllLines(named, File.ReadAllLines(rows).Select((line, i) => (i == 0 ? "" : $"mix-{i}") + "," + line));

        foreach (var file in files)
        {
            var (expected, actual) = (PredictedLines(file, rows), PredictedLines(file, named));
            Assert.Equal(201, actual.Length);
            Assert.Equal("\"\"," + expected[0], actual[0]);
            for (var row = 1; row < actual.Length; row++) Assert.Equal($"mix-{row}," + expected[row], actual[row]);
        }
    }

    /// <summary>
    /// Rows a spreadsheet wrote with semicolons and decimal commas are scored, by the model file and by its ONNX export, into
    /// a file written the same way: the lines of the scores of the same rows written with commas and points, translated.
    /// </summary>
    [Fact]
    public void Scored_rows_are_written_with_the_separator_and_decimal_marker_of_the_input()
    {
        var (files, rows) = ConcreteModelAndExport();
        var european = Path.Combine(_directory, "european.csv");
        CsvWriter.Write(CsvReader.Read(rows), european, new CsvLayout(';', ','));

        foreach (var file in files)
        {
            var (expected, actual) = (PredictedLines(file, rows), PredictedLines(file, european));
            Assert.Equal(201, actual.Length);
            Assert.Contains("compressive_strength;Score", actual[0]);
            Assert.Contains(actual.Skip(1), line => line.Contains(','));
            Assert.Equal(expected.Select(line => line.Replace(',', ';').Replace('.', ',')), actual);
        }
    }

    /// <summary>
    /// A CSV without a column the model reads is refused, by the model file and by its ONNX export alike (every row would be
    /// scored with that value missing); one without the label, which the model does not read, is scored.
    /// </summary>
    [Fact]
    public void A_csv_without_a_column_the_model_reads_is_refused_and_one_without_the_label_is_scored()
    {
        var (files, rows) = ConcreteModelAndExport();
        var table = CsvReader.Read(rows);
        var (noAge, noLabel) = (Path.Combine(_directory, "no-age.csv"), Path.Combine(_directory, "no-label.csv"));
        CsvWriter.Write(table.WithoutColumns("age"), noAge);
        CsvWriter.Write(table.WithoutColumns("compressive_strength"), noLabel);

        foreach (var file in files)
        {
            var scored = Path.Combine(_directory, "scored.csv");
            var refused = Cli.Run("predict", "--model", file, "--input", noAge, "--output", scored);
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("error: no-age.csv lacks 1 of the 8 columns the model reads: age; empty cells are scored as missing values", refused.Error);
            Assert.False(File.Exists(scored));

            var run = Cli.Run("predict", "--model", file, "--input", noLabel, "--output", scored);
            Assert.True(run.ExitCode == 0, run.Output + run.Error);
            var written = CsvReader.Read(scored);
            Assert.Equal(200, written.RowCount);
            // The file's columns and the prediction: not the label it lacked.
            Assert.Equal([.. table.WithoutColumns("compressive_strength").Schema.Select(c => c.Name), "Score"], written.Schema.Select(c => c.Name));
            File.Delete(scored);
        }
    }

    [Fact]
    public void A_damaged_or_foreign_onnx_file_and_an_onnx_file_given_as_a_model_are_errors_that_say_so()
    {
        var rows = Path.Combine(_directory, "rows.csv");
        CsvWriter.Write(TestData.Load("concrete").Select(Enumerable.Range(0, 20).ToArray()), rows);

        var damaged = Path.Combine(_directory, "damaged.onnx");
        File.WriteAllBytes(damaged, [0x08, 0x0A, 0x12, 0xFF, 0xFF, 0xFF, 0x01, 0x02]);
        var run = Cli.Run("predict", "--model", damaged, "--input", rows, "--output", Path.Combine(_directory, "out.csv"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("damaged.onnx is not a readable ONNX file", run.Error);

        // A valid ONNX file whose input is a 4-wide vector, not one column per input.
        var graph = new OnnxGraph("foreign");
        var x = graph.Input("x", TensorProto.Types.DataType.Float, 4);
        graph.Output("y", graph.ReduceSum(x, 1, keepDims: true), TensorProto.Types.DataType.Float, 1);
        var foreign = Path.Combine(_directory, "foreign.onnx");
        File.WriteAllBytes(foreign, graph.ToModel("0", new Dictionary<string, string>()).ToByteArray());
        run = Cli.Run("predict", "--model", foreign, "--input", rows, "--output", Path.Combine(_directory, "out.csv"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("was not written by `mlpipelines export`: its input 'x'", run.Error);

        run = Cli.Run("export", "--model", foreign, "--onnx", Path.Combine(_directory, "again.onnx"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("foreign.onnx is an ONNX file, not a model file", run.Error);
        Assert.False(File.Exists(Path.Combine(_directory, "again.onnx")));
    }

    [Fact]
    public void A_model_that_cannot_be_exported_is_refused_by_name_and_an_unwritable_path_is_an_error_and_no_file_is_left()
    {
        var data = TestData.Prepared(_ml, "concrete").Data;
        var label = TestData.Manifest()["concrete"].Target;
        // Tweedie regression: FastTree's trees under an exponential, which the export does not write.
        var model = _ml.Transforms.Featurize(label).Append(_ml.Regression.Trainers.FastTreeTweedie(label)).Fit(data);
        var path = Path.Combine(_directory, "tweedie.zip");
        _ml.Model.Save(model, data.Schema, path);
        var onnx = Path.Combine(_directory, "tweedie.onnx");
        var run = Cli.Run("export", "--model", path, "--onnx", onnx);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("tweedie.zip cannot be exported", run.Error);
        Assert.Contains("FastTreeTweedieModelParameters", run.Error);
        Assert.False(File.Exists(onnx));
        Assert.False(File.Exists(onnx + ".partial"));

        // A pipeline that can be exported, to a folder that does not exist.
        var trees = new GradientBoostedTreesTrainer(PredictionTask.Regression, new GradientBoostedTreesOptions { LabelColumnName = label, MaxRounds = 5 }, 1);
        var exportable = Path.Combine(_directory, "xgboost.zip");
        _ml.Model.Save(_ml.Transforms.FeaturizeFor(trees).Append(trees).Fit(data), data.Schema, exportable);
        var nowhere = Path.Combine(_directory, "no-such-folder", "model.onnx");
        run = Cli.Run("export", "--model", exportable, "--onnx", nowhere);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{nowhere} cannot be written", run.Error);
    }
}
