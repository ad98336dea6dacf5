using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using MLPipelines.Data;
using MLPipelines.Data.DataViews;
using MLPipelines.Deep;
using MLPipelines.Deep.Options;
using MLPipelines.Deep.Training;
using MLPipelines.Benchmarks.OnnxScoring;
using MLPipelines.Onnx;
using MLPipelines.Torch;
using MLPipelines.Trainers;

namespace MLPipelines.Benchmarks.DeepPrediction;

/// <summary>
/// Batch prediction of each deep model, native against its exported ONNX file, on all the
/// process's cores: diamonds rows (price, repeated to the size asked) scored in calls of 4,096
/// rows. Each model is trained for one epoch on 3,000 rows, then timed natively — the model's
/// Predict on the ready feature matrix, under the split it chooses (Auto) and under each fixed
/// split — and by ONNX Runtime with as many intra-op threads as cores on the raw columns (the
/// featurizer inside the file, so ORT does a little more). Seconds, median and best of the rounds; ratio ORT / native (above 1: native faster).
/// </summary>
public static class DeepPredictionBenchmark
{
    private static readonly string[] Models = ["mlp", "resnet", "ft-transformer", "tabm", "tabm-mini"];
    private const int CallRows = 4096;

    public static int Run(string[] args)
    {
        var root = PeerProcess.RepositoryRoot();
        var models = BenchmarkArguments.Option(args, "--models")?.Split(',') ?? Models;
        var rows = int.Parse(BenchmarkArguments.Option(args, "--rows") ?? "16384");
        var rounds = int.Parse(BenchmarkArguments.Option(args, "--rounds") ?? "3");
        var cores = TorchRuntime.NumThreads * (TorchRuntime.BlasThreads ?? 1);
        var ml = new MLContext(seed: 5);
        var data = ml.Data.LoadCsv(Path.Combine(root, "datasets", "diamonds.csv"));
        var scored = data.Table.Select(Enumerable.Range(0, rows).Select(i => i % data.Table.RowCount).ToArray());
        Console.WriteLine($"Deep models' batch prediction on {cores} cores: {rows:N0} diamonds rows in calls of {CallRows:N0}; seconds, median / best of {rounds}; " +
                          $"native = Predict on the ready feature matrix, ONNX Runtime = the exported file on raw columns ({cores} intra-op threads)");
        Console.WriteLine($"{"model (rows a pass)",-26} {"native, Auto",16} {"native, Libtorch",18} {"native, Blas",16} {"ONNX Runtime",16} {"ORT / native Auto",18}");
        foreach (var model in models)
        {
            // The split is one of the model's options: one model per split (what it costs to predict does not depend on the weights).
            var native = new Dictionary<ThreadSplit, List<double>>();
            TransformerChain<TabularPredictionTransformer<DeepModelParameters>>? pipeline = null;
            foreach (var split in new[] { ThreadSplit.Libtorch, ThreadSplit.Blas, ThreadSplit.Auto })
            {
                var options = DeepModels.Options(model) with { LabelColumnName = DiamondsData.Label, MaxEpochs = 1, Device = "cpu", Threads = split };
                var trainer = new DeepTrainer(PredictionTask.Regression, options, 5);
                pipeline = ml.Transforms.FeaturizeFor(trainer).Append(trainer).Fit(ml.Data.TakeRows(data, 3000));
                var features = trainer.Read(pipeline.First().Transform(new DataTableView(scored))).Features;
                native[split] = Time(rounds, () => PredictInCalls(pipeline.LastTransformer.Model, features));
            }

            var path = Path.Combine(Path.GetTempPath(), $"mlpipelines-benchmark-{Guid.NewGuid():N}.onnx");
            ml.Model.ExportOnnx(pipeline!, data.Schema, path);
            using var sessionOptions = new SessionOptions { IntraOpNumThreads = cores, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
            using var session = new InferenceSession(path, sessionOptions);
            var inputs = session.InputMetadata.Keys.ToArray();
            var feeds = Enumerable.Range(0, (rows + CallRows - 1) / CallRows)
                .Select(c => OnnxScoringBenchmark.Feeds(scored, inputs, c * CallRows, Math.Min(CallRows, rows - c * CallRows))).ToArray();
            var onnx = Time(rounds, () =>
            {
                foreach (var feed in feeds) session.Run(feed).Dispose();
            });
            File.Delete(path);

            string Cell(List<double> seconds) => $"{Timings.Median(seconds):F2} / {seconds.Min():F2}";
            Console.WriteLine($"{$"{model} ({pipeline!.LastTransformer.Model.Network.PredictionRowsPerPass} a pass)",-26} {Cell(native[ThreadSplit.Auto]),16} {Cell(native[ThreadSplit.Libtorch]),18} {Cell(native[ThreadSplit.Blas]),16} {Cell(onnx),16} " +
                              $"{Timings.Median(onnx) / Timings.Median(native[ThreadSplit.Auto]),17:F2}×");
        }
        return 0;
    }

    private static void PredictInCalls(DeepModelParameters model, FeatureMatrix features)
    {
        var outputs = new float[CallRows];
        for (var start = 0; start < features.Rows; start += CallRows)
        {
            var call = features.Select(Enumerable.Range(start, Math.Min(CallRows, features.Rows - start)).ToArray());
            model.Predict(call, outputs);
        }
    }

    private static List<double> Time(int rounds, Action run)
    {
        run();   // warm-up: first-touch allocations, ORT's arena
        var seconds = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            run();
            seconds.Add(clock.Elapsed.TotalSeconds);
        }
        return seconds;
    }
}
