using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MLPipelines.Trainers;
using MLPipelines.Transforms;
using MLPipelines.XGBoost;
using MLPipelines.XGBoost.Training;

namespace MLPipelines.Benchmarks.XGBoostComparison;

/// <summary>
/// The same XGBoost training and prediction from C# (MLPipelines' binding and trainer) and from
/// Python's xgboost package, both on Debian's libxgboost 1.7.4, same parameters, same data
/// (diamonds featurized for trees): training time for 500 rounds at 1 and at all cores, and the
/// latency of single-row predictions from the trained 500-tree model (in-place prediction on
/// both sides, one thread). Each side runs in its own process, five times (--rounds N), the sides
/// alternating; best and median are
/// printed, with the largest difference between the two sides' predictions as a check that they
/// trained the same model.
/// </summary>
public static class XGBoostBenchmark
{
    public const string WorkerCommand = "xgboost-worker";
    public const int Rounds = 500;
    private const int LatencyRows = 5000;

    /// <summary>The booster parameters both sides use (the trainer's defaults, early stopping off).</summary>
    public static GradientBoostedTreesOptions Options(int threads) =>
        new() { LabelColumnName = DiamondsData.Label, MaxRounds = Rounds, EarlyStoppingRounds = null, Seed = 7, Threads = threads };

