using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MLPipelines.Deep.Training;
using MLPipelines.Trainers;
using MLPipelines.Vision;
using MLPipelines.Vision.Data;
using MLPipelines.Vision.Options;
using MLPipelines.Vision.Training;
using MLPipelines.XGBoost;
using MLPipelines.XGBoost.Training;

namespace MLPipelines.Benchmarks.Images;

/// <summary>
/// Fashion-MNIST with few labels: for each size and seed, a stratified draw of that many training images from the
/// official 60,000 (the same draw for every model); every model fitted on it and scored on the official 10,000 test
/// images. Models: ML.NET's pretrained ResNet fine-tuned (full), its frozen features + a linear head, the small CNN
/// from scratch, and XGBoost on the raw pixels. Accuracy, fit wall-clock and the process's CPU time for fit and test.
/// </summary>
public static class FashionMnistBenchmark
{
    /// <summary>
    /// The models; "fine-tuned-early-stopping" is the fine-tuned ResNet with a tenth held out to choose its epoch (the default
    /// trains the whole schedule on every image).
    /// </summary>
    private static readonly string[] AllModels = ["fine-tuned", "frozen", "small-cnn", "xgboost", "fine-tuned-early-stopping"];

    private sealed record Result(int Size, int Seed, string Model, double Accuracy, double FitSeconds, double CpuSeconds, string Training);

    public static void Run(int[] sizes, int[] seeds, int resize, string[] models)
    {
        var unknown = models.Except(AllModels).ToArray();
        if (unknown.Length > 0) throw new ArgumentException($"unknown models {string.Join(", ", unknown)}: expected {string.Join(", ", AllModels)}");
        var ml = new MLContext(seed: 1);
        var train = FashionMnist.Train();
        var test = Keyed(ml, FashionMnist.Test());
        Console.WriteLine($"Fashion-MNIST: {string.Join(", ", sizes)} labeled training images (stratified, seeds {string.Join(", ", seeds)}) from the official 60,000; " +
                          $"accuracy on the official 10,000 test images; pretrained ResNet on {resize} × {resize} images; {Environment.ProcessorCount} cores");
        var results = new List<Result>();
        foreach (var size in sizes)
            foreach (var seed in seeds)
            {
                var labeled = Keyed(ml, train.Subset(StratifiedDraw(train, size, seed)));
                foreach (var model in models)
                {
                    var result = Measure(ml, model, labeled, test, size, seed, resize);
                    results.Add(result);
                    Console.WriteLine($"  n={size,-6} seed {seed}  {model,-11} accuracy {result.Accuracy:F4}  fit {result.FitSeconds,7:F1} s  CPU {result.CpuSeconds / 60,6:F2} min  {result.Training}");
                }
            }
        Summarize(results, sizes, models);
    }

    private static IDataView Keyed(MLContext ml, LabeledImages images) =>
        LabelPreparation.Prepare(ml, images.ToDataView(), "Label", PredictionTask.MulticlassClassification);

    /// <summary>size / 10 images of each class, drawn without replacement with the seed.</summary>
    private static int[] StratifiedDraw(LabeledImages images, int size, int seed)
    {
        var random = new Random(seed);
        var perClass = size / images.ClassNames.Count;
        return [.. Enumerable.Range(0, images.ClassNames.Count)
            .SelectMany(c => Enumerable.Range(0, images.Count).Where(i => images.Labels[i] == c).OrderBy(_ => random.Next()).Take(perClass))
            .OrderBy(_ => random.Next())];
    }

    private static Result Measure(MLContext ml, string model, IDataView train, IDataView test, int size, int seed, int resize)
    {
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        ITransformer fitted;
        string training;
        if (model == "xgboost")
        {
            var transformer = ml.MulticlassClassification.Trainers.XGBoost(new GradientBoostedTreesOptions { Seed = seed }).Fit(train);
            (fitted, training) = (transformer, "");
        }
        else
        {
            var options = model switch
            {
                "fine-tuned" => new ImageClassificationOptions { ResizeTo = resize },
                "fine-tuned-early-stopping" => new ImageClassificationOptions { ResizeTo = resize, ValidationSetFraction = 0.1 },
                "frozen" => new ImageClassificationOptions { FineTuning = ImageFineTuning.Frozen, ResizeTo = resize, Epochs = 200, EarlyStoppingPatience = 10 },
                _ => new ImageClassificationOptions { Architecture = ImageArchitecture.SmallCnn },
            };
            // An epoch line on stderr at most every minute, so that hour-long fits show where they are without changing the figures on stdout.
            var printed = TimeSpan.Zero;
            var progress = new SynchronousProgress<EpochProgress>(e =>
            {
                if (e.Elapsed - printed < TimeSpan.FromMinutes(1)) return;
                printed = e.Elapsed;
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    {model} epoch {e.Epoch}/{e.MaxEpochs}: training loss {e.TrainLoss:0.####}, {e.Elapsed.TotalMinutes:0.0} min"));
            });
            var transformer = new ImageClassificationTrainer(options with { Seed = seed }, seed) { Progress = progress }.Fit(train);
            var info = transformer.Model.Info;
            (fitted, training) = (transformer, $"epochs {info.Epochs} (best {info.BestEpoch}), {info.StoppedBy}");
        }
        var fitSeconds = clock.Elapsed.TotalSeconds;
        var accuracy = ml.MulticlassClassification.Evaluate(fitted.Transform(test)).MicroAccuracy;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        (fitted as IDisposable)?.Dispose();
        return new Result(size, seed, model, accuracy, fitSeconds, cpu, training);
    }

    private static void Summarize(List<Result> results, int[] sizes, string[] models)
    {
        Console.WriteLine();
        Console.WriteLine($"| labeled images | {string.Join(" | ", models)} |");
        Console.WriteLine($"|---|{string.Concat(models.Select(_ => "---|"))}");
        foreach (var size in sizes)
        {
            var cells = models.Select(m =>
            {
                var runs = results.Where(r => r.Size == size && r.Model == m).ToArray();
                var mean = runs.Average(r => r.Accuracy);
                var std = runs.Length > 1 ? Math.Sqrt(runs.Sum(r => (r.Accuracy - mean) * (r.Accuracy - mean)) / (runs.Length - 1)) : 0;
                return $"{mean:F4} ± {std:F4} ({runs.Average(r => r.CpuSeconds) / 60:F1} CPU min)";
            });
            Console.WriteLine($"| {size:N0} | {string.Join(" | ", cells)} |");
        }
        // Paired over seeds: the same labeled images for both models of a pair.
        foreach (var (a, b) in new[] { ("fine-tuned", "small-cnn"), ("fine-tuned", "xgboost"), ("small-cnn", "xgboost"), ("frozen", "xgboost") })
        {
            if (!models.Contains(a) || !models.Contains(b)) continue;
            foreach (var size in sizes)
            {
                var differences = results.Where(r => r.Size == size && r.Model == a)
                    .Join(results.Where(r => r.Size == size && r.Model == b), r => r.Seed, r => r.Seed, (x, y) => x.Accuracy - y.Accuracy).ToArray();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  n={size}: {a} − {b}: {differences.Average():+0.0000;-0.0000} on average, {a} better on {differences.Count(d => d > 0)}/{differences.Length} seeds"));
            }
        }
    }
}
