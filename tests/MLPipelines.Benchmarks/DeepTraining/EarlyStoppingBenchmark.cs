using Microsoft.ML;
using MLPipelines.AutoML;
using MLPipelines.Deep.Options;
using MLPipelines.Trainers;

namespace MLPipelines.Benchmarks.DeepTraining;

/// <summary>
/// What the MLP's early stopping (stop at epoch 2·best + 20) saves and costs, on the quality
/// table's folds (scripts/quality-table.sh: 5 folds, seed 42, each deep fit capped at 300 s): the
/// default MLP beside the same MLP trained all 256 epochs (pytabkit's default; the best epoch kept
/// either way) and XGBoost, every fold printed as it finishes, then per model the mean score, the
/// folds it beats XGBoost on, and the mean fit seconds.
///   scripts/benchmark.sh early-stopping [--datasets diamonds,credit_data,LetterRecognition,wa_churn] [--folds 5] [--time-limit 300]
/// </summary>
public static class EarlyStoppingBenchmark
{
    private const string AllEpochs = "MLP (all 256 epochs)";

    public static int Run(string[] args)
    {
        var datasets = BenchmarkArguments.Option(args, "--datasets")?.Split(',') ?? ["diamonds", "credit_data", "LetterRecognition", "wa_churn"];
        var folds = int.Parse(BenchmarkArguments.Option(args, "--folds") ?? "5");
        var limit = TimeSpan.FromSeconds(double.Parse(BenchmarkArguments.Option(args, "--time-limit") ?? "300", System.Globalization.CultureInfo.InvariantCulture));
        var root = PeerProcess.RepositoryRoot();
        var manifest = File.ReadAllLines(Path.Combine(root, "datasets", "MANIFEST.tsv")).Skip(1).Select(l => l.Split('\t')).ToDictionary(f => f[0], f => (Label: f[4], Task: f[5]));
        var candidates = new[]
        {
            Candidate.Named(["xgboost"])[0],
            Candidate.Deep(new MlpOptions()),
            Candidate.Deep(new MlpOptions { Patience = null }) with { Name = AllEpochs },
        };
        Console.WriteLine($"MLP early stopping: {folds} folds (seed 42, the quality table's), deep fits capped at {limit.TotalSeconds:F0} s, {Environment.ProcessorCount} cores; " +
            "RMSE (regression), AUC (binary) or accuracy (multiclass)");
        foreach (var dataset in datasets)
        {
            var (label, taskName) = manifest[dataset];
            var task = taskName switch { "regression" => PredictionTask.Regression, "binary" => PredictionTask.BinaryClassification, _ => PredictionTask.MulticlassClassification };
            var ml = new MLContext(42);
            var data = ml.Data.LoadCsv(Path.Combine(root, "datasets", dataset + ".csv"));
            var result = CrossValidation.Compare(ml, data, new ComparisonSettings(label, task, folds, 42, FitTimeLimit: limit), candidates,
                onFoldResult: r => Console.WriteLine($"{dataset,-18} {r.Candidate,-22} fold {r.Fold}  {r.Metric,10:F4} {r.FitSeconds,7:F1} s  {r.Note}"));
            Summarize(dataset, result);
        }
        return 0;
    }

    private static void Summarize(string dataset, ComparisonResult result)
    {
        var xgboost = result.Leaderboard.Single(r => r.Candidate == "XGBoost");
        foreach (var row in result.Leaderboard)
        {
            var wins = row.PerFold.Zip(xgboost.PerFold).Count(p => result.Metric.Better(p.First, p.Second));
            Console.WriteLine($"{dataset,-18} {row.Candidate,-22} mean {row.Mean,10:F4} ± {row.StandardDeviation:F4}  fit {row.FitSeconds,7:F1} s" +
                (row == xgboost ? "" : $"  better than XGBoost on {wins}/{row.PerFold.Count} folds"));
        }
        var stopped = result.Leaderboard.Single(r => r.Candidate == "MLP");
        var all = result.Leaderboard.Single(r => r.Candidate == AllEpochs);
        Console.WriteLine($"{dataset,-18} early stopping: {all.FitSeconds / stopped.FitSeconds:F2}x less fit time, mean score {stopped.Mean - all.Mean:+0.0000;-0.0000} " +
            $"(better on {stopped.PerFold.Zip(all.PerFold).Count(p => result.Metric.Better(p.First, p.Second))}/{stopped.PerFold.Count} folds)");
        Console.WriteLine();
    }
}