    public static int Run(string[] args)
    {
        IReadOnlyDictionary<string, string> parameters;
        var root = PeerProcess.RepositoryRoot();
        // The parameters the trainer gives XGBoost, read from a one-round fit, for the Python side.
        var (train, _, _) = XGBoostBenchmarkData.Featurize(root);
        using (var probe = new GradientBoostedTreesTrainer(PredictionTask.Regression, Options(1) with { MaxRounds = 1 }, 0).Fit(train))
            parameters = probe.Model.Info.Parameters.Where(p => p.Key != "nthread").ToDictionary();
        var data = XGBoostBenchmarkData.Write(root, parameters);
        var (self, prefix) = PeerProcess.Self();
        var script = Path.Combine(AppContext.BaseDirectory, "python", "xgboost_peer.py");
        var cores = Environment.ProcessorCount;
        Console.WriteLine($"XGBoost benchmark: diamonds (price), {data.TrainRows:N0} training rows × {data.Columns} features ({data.FeatureTypes.Count(t => t == "c")} categorical), {Rounds} rounds, learning rate 0.1, depth 6, subsample 0.8, hist; libxgboost {Booster.LibraryVersion}");
        Console.WriteLine(PeerProcess.Run(PeerProcess.Python, ["-c", "import xgboost, sys; print('Python', sys.version.split()[0], 'xgboost', xgboost.__version__)"], new Dictionary<string, string>()));
        Console.WriteLine();

        var csharp = new Dictionary<int, List<Result>>();
        var python = new Dictionary<int, List<Result>>();
        int[] threadCounts = cores == 1 ? [1] : [1, cores];
        var rounds = args.Length >= 2 && args[0] == "--rounds" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        for (var round = 0; round < rounds; round++)
            foreach (var threads in threadCounts)
            {
                var t = threads.ToString(CultureInfo.InvariantCulture);
                Add(csharp, threads, PeerProcess.Run(self, [.. prefix, WorkerCommand, data.Metadata, t], new Dictionary<string, string>()));
                Add(python, threads, PeerProcess.Run(PeerProcess.Python, [script, data.Metadata, t, Rounds.ToString(CultureInfo.InvariantCulture), LatencyRows.ToString(CultureInfo.InvariantCulture)], new Dictionary<string, string>()));
            }

        Console.WriteLine($"{"training, threads",-18} {"C# best s",10} {"C# median",10} {"Python best",12} {"Python median",14} {"ratio (Py/C#, best)",20}");
        foreach (var threads in threadCounts)
        {
            var c = csharp[threads].Select(r => r.TrainSeconds).ToArray();
            var p = python[threads].Select(r => r.TrainSeconds).ToArray();
            Console.WriteLine($"{threads,-18} {c.Min(),10:F3} {Timings.Median(c),10:F3} {p.Min(),12:F3} {Timings.Median(p),14:F3} {p.Min() / c.Min(),20:F2}");
        }
        var cLatency = csharp.Values.SelectMany(r => r).ToList();
        var pLatency = python.Values.SelectMany(r => r).ToList();
        Console.WriteLine();
        Console.WriteLine($"single-row prediction, 500 trees, {LatencyRows:N0} rows one at a time (best run):");
        Console.WriteLine($"  C# XGBoostModel.PredictRow (compiled trees):   p50 {cLatency.Min(r => r.P50),6:F1} µs   p99 {cLatency.Min(r => r.P99),6:F1} µs");
        Console.WriteLine($"  C# Booster.PredictDense (XGBoost in place):    p50 {cLatency.Min(r => r.InPlaceP50),6:F1} µs   p99 {cLatency.Min(r => r.InPlaceP99),6:F1} µs");
        Console.WriteLine($"  Python booster.inplace_predict:                p50 {pLatency.Min(r => r.P50),6:F1} µs   p99 {pLatency.Min(r => r.P99),6:F1} µs");
        var cBest = csharp[cores].MinBy(r => r.TrainSeconds)!;
        var pBest = python[cores].MinBy(r => r.TrainSeconds)!;
        Console.WriteLine();
        Console.WriteLine($"training time ratio at {cores} threads (Python / C#, best vs best): {pBest.TrainSeconds / cBest.TrainSeconds:F2}x (goal: at least 1.0x); " +
                          $"single-row p50 {cLatency.Min(r => r.P50):F1} µs (goal: under 20 µs)");
        var predictions = cBest.Predictions.Zip(pBest.Predictions, (a, b) => Math.Abs(a - b)).Max();
        Console.WriteLine($"largest difference between the two sides' test predictions: {predictions:G3} (0 means the same model)");
        return 0;
    }

    /// <summary>One run: training seconds, single-row latency p50/p99 (µs), the C# side's in-place XGBoost latency too, test predictions.</summary>
    private sealed record Result(double TrainSeconds, double P50, double P99, float[] Predictions, double InPlaceP50 = 0, double InPlaceP99 = 0);

    private static void Add(Dictionary<int, List<Result>> results, int threads, string line)
    {
        var result = JsonSerializer.Deserialize<Result>(line)!;
        if (!results.TryGetValue(threads, out var list)) results[threads] = list = [];
        list.Add(result);
    }

    /// <summary>
    /// The C# side, in its own process: featurizes (not timed), trains with
    /// GradientBoostedTreesTrainer (timed: matrix, 500 rounds, model kept), then times
    /// single-row predictions with XGBoostModel.PredictRow. Prints one JSON line.
    /// </summary>
    public static int Worker(string[] args)
    {
        var data = XGBoostBenchmarkData.Read(args[0]);
        var threads = int.Parse(args[1], CultureInfo.InvariantCulture);
        var (train, _, test) = XGBoostBenchmarkData.Featurize(PeerProcess.RepositoryRoot());

        var stopwatch = Stopwatch.StartNew();
        using var transformer = new GradientBoostedTreesTrainer(PredictionTask.Regression, Options(threads), 0).Fit(train);
        var trainSeconds = stopwatch.Elapsed.TotalSeconds;
        var model = transformer.Model;
        if (!model.Info.Parameters.Where(p => p.Key != "nthread").OrderBy(p => p.Key).SequenceEqual(data.Parameters.OrderBy(p => p.Key)))
            throw new InvalidOperationException("the trainer's parameters differ from those given to the Python side");

        model.Booster.SetParameter("nthread", "1");
        var row = new FeatureMatrix(model.Layout, 1) { Rows = 1 };
        var (p50, p99) = Latency(test.Features, (features, output) =>
        {
            features.CopyTo(row.Values);
            model.Predict(row, output);   // one row: the compiled ensemble
            return 1;
        });
        var (inPlace50, inPlace99) = Latency(test.Features, (features, output) => model.Booster.PredictDense(features, 1, features.Length, output));
        using var matrix = DMatrix.FromDense(test.Features.Values, test.RowCount, test.Features.Width);
        var predictions = model.Booster.Predict(matrix).Take(1000).ToArray();
        Console.WriteLine(JsonSerializer.Serialize(new Result(trainSeconds, p50, p99, predictions, inPlace50, inPlace99)));
        return 0;
    }

    private delegate int RowPredictor(ReadOnlySpan<float> features, Span<float> output);

    /// <summary>p50 and p99 in µs of predicting the test rows one at a time, after 200 warm-up calls.</summary>
    private static (double P50, double P99) Latency(FeatureMatrix test, RowPredictor predict)
    {
        var output = new float[1];
        for (var warm = 0; warm < 200; warm++) predict(test.Row(warm), output);
        var latencies = new double[LatencyRows];
        for (var row = 0; row < LatencyRows; row++)
        {
            var features = test.Row(row);
            var start = Stopwatch.GetTimestamp();
            predict(features, output);
            latencies[row] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        Array.Sort(latencies);
        return (latencies[LatencyRows / 2], latencies[LatencyRows * 99 / 100]);
    }
}
