using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using MLPipelines.Trainers;
using MLPipelines.Transforms;

namespace MLPipelines.Benchmarks.RidgeComparison;

/// <summary>
/// The regression Linear candidate's cost and accuracy on diamonds (price), 5 folds: the
/// project's ridge regression (Cholesky of the normal equations) against ML.NET's SDCA, which
/// it replaced, and against scikit-learn's <c>Ridge()</c> (its defaults, alpha 1, the same λ as
/// ours) on the very same featurized rows. Fit time is measured on featurized rows cached in
/// memory (what the trainer itself costs), and for our two ML.NET trainers also as the
/// candidate's whole pipeline from raw columns (featurizer fit + trainer fit). Every side runs
/// on one thread (SDCA's NumberOfThreads, OpenBLAS's for scikit-learn). After one untimed
/// warm-up fit, each fit runs --rounds times (default 5) on each fold, the C# trainers
/// alternating; bests and medians over all those fits are printed, with each side's test RMSE
/// (mean over the folds) and the largest difference between our and scikit-learn's predictions.
/// </summary>
public static class RidgeBenchmark
{
    private const int Folds = 5;

    public static int Run(string[] args)
    {
        var rounds = args.Length >= 2 && args[0] == "--rounds" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var root = PeerProcess.RepositoryRoot();
        var ml = new MLContext(seed: RidgeBenchmarkFolds.Seed);
        var (folds, files) = RidgeBenchmarkFolds.Prepare(ml, root, Folds);
        var singleThread = new Dictionary<string, string> { ["OPENBLAS_NUM_THREADS"] = "1", ["OMP_NUM_THREADS"] = "1", ["MKL_NUM_THREADS"] = "1" };
        Console.WriteLine($"Ridge benchmark: diamonds (price), {Folds} folds (seed {RidgeBenchmarkFolds.Seed}), {files.TrainRows.Average():N0} training rows × {files.Columns} features " +
                          $"(featurizer defaults: imputed, standardized numbers, one-hot categories); {rounds} rounds; one thread each");
        Console.WriteLine(PeerProcess.Run(PeerProcess.Python, ["-c", "import sys, numpy, sklearn; print('Python', sys.version.split()[0], 'numpy', numpy.__version__, 'scikit-learn', sklearn.__version__)"], singleThread));
        Console.WriteLine();

        var label = DiamondsData.Label;
        var sides = new (string Name, Func<IEstimator<ITransformer>> Trainer)[]
        {
            ("Ridge, MLPipelines (Cholesky)", () => ml.Regression.Trainers.Ridge(label)),
            ("SDCA, ML.NET", () => ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options { LabelColumnName = label, NumberOfThreads = 1 })),
        };
        IEstimator<ITransformer> Pipeline(int side) => ml.Transforms.Featurize(label, new FeaturizerOptions()).Append(sides[side].Trainer());

        var fit = sides.Select(_ => new List<double>()).ToArray();
        var pipeline = sides.Select(_ => new List<double>()).ToArray();
        var rmse = sides.Select(_ => new double[Folds]).ToArray();
        float[] ours = [];
        for (var side = 0; side < sides.Length; side++)
        {
            sides[side].Trainer().Fit(folds[0].Train);          // warm-up: the JIT, ML.NET's component catalog
            Pipeline(side).Fit(folds[0].RawTrain);
        }
        for (var round = 0; round < rounds; round++)
            for (var k = 0; k < Folds; k++)
                for (var side = 0; side < sides.Length; side++)
                {
                    ITransformer model = null!;
                    var fold = folds[k];
                    fit[side].Add(Time(() => model = sides[side].Trainer().Fit(fold.Train)));
                    pipeline[side].Add(Time(() => Pipeline(side).Fit(fold.RawTrain)));
                    if (round > 0) continue;
                    var scored = model.Transform(fold.Test);
                    rmse[side][k] = ml.Regression.Evaluate(scored, label).RootMeanSquaredError;
                    if (side == 0 && k == 0) ours = scored.GetColumn<float>("Score").Take(1000).ToArray();
                }

        var script = Path.Combine(AppContext.BaseDirectory, "python", "ridge_peer.py");
        var python = JsonSerializer.Deserialize<PythonResult>(PeerProcess.Run(PeerProcess.Python, [script, files.Metadata, rounds.ToString(CultureInfo.InvariantCulture)], singleThread))!;
        var sklearnVersion = PeerProcess.Run(PeerProcess.Python, ["-c", "import sklearn; print(sklearn.__version__)"], singleThread);

        Console.WriteLine($"{"fit on featurized rows in memory",-40} {"best s",9} {"median s",9}   {"RMSE, mean of folds",20}   RMSE by fold");
        for (var side = 0; side < sides.Length; side++) Row(sides[side].Name, fit[side], rmse[side]);
        Row($"Ridge(), scikit-learn {sklearnVersion}", python.FitSeconds, python.Rmse);
        Console.WriteLine("featurizer fit + fit, from raw columns");
        for (var side = 0; side < sides.Length; side++) Row(sides[side].Name, pipeline[side], null);
        Console.WriteLine();
        var ridge = Timings.Median(fit[0]);
        Console.WriteLine("(the C# trainers read their rows out of a cached ML.NET view; scikit-learn is handed a float64 array)");
        Console.WriteLine($"fit time, median over median: SDCA / ours {Timings.Median(fit[1]) / ridge:F1}x, scikit-learn / ours {Timings.Median(python.FitSeconds) / ridge:F2}x; " +
                          $"whole pipeline, SDCA / ours {Timings.Median(pipeline[1]) / Timings.Median(pipeline[0]):F1}x");
        var difference = ours.Zip(python.Predictions, (a, b) => Math.Abs(a - b)).Max();
        Console.WriteLine($"largest difference between our and scikit-learn's fold-1 test predictions (first 1000 rows): {difference:G3} (prices are 326 to 18,823)");
        return 0;
    }

    /// <summary>The Python side's output: fit seconds of every round and fold, each fold's test RMSE, fold 1's first 1000 predictions.</summary>
    private sealed record PythonResult(List<double> FitSeconds, double[] Rmse, double[] Predictions);

    private static void Row(string name, List<double> seconds, double[]? rmse) =>
        Console.WriteLine($"  {name,-38} {seconds.Min(),9:F4} {Timings.Median(seconds),9:F4}   " +
                          (rmse is null ? "" : $"{rmse.Average(),20:F2}   {string.Join(" ", rmse.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))}"));

    private static double Time(Action action)
    {
        var stopwatch = Stopwatch.StartNew();
        action();
        return stopwatch.Elapsed.TotalSeconds;
    }
}
