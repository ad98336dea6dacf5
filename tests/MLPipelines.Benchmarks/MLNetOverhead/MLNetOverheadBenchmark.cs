using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data;
using MLPipelines.Data.DataViews;
using MLPipelines.Deep.Options;
using MLPipelines.Deep.Training;
using MLPipelines.Trainers;
using MLPipelines.Transforms;
using MLPipelines.XGBoost;
using MLPipelines.XGBoost.Training;

namespace MLPipelines.Benchmarks.MLNetOverhead;

/// <summary>
/// What going through ML.NET costs, measured side by side in one process against the engines
/// used directly on the same rows of diamonds (price):
/// <list type="bullet">
/// <item>fit: <c>trainer.Fit(view)</c> (reading the featurized view into the learner's matrix,
/// then training) against <c>trainer.Fit(rows already read)</c>, for XGBoost (300 rounds) and the
/// MLP (8 epochs);</item>
/// <item>batch prediction: <c>model.Transform(view)</c> with every score read through a cursor,
/// against the model predicting the test matrix in one call;</item>
/// <item>PredictionEngine: single-row latency of a pipeline from raw columns (featurizer and
/// XGBoost) against the compiled ensemble on a ready feature row;</item>
/// <item>conversion: 1,000,000 rows × 20 numbers read into a learner's matrix, through the
/// featurizer's vector and through ML.NET's Concatenate.</item>
/// </list>
/// The featurized views are cached by ML.NET first, so both sides start from the same rows in
/// memory. Each measurement runs 5 times, the two sides alternating; medians and bests are printed.
/// </summary>
public static class MLNetOverheadBenchmark
{
    private const int Repeats = 5;
    private const int LatencyRows = 5000;

    public static int Run(string[] args)
    {
        var root = PeerProcess.RepositoryRoot();
        var threads = Environment.ProcessorCount;
        Console.WriteLine($"ML.NET path against the engines used directly: diamonds (price), {threads} threads, {Repeats} runs each, alternating; seconds (median / best)");
        Console.WriteLine($"{"",-24} {"direct",17} {"through ML.NET",17} {"ratio (median)",15}");

        var ml = new MLContext(seed: 3);
        // XGBoost: featurized for trees, cached by ML.NET and read once so that the cache is filled.
        var (treeTrain, treeTest) = Cached(ml, root, FeaturizerOptions.ForTrees);
        var xgboost = new GradientBoostedTreesTrainer(PredictionTask.Regression,
            new GradientBoostedTreesOptions { LabelColumnName = DiamondsData.Label, MaxRounds = 300, EarlyStoppingRounds = null, Threads = threads }, 3);
        var xgboostRows = xgboost.Read(treeTrain);
        Compare("XGBoost fit (300 rounds)", () => xgboost.Fit(xgboostRows).Dispose(), () => xgboost.Fit(treeTrain).Dispose());
        using var xgboostModel = xgboost.Fit(xgboostRows);
        var xgboostTest = xgboost.Read(treeTest).Features;
        Compare("XGBoost batch predict", () => PredictAll(xgboostModel.Model, xgboostTest), () => ReadScores(xgboostModel.Transform(treeTest)));

        // The MLP: featurized for networks, a short schedule.
        var mlpOptions = new MlpOptions { LabelColumnName = DiamondsData.Label, MaxEpochs = 8 };
        var (netTrain, netTest) = Cached(ml, root, mlpOptions.RecommendedFeaturization);
        var mlp = new DeepTrainer(PredictionTask.Regression, mlpOptions, 3);
        var mlpRows = mlp.Read(netTrain);
        Compare("MLP fit (8 epochs)", () => mlp.Fit(mlpRows).Dispose(), () => mlp.Fit(netTrain).Dispose());
        using var mlpModel = mlp.Fit(mlpRows);
        var mlpTest = mlp.Read(netTest).Features;
        Compare("MLP batch predict", () => PredictAll(mlpModel.Model, mlpTest), () => ReadScores(mlpModel.Transform(netTest)));

        Console.WriteLine();
        Latency(ml, root, threads);
        Console.WriteLine();
        Conversion(ml);
        return 0;
    }

    /// <summary>diamonds split 80/20 and featurized, each part cached by ML.NET (and read once, filling the cache).</summary>
    private static (IDataView Train, IDataView Test) Cached(MLContext ml, string root, FeaturizerOptions options)
    {
        var (train, test) = DiamondsData.Featurized(root, options, seed: 3, testFraction: 0.2);
        var cached = (ml.Data.Cache(train), ml.Data.Cache(test!));
        ReadScores(cached.Item1, "Features");
        ReadScores(cached.Item2, "Features");
        return cached;
    }

    private static void PredictAll(TabularModelParameters model, FeatureMatrix rows)
    {
        var outputs = new float[rows.Rows * model.Description.OutputCount];
        model.Predict(rows, outputs);
    }

    /// <summary>Reads a column of every row through a cursor, as an evaluator or a user's loop does.</summary>
    private static void ReadScores(IDataView data, string column = "Score")
    {
        var schemaColumn = data.Schema[column];
        using var cursor = data.GetRowCursor([schemaColumn]);
        if (schemaColumn.Type is VectorDataViewType)
        {
            var getter = cursor.GetGetter<VBuffer<float>>(schemaColumn);
            VBuffer<float> vector = default;
            while (cursor.MoveNext()) getter(ref vector);
            return;
        }
        var score = cursor.GetGetter<float>(schemaColumn);
        float value = 0;
        while (cursor.MoveNext()) score(ref value);
    }

