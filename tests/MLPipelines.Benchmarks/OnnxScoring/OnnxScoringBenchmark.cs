using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLPipelines.Data;
using MLPipelines.Data.DataViews;
using MLPipelines.Deep.Options;
using MLPipelines.Deep.Training;
using MLPipelines.Onnx;
using MLPipelines.Torch;
using MLPipelines.Trainers;
using MLPipelines.XGBoost;
using MLPipelines.XGBoost.Training;

namespace MLPipelines.Benchmarks.OnnxScoring;

/// <summary>
/// Scoring an exported model against the project's native path, one thread each, on the same
/// diamonds rows (price), for XGBoost (500 trees) and the MLP (RealMLP-TD, 16 epochs), each a
/// pipeline from the raw columns (featurizer + model):
/// <list type="bullet">
/// <item>export: seconds and file size;</item>
/// <item>single row (p50 / p99 µs over 5,000 rows after 500 warm-up calls): ONNX Runtime on one raw
/// row (featurization inside the file) | ML.NET's PredictionEngine over the native pipeline (from raw
/// columns) | PredictionEngine over ApplyOnnxModel (from raw columns) | the native model alone on
/// a ready feature row (no featurization: the compiled ensemble, or libtorch);</item>
/// <item>batches of 1,024 rows (rows/s, median / best of 5): ONNX Runtime on raw columns | the native
/// pipeline's Transform read through a cursor | the native model alone on a ready matrix.</item>
/// </list>
/// Before timing, the ONNX and native predictions of the timed rows are compared (largest relative difference printed).
/// </summary>
public static class OnnxScoringBenchmark
{
    private const int LatencyRows = 5000;
    private const int Batch = 1024;
    private const int Repeats = 5;

    public static int Run(string[] args)
    {
        var root = PeerProcess.RepositoryRoot();
        TorchRuntime.SetThreads(1, 1);
        var ml = new MLContext(seed: 5);
        var data = ml.Data.LoadCsv(Path.Combine(root, "datasets", "diamonds.csv"));
        var rows = data.Table.Select(Enumerable.Range(0, LatencyRows).ToArray());
        Console.WriteLine($"ONNX Runtime against the native path, one thread each: diamonds (price), {LatencyRows:N0} rows; microseconds per row (p50 / p99), rows per second in batches of {Batch:N0} (median / best of {Repeats})");
        var trees = ml.Regression.Trainers.XGBoost(new GradientBoostedTreesOptions
            { LabelColumnName = DiamondsData.Label, MaxRounds = 500, EarlyStoppingRounds = null, Threads = 1 });
        Measure(ml, "XGBoost (500 trees)", trees, ml.Transforms.FeaturizeFor(trees).Append(trees).Fit(data), data, rows);
        var mlp = new DeepTrainer(PredictionTask.Regression, new MlpOptions { LabelColumnName = DiamondsData.Label, MaxEpochs = 16, Device = "cpu" }, 5);
        Measure(ml, "MLP (RealMLP-TD)", mlp, ml.Transforms.FeaturizeFor(mlp).Append(mlp).Fit(data), data, rows);
        return 0;
    }

    private static void Measure<TModel>(MLContext ml, string name, TabularTrainer<TModel> trainer, TransformerChain<TabularPredictionTransformer<TModel>> pipeline, IDataView data, DataTable rows)
        where TModel : TabularModelParameters, ILoadableModel<TModel>
    {
        var path = Path.Combine(Path.GetTempPath(), $"mlpipelines-benchmark-{Guid.NewGuid():N}.onnx");
        var clock = Stopwatch.StartNew();
        ml.Model.ExportOnnx(pipeline, data.Schema, path);
        var exportSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine();
        var nodes = MLPipelines.Onnx.Protobuf.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).Graph.Node.Count;
        Console.WriteLine($"{name}: exported in {exportSeconds:F2} s, {new FileInfo(path).Length:N0} bytes, {nodes} nodes");

        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        using var session = new InferenceSession(path, options);
        var view = new DataTableView(rows);
        var inputs = session.InputMetadata.Keys.ToArray();

        // The same predictions both ways, on every timed row.
        var native = Scores(pipeline.Transform(view));
        var onnx = RunSession(session, Feeds(rows, inputs, 0, rows.RowCount));
        var largest = native.Select((e, i) => Math.Abs(e - onnx[i]) / Math.Max(1, Math.Abs(e))).Max();
        Console.WriteLine($"  largest relative difference, ONNX vs native, {rows.RowCount:N0} rows: {largest:E2}");

        var singleFeeds = Enumerable.Range(0, rows.RowCount).Select(r => Feeds(rows, inputs, r, 1)).ToArray();
        var (ort50, ort99) = Timings.Percentiles(LatencyRows, r => RunSession(session, singleFeeds[r]));

        var engine = ml.Model.CreatePredictionEngine<Diamond, Price>(pipeline);
        var diamonds = Enumerable.Range(0, rows.RowCount).Select(r => Diamond.From(rows, r)).ToArray();
        var (engine50, engine99) = Timings.Percentiles(LatencyRows, r => engine.Predict(diamonds[r]));

