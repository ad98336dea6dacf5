using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MLPipelines.Deep;
using MLPipelines.Deep.Options;
using MLPipelines.Trainers;

namespace MLPipelines.Benchmarks.DeepTraining;

/// <summary>
/// What the MLP's early stopping (stop at epoch 2·best + 20) saves and costs: on one 80/20 split
/// (seed 42) of each dataset, the default MLP against the same MLP trained all 256 epochs (the best
/// epoch kept either way), side by side: test score, epochs, best epoch, fit seconds.
///   scripts/benchmark.sh early-stopping [--datasets diamonds,credit_data,LetterRecognition,wa_churn]
/// </summary>
public static class EarlyStoppingBenchmark
{
    public static int Run(string[] args)
    {
        var datasets = BenchmarkArguments.Option(args, "--datasets")?.Split(',') ?? ["diamonds", "credit_data", "LetterRecognition", "wa_churn"];
        var root = PeerProcess.RepositoryRoot();
        var manifest = File.ReadAllLines(Path.Combine(root, "datasets", "MANIFEST.tsv")).Skip(1).Select(l => l.Split('\t')).ToDictionary(f => f[0], f => (Label: f[4], Task: f[5]));
        Console.WriteLine($"MLP early stopping: one 80/20 split (seed 42) per dataset, {Environment.ProcessorCount} cores; test RMSE (regression), AUC (binary) or accuracy (multiclass)");
        Console.WriteLine($"{"dataset",-18} {"training",-22} {"test score",10} {"epochs",7} {"best",5} {"fit s",7}");
        foreach (var dataset in datasets)
        {
            var (label, taskName) = manifest[dataset];
            var task = taskName switch { "regression" => PredictionTask.Regression, "binary" => PredictionTask.BinaryClassification, _ => PredictionTask.MulticlassClassification };
            var ml = new MLContext(42);
            var data = LabelPreparation.Prepare(ml, ml.Data.LoadCsv(Path.Combine(root, "datasets", dataset + ".csv")), label, task);
            var split = ml.Data.StratifiedTrainTestSplit(data, label, 0.2);
            var results = new List<(double Score, double Seconds)>();
            foreach (var (name, options) in new[] { ("stop at 2·best + 20", new MlpOptions()), ("all 256 epochs", new MlpOptions { Patience = null }) })
            {
                var trainer = new Deep.Training.DeepTrainer(task, options with { LabelColumnName = label, Seed = 0 }, 0);
                var stopwatch = Stopwatch.StartNew();
                var model = ml.Transforms.FeaturizeFor(trainer).Append(trainer).Fit(split.TrainSet);
                var seconds = stopwatch.Elapsed.TotalSeconds;
                var scored = model.Transform(split.TestSet);
                var score = task switch
                {
                    PredictionTask.Regression => ml.Regression.Evaluate(scored, label).RootMeanSquaredError,
                    PredictionTask.BinaryClassification => ml.BinaryClassification.Evaluate(scored, label).AreaUnderRocCurve,
                    _ => ml.MulticlassClassification.Evaluate(scored, label).MicroAccuracy,
                };
                var info = model.LastTransformer.Model.Info;
                results.Add((score, seconds));
                Console.WriteLine($"{dataset,-18} {name,-22} {score,10:F4} {info.Epochs,7} {info.BestEpoch,5} {seconds,7:F1}");
            }
            Console.WriteLine($"{dataset,-18} early stopping: {results[1].Seconds / results[0].Seconds:F1}x less fit time, score {results[0].Score - results[1].Score:+0.0000;-0.0000}");
        }
        return 0;
    }
}
