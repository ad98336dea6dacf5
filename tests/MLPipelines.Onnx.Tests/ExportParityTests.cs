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
    /// the predicted labels, and returns the largest score difference relative to max(1, |score|,
    /// the scores' standard deviation): scores near 0 (small probabilities, margins) are compared
    /// absolutely, and a regression's by the scale of its predictions, where float rounding lives
    /// (a row predicted near 0 on a target of thousands is off by as much as any other).
    /// </summary>
    public static double Compare(MLContext ml, ITransformer model, IDataView train, IDataView rows, PredictionTask task, ITestOutputHelper output)
    {
        var path = Path.Combine(TestData.TemporaryDirectory(), "model.onnx");
        ml.Model.ExportOnnx(model, train.Schema, path);
        var native = model.Transform(rows);
        var onnx = ml.Transforms.ApplyOnnxModel(path).Fit(rows).Transform(rows);
        var expected = Scores(native, task);
        var actual = Scores(onnx, task);
        Assert.Equal(expected.Count, actual.Count);
        var spread = Enumerable.Range(0, expected[0].Length).Select(k => StandardDeviation(expected.Select(row => (double)row[k]).Where(double.IsFinite).ToArray())).ToArray();
        var worst = 0.0;
        var worstAt = "";
        for (var r = 0; r < expected.Count; r++)
        {
            Assert.Equal(expected[r].Length, actual[r].Length);
            for (var k = 0; k < expected[r].Length; k++)
            {
                var (e, a) = (expected[r][k], actual[r][k]);
                Assert.False(float.IsNaN(a) != float.IsNaN(e), $"row {r}: native {e}, ONNX {a}");
                var difference = float.IsNaN(e) ? 0 : Math.Abs(e - a) / Math.Max(Math.Max(1, Math.Abs(e)), spread[k]);
                if (difference > worst) (worst, worstAt) = (difference, $"row {r}, value {k}: native {e:R}, ONNX {a:R}");
            }
        }
        Assert.Equal(Labels(native, task, nativeLabels: true), Labels(onnx, task, nativeLabels: false));
        output.WriteLine($"{expected.Count} rows, {new FileInfo(path).Length:N0} bytes; largest relative score difference {worst:E2} ({worstAt})");
        return worst;
    }

    private static double StandardDeviation(double[] values)
    {
        if (values.Length == 0) return 0;
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }

    /// <summary>Each row's Score (and Probability for binary) as floats.</summary>
    private static List<float[]> Scores(IDataView scored, PredictionTask task)
    {
        var score = scored.Schema["Score"];
        var result = new List<float[]>();
        using var cursor = scored.GetRowCursor(task == PredictionTask.BinaryClassification ? [score, scored.Schema["Probability"]] : [score]);
        var getScore = Floats(cursor, score);
        var getProbability = task == PredictionTask.BinaryClassification ? Floats(cursor, scored.Schema["Probability"]) : null;
        while (cursor.MoveNext()) result.Add(getProbability is null ? getScore() : [.. getScore(), .. getProbability()]);
        return result;
    }

    private static Func<float[]> Floats(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        if (column.Type is VectorDataViewType)
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> value = default;
            return () =>
            {
                getter(ref value);
                return value.DenseValues().ToArray();
            };
        }
        var scalar = cursor.GetGetter<float>(column);
        float v = 0;
        return () =>
        {
            scalar(ref v);
            return [v];
        };
    }

    /// <summary>The predicted labels as text: the native key's value, or the exported class name / Boolean.</summary>
    private static List<string> Labels(IDataView scored, PredictionTask task, bool nativeLabels)
    {
        if (task == PredictionTask.Regression) return [];
        var column = scored.Schema["PredictedLabel"];
        var result = new List<string>();
        using var cursor = scored.GetRowCursor([column]);
        if (task == PredictionTask.BinaryClassification)
        {
            if (column.Type is VectorDataViewType)
            {
                var vector = cursor.GetGetter<VBuffer<bool>>(column);
                VBuffer<bool> values = default;
                while (cursor.MoveNext()) { vector(ref values); result.Add(values.GetItemOrDefault(0).ToString()); }
            }
            else
            {
                var getter = cursor.GetGetter<bool>(column);
                var value = false;
                while (cursor.MoveNext()) { getter(ref value); result.Add(value.ToString()); }
            }
            return result;
        }
        if (nativeLabels)
        {
            VBuffer<ReadOnlyMemory<char>> names = default;
            column.GetKeyValues(ref names);
            var keyNames = names.DenseValues().Select(n => n.ToString()).ToArray();
            var getter = cursor.GetGetter<uint>(column);
            uint key = 0;
            while (cursor.MoveNext()) { getter(ref key); result.Add(keyNames[key - 1]); }
            return result;
        }
        var text = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(column);
        VBuffer<ReadOnlyMemory<char>> label = default;
        while (cursor.MoveNext()) { text(ref label); result.Add(label.GetItemOrDefault(0).ToString()); }
        return result;
    }
}
