using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data;
using MLPipelines.Data.Csv;
using MLPipelines.Data.DataViews;
using MLPipelines.Deep.Options;
using MLPipelines.Deep.Training;
using MLPipelines.Onnx;
using MLPipelines.Trainers;
using MLPipelines.XGBoost.Training;

namespace MLPipelines.Benchmarks.OnnxScoring;

/// <summary>
/// The export's parity on every row of diamonds, credit_data, LetterRecognition and penguins
/// (the tests check slices): each model kind is trained on a seeded 80% of the rows (deep models
/// for a short schedule: parity needs a trained model, not a good one), exported, and every row
/// of the file is scored by ML.NET's ApplyOnnxModel and by the native pipeline. Prints, per
/// dataset and model: export seconds, file size, the largest score difference relative to
/// max(1, |score|, the scores' standard deviation) — the spread is the scale of a regression's
/// float rounding: an outlier row predicted near 0 on a target of thousands is off by the same
/// few thousandths as any other — and how many predicted labels differ.
/// </summary>
public static class OnnxParityCheck
{
    private static readonly string[] Datasets = ["diamonds", "credit_data", "LetterRecognition", "penguins"];

    public static int Run(string[] args)
    {
        var root = PeerProcess.RepositoryRoot();
        var models = (BenchmarkArguments.Option(args, "--models") ?? "xgboost,xgboost-forest,xgboost-linear,linear,mlp,resnet,ft-transformer,tabm").Split(',');
        var datasets = BenchmarkArguments.Option(args, "--datasets")?.Split(',') ?? Datasets;
        var manifest = File.ReadAllLines(Path.Combine(root, "datasets", "MANIFEST.tsv")).Skip(1).Select(l => l.Split('\t')).ToDictionary(f => f[0], f => (Label: f[4], Task: f[5]));
        Console.WriteLine("ONNX export parity on every row: ApplyOnnxModel over the exported file against the native pipeline");
        Console.WriteLine($"{"dataset",-18} {"model",-15} {"rows",8} {"export s",9} {"bytes",11} {"largest rel. diff",18} {"labels differing",17}  where (row: native, ONNX)");
        var failed = false;
        foreach (var dataset in datasets)
        {
            var (label, taskName) = manifest[dataset];
            var task = taskName switch { "regression" => PredictionTask.Regression, "binary" => PredictionTask.BinaryClassification, _ => PredictionTask.MulticlassClassification };
            var ml = new MLContext(seed: 7);
            var all = new DataTableView(CsvReader.Read(Path.Combine(root, "datasets", dataset + ".csv")));
            var prepared = LabelPreparation.Prepare(ml, all, label, task);
            var train = ml.Data.StratifiedTrainTestSplit(prepared, label, 0.2).TrainSet;
            foreach (var name in models)
            {
                var model = Estimator(ml, name, task, label).Fit(train);
                var path = Path.Combine(Path.GetTempPath(), $"mlpipelines-parity-{Guid.NewGuid():N}.onnx");
                var clock = Stopwatch.StartNew();
                ml.Model.ExportOnnx(model, train.Schema, path);
                var exportSeconds = clock.Elapsed.TotalSeconds;
                var native = model.Transform(all);
                var onnx = ml.Transforms.ApplyOnnxModel(path).Fit(all).Transform(all);
                var (rows, largest, where) = LargestDifference(Scores(native), Scores(onnx));
                var labelsDiffering = task == PredictionTask.Regression ? 0 : Labels(native, native: true).Zip(Labels(onnx, native: false)).Count(p => p.First != p.Second);
                Console.WriteLine($"{dataset,-18} {name,-15} {rows,8:N0} {exportSeconds,9:F2} {new FileInfo(path).Length,11:N0} {largest,18:E2} {labelsDiffering,17:N0}  {where}");
                failed |= largest > 3e-5 || labelsDiffering > 0;
                File.Delete(path);
                (model as IDisposable)?.Dispose();
            }
        }
        return failed ? 1 : 0;
    }

