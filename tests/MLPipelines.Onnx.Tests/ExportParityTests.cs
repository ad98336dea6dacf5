using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data;
using MLPipelines.Data.Csv;
using MLPipelines.Data.DataViews;
using MLPipelines.Tests;
using MLPipelines.Trainers;
using Xunit.Abstractions;

namespace MLPipelines.Onnx.Tests;

/// <summary>
/// Rows to score an exported model on, and the comparison of the pipeline's own predictions with
/// those of ML.NET's ApplyOnnxModel over the exported file, row by row.
/// </summary>
internal static class Parity
{
    public const string UnseenLevel = "level-never-seen-in-training";

    /// <summary>
    /// A dataset's first <paramref name="rows"/> rows for training (label prepared for its task),
    /// and rows to score: those rows and the next ones, then copies of the first 60 with one
    /// feature blanked (missing) in turn and, for text columns, copies with a level training never saw.
    /// </summary>
    public static (IDataView Train, IDataView Score, string Label, PredictionTask Task) Data(MLContext ml, string dataset, int rows, int scoreRows)
    {
        var (_, label, taskName) = TestData.Manifest()[dataset];
        var task = taskName switch { "regression" => PredictionTask.Regression, "binary" => PredictionTask.BinaryClassification, _ => PredictionTask.MulticlassClassification };
        var lines = File.ReadAllLines(TestData.PathOf(dataset));
        var header = lines[0].Split(',');
        var table = TestData.Load(dataset);
        var types = table.Schema.ToDictionary(c => c.Name, c => c.Type);
        var labelIndex = Array.IndexOf(header, $"\"{label}\"") is var i and >= 0 ? i : Array.IndexOf(header, label);
        var body = lines.Skip(1).Take(scoreRows).ToList();
        var changed = new List<string>();
        for (var r = 0; r < 60; r++)
        {
            var fields = body[r].Split(',');
            Assert.Equal(header.Length, fields.Length);    // no quoted commas in these datasets
            var column = r % header.Length;
            if (column == labelIndex) continue;
            fields[column] = "";
            changed.Add(string.Join(',', fields));
            var name = header[column].Trim('"');
            if (types[name] == ColumnType.Categorical)
            {
                fields[column] = $"\"{UnseenLevel}\"";
                changed.Add(string.Join(',', fields));
            }
        }
        var directory = TestData.TemporaryDirectory();
        var trainPath = Path.Combine(directory, "train.csv");
        var scorePath = Path.Combine(directory, "score.csv");
        File.WriteAllLines(trainPath, lines.Take(rows + 1));
        File.WriteAllLines(scorePath, new[] { lines[0] }.Concat(body).Concat(changed));
        var options = new CsvOptions { ColumnTypes = types };
        var train = LabelPreparation.Prepare(ml, new DataTableView(CsvReader.Read(trainPath, options)), label, task);
        var score = new DataTableView(CsvReader.Read(scorePath, options));
        return (train, score, label, task);
    }

    /// <summary>
    /// Exports <paramref name="model"/>, scores <paramref name="rows"/> through ApplyOnnxModel, checks
    /// the predicted labels, and returns the largest score difference (<see cref="ScoredColumns.LargestDifference"/>).
    /// </summary>
    public static double Compare(MLContext ml, ITransformer model, IDataView train, IDataView rows, PredictionTask task, ITestOutputHelper output)
    {
        var path = Path.Combine(TestData.TemporaryDirectory(), "model.onnx");
        ml.Model.ExportOnnx(model, train.Schema, path);
        var native = model.Transform(rows);
        var onnx = ml.Transforms.ApplyOnnxModel(path).Fit(rows).Transform(rows);
        var expected = ScoredColumns.Scores(native);
        var (worst, worstAt) = ScoredColumns.LargestDifference(expected, ScoredColumns.Scores(onnx));
        Assert.Equal(ScoredColumns.Labels(native), ScoredColumns.Labels(onnx));
        output.WriteLine($"{expected.Count} rows, {new FileInfo(path).Length:N0} bytes; largest relative score difference {worst:E2} ({worstAt})");
        return worst;
    }
}