        var applied = ml.Transforms.ApplyOnnxModel(path).Fit(view);
        var onnxEngine = ml.Model.CreatePredictionEngine<Diamond, OnnxPrice>(applied);
        var (applied50, applied99) = Timings.Percentiles(LatencyRows, r => onnxEngine.Predict(diamonds[r]));

        var model = pipeline.LastTransformer.Model;
        var featurizer = pipeline.First();
        var ready = trainer.Read(featurizer.Transform(view)).Features;
        var single = new FeatureMatrix(model.Layout, 1) { Rows = 1 };
        var output = new float[1];
        var (model50, model99) = Timings.Percentiles(LatencyRows, r =>
        {
            ready.Row(r).CopyTo(single.Values);
            ready.IndexRow(r).CopyTo(single.Indices);
            model.Predict(single, output);
        });
        Console.WriteLine($"  single row, µs (p50 / p99):");
        Console.WriteLine($"    ONNX Runtime, raw row (featurizer in the file)          {ort50,8:F1} / {ort99,-8:F1}");
        Console.WriteLine($"    PredictionEngine, native pipeline from raw columns      {engine50,8:F1} / {engine99,-8:F1}   ONNX Runtime / native p50: {ort50 / engine50:F2}×");
        Console.WriteLine($"    PredictionEngine over ApplyOnnxModel, raw columns       {applied50,8:F1} / {applied99,-8:F1}");
        Console.WriteLine($"    native model alone on a ready feature row               {model50,8:F1} / {model99,-8:F1}");

        // Batches of 1,024 rows.
        var batches = rows.RowCount / Batch;
        var batchFeeds = Enumerable.Range(0, batches).Select(b => Feeds(rows, inputs, b * Batch, Batch)).ToArray();
        var batchViews = Enumerable.Range(0, batches).Select(b => new DataTableView(rows.Select(Enumerable.Range(b * Batch, Batch).ToArray()))).ToArray();
        var batchMatrix = new FeatureMatrix(model.Layout, Batch) { Rows = Batch };
        var outputs = new float[Batch];
        double RowsPerSecond(Action<int> score)
        {
            var start = Stopwatch.GetTimestamp();
            for (var b = 0; b < batches; b++) score(b);
            return batches * Batch / Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        var (ortRate, nativeRate, modelRate) = (new List<double>(), new List<double>(), new List<double>());
        for (var run = 0; run < Repeats; run++)
        {
            ortRate.Add(RowsPerSecond(b => RunSession(session, batchFeeds[b])));
            nativeRate.Add(RowsPerSecond(b => Scores(pipeline.Transform(batchViews[b]))));
            modelRate.Add(RowsPerSecond(b =>
            {
                ready.Values.AsSpan(b * Batch * ready.Width, Batch * ready.Width).CopyTo(batchMatrix.Values);
                ready.Indices.AsSpan(b * Batch * ready.IndexWidth, Batch * ready.IndexWidth).CopyTo(batchMatrix.Indices);
                model.Predict(batchMatrix, outputs);
            }));
        }
        Console.WriteLine($"  batches of {Batch:N0}, rows/s (median / best):");
        Console.WriteLine($"    ONNX Runtime, raw columns                               {Timings.Median(ortRate),10:N0} / {ortRate.Max():N0}");
        Console.WriteLine($"    native pipeline's Transform, read by a cursor           {Timings.Median(nativeRate),10:N0} / {nativeRate.Max():N0}   ONNX Runtime / native rate: {Timings.Median(ortRate) / Timings.Median(nativeRate):F2}×");
        Console.WriteLine($"    native model alone on a ready matrix                    {Timings.Median(modelRate),10:N0} / {modelRate.Max():N0}");
        File.Delete(path);
    }

    private static float[] RunSession(InferenceSession session, IReadOnlyCollection<NamedOnnxValue> feeds)
    {
        using var results = session.Run(feeds);
        return results.First(r => r.Name == "Score").AsTensor<float>().ToArray();
    }

    /// <summary>Rows [start, start + count) of each input column as its [count, 1] tensor (numbers as float, categories as text).</summary>
    internal static List<NamedOnnxValue> Feeds(DataTable rows, string[] inputs, int start, int count) =>
        inputs.Select(name => rows[name] is NumericColumn numbers
            ? NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(numbers.Values.Slice(start, count).ToArray().Select(v => (float)v).ToArray(), [count, 1]))
            : NamedOnnxValue.CreateFromTensor(name, new DenseTensor<string>(Enumerable.Range(start, count).Select(r => rows[name].Format(r) ?? "").ToArray(), [count, 1]))).ToList();

    private static float[] Scores(IDataView scored)
    {
        var column = scored.Schema["Score"];
        var values = new List<float>();
        using var cursor = scored.GetRowCursor([column]);
        var getter = cursor.GetGetter<float>(column);
        float value = 0;
        while (cursor.MoveNext())
        {
            getter(ref value);
            values.Add(value);
        }
        return values.ToArray();
    }

    private sealed class OnnxPrice
    {
        public float[] Score { get; set; } = [];
    }
}