    private static void Compare(string name, Action direct, Action throughMLNet)
    {
        var a = new List<double>();
        var b = new List<double>();
        for (var run = 0; run < Repeats; run++)
        {
            a.Add(Time(direct));
            b.Add(Time(throughMLNet));
        }
        Console.WriteLine($"{name,-24} {Timings.Median(a),8:F3} / {a.Min(),-6:F3} {Timings.Median(b),8:F3} / {b.Min(),-6:F3} {Timings.Median(b) / Timings.Median(a),12:F3}×");
    }

    private static double Time(Action action)
    {
        var stopwatch = Stopwatch.StartNew();
        action();
        return stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>PredictionEngine over a pipeline from raw diamonds columns, against the compiled ensemble on ready rows.</summary>
    private static void Latency(MLContext ml, string root, int threads)
    {
        var data = ml.Data.LoadCsv(Path.Combine(root, "datasets", "diamonds.csv"));
        var trainer = ml.Regression.Trainers.XGBoost(new GradientBoostedTreesOptions { LabelColumnName = DiamondsData.Label, MaxRounds = 500, EarlyStoppingRounds = null, Threads = threads });
        var model = ml.Transforms.FeaturizeFor(trainer).Append(trainer).Fit(data);
        var engine = ml.Model.CreatePredictionEngine<Diamond, Price>(model);
        var rows = data.Table.Select(Enumerable.Range(0, LatencyRows).ToArray());
        var diamonds = Enumerable.Range(0, LatencyRows).Select(r => Diamond.From(rows, r)).ToArray();
        var features = model.LastTransformer.Model.Layout;
        var ready = trainer.Read(model.First().Transform(new DataTableView(rows))).Features;
        var compiled = model.LastTransformer.Model;
        var single = new FeatureMatrix(features, 1) { Rows = 1 };
        var output = new float[1];

        var (engine50, engine99) = Timings.Percentiles(LatencyRows, row => engine.Predict(diamonds[row]));
        var (compiled50, compiled99) = Timings.Percentiles(LatencyRows, row =>
        {
            ready.Row(row).CopyTo(single.Values);
            compiled.Predict(single, output);
        });
        // The same predictions both ways (the check that the engine predicted what it should).
        var largest = Enumerable.Range(0, 200).Max(row =>
        {
            ready.Row(row).CopyTo(single.Values);
            compiled.Predict(single, output);
            return Math.Abs(engine.Predict(diamonds[row]).Score - output[0]);
        });
        Console.WriteLine($"single-row latency, µs (p50 / p99), {LatencyRows:N0} rows after 500 warm-up calls, 500 trees:");
        Console.WriteLine($"  PredictionEngine, featurizer + XGBoost from raw columns   {engine50,7:F1} / {engine99,-7:F1}");
        Console.WriteLine($"  compiled ensemble on a ready feature row                 {compiled50,7:F1} / {compiled99,-7:F1}   ratio {engine50 / compiled50:F2}×; largest difference {largest:G3}");
    }

    /// <summary>1,000,000 × 20 random numbers into a learner's matrix: through the featurizer's vector, through ML.NET's Concatenate, and a plain cursor over the columns.</summary>
    private static void Conversion(MLContext ml)
    {
        const int rows = 1_000_000, columns = 20;
        var random = new SeededRandom(11);
        var table = new DataTable(Enumerable.Range(0, columns).Select(c => (DataColumn)new NumericColumn($"x{c}", Enumerable.Range(0, rows).Select(_ => random.NextDouble()).ToArray()))
            .Append(new NumericColumn("y", new double[rows])));
        var view = new DataTableView(table);
        var names = Enumerable.Range(0, columns).Select(c => $"x{c}").ToArray();
        var trainer = new BaselineTrainer(PredictionTask.Regression, new TrainerColumns("y"));
        var featurizer = ml.Transforms.Featurize("y", new FeaturizerOptions { NumericScaling = NumericScaling.None, MissingIndicators = false }).Fit(view);
        var concatenate = ml.Transforms.Concatenate("Features", names).Fit(view);
        var cursor = new List<double>();
        var featurized = new List<double>();
        var concatenated = new List<double>();
        for (var run = 0; run < Repeats; run++)
        {
            cursor.Add(Time(() => ColumnReaders.ToTable(view, view.Schema.Take(columns).ToList())));
            featurized.Add(Time(() => trainer.Read(featurizer.Transform(view))));
            concatenated.Add(Time(() => trainer.Read(concatenate.Transform(view))));
        }
        Console.WriteLine($"{rows:N0} rows × {columns} numbers into a learner's float matrix, seconds (median / best):");
        Console.WriteLine($"  a cursor reading the 20 columns                {Timings.Median(cursor),7:F3} / {cursor.Min():F3}");
        Console.WriteLine($"  the featurizer's vector, read by a trainer     {Timings.Median(featurized),7:F3} / {featurized.Min():F3}");
        Console.WriteLine($"  ML.NET's Concatenate, read by a trainer        {Timings.Median(concatenated),7:F3} / {concatenated.Min():F3}");
    }
}