    private static IEstimator<ITransformer> Estimator(MLContext ml, string name, PredictionTask task, string label)
    {
        IEstimator<ITransformer> Ours<TModel>(TabularTrainer<TModel> trainer) where TModel : TabularModelParameters, ILoadableModel<TModel> =>
            ml.Transforms.FeaturizeFor(trainer).Append(trainer);
        DeepTrainer Deep(DeepModelOptions options) => new(task, options with { LabelColumnName = label, Device = "cpu" }, 7);
        return name switch
        {
            "xgboost" => Ours(new GradientBoostedTreesTrainer(task, new GradientBoostedTreesOptions { LabelColumnName = label }, 7)),
            "xgboost-forest" => Ours(new RandomForestTrainer(task, new RandomForestOptions { LabelColumnName = label }, 7)),
            "xgboost-linear" => Ours(new LinearModelTrainer(task, new LinearModelOptions { LabelColumnName = label }, 7)),
            "linear" => ml.Transforms.Featurize(label).Append(task switch
            {
                PredictionTask.Regression => (IEstimator<ITransformer>)ml.Regression.Trainers.Ridge(label),
                PredictionTask.BinaryClassification => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(label),
                _ => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(label),
            }),
            "mlp" => Ours(Deep(new MlpOptions { MaxEpochs = 4 })),
            "resnet" => Ours(Deep(new ResNetOptions { MaxEpochs = 2 })),
            "ft-transformer" => Ours(Deep(new FTTransformerOptions { MaxEpochs = 1 })),
            "tabm" => Ours(Deep(new TabMOptions { MaxEpochs = 1 })),
            _ => throw new ArgumentException($"no model '{name}': xgboost, xgboost-forest, xgboost-linear, linear, mlp, resnet, ft-transformer, tabm"),
        };
    }

    private static (int Rows, double Largest, string Where) LargestDifference(List<float[]> expected, List<float[]> actual)
    {
        if (expected.Count != actual.Count) throw new InvalidOperationException($"{expected.Count} native rows but {actual.Count} ONNX rows");
        var spread = Enumerable.Range(0, expected[0].Length).Select(k => StandardDeviation(expected.Select(row => (double)row[k]).Where(double.IsFinite).ToArray())).ToArray();
        var (largest, where) = (0.0, "");
        for (var r = 0; r < expected.Count; r++)
            for (var k = 0; k < expected[r].Length; k++)
            {
                var (e, a) = (expected[r][k], actual[r][k]);
                var difference = float.IsNaN(e) != float.IsNaN(a) ? double.PositiveInfinity
                    : float.IsNaN(e) ? 0 : Math.Abs(e - a) / Math.Max(Math.Max(1, Math.Abs(e)), spread[k]);
                if (difference > largest) (largest, where) = (difference, $"{r + 1}: {e:G7}, {a:G7}");
            }
        return (expected.Count, largest, where);
    }

    private static double StandardDeviation(double[] values)
    {
        if (values.Length == 0) return 0;
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }

    /// <summary>Each row's Score (a vector for multiclass; one value in a vector of one from ApplyOnnxModel).</summary>
    private static List<float[]> Scores(IDataView scored)
    {
        var column = scored.Schema["Score"];
        var result = new List<float[]>();
        using var cursor = scored.GetRowCursor([column]);
        if (column.Type is VectorDataViewType)
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> value = default;
            while (cursor.MoveNext())
            {
                getter(ref value);
                result.Add(value.DenseValues().ToArray());
            }
            return result;
        }
        var scalar = cursor.GetGetter<float>(column);
        float v = 0;
        while (cursor.MoveNext())
        {
            scalar(ref v);
            result.Add([v]);
        }
        return result;
    }

    /// <summary>The predicted labels as text: the native key's value or Boolean, the exported class name or Boolean.</summary>
    private static List<string> Labels(IDataView scored, bool native)
    {
        var column = scored.Schema["PredictedLabel"];
        var result = new List<string>();
        using var cursor = scored.GetRowCursor([column]);
        switch (column.Type)
        {
            case BooleanDataViewType:
                var boolean = cursor.GetGetter<bool>(column);
                var b = false;
                while (cursor.MoveNext()) { boolean(ref b); result.Add(b.ToString()); }
                break;
            case VectorDataViewType { ItemType: BooleanDataViewType }:
                var booleans = cursor.GetGetter<VBuffer<bool>>(column);
                VBuffer<bool> bs = default;
                while (cursor.MoveNext()) { booleans(ref bs); result.Add(bs.GetItemOrDefault(0).ToString()); }
                break;
            case KeyDataViewType when native:
                VBuffer<ReadOnlyMemory<char>> names = default;
                column.GetKeyValues(ref names);
                var keyNames = names.DenseValues().Select(n => n.ToString()).ToArray();
                var key = cursor.GetGetter<uint>(column);
                uint k = 0;
                while (cursor.MoveNext()) { key(ref k); result.Add(k == 0 ? "" : keyNames[k - 1]); }
                break;
            default:
                var text = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(column);
                VBuffer<ReadOnlyMemory<char>> t = default;
                while (cursor.MoveNext()) { text(ref t); result.Add(t.GetItemOrDefault(0).ToString()); }
                break;
        }
        return result;
    }
}
