using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.AutoML;
using MLPipelines.Data;
using MLPipelines.Data.Csv;
using MLPipelines.Data.DataViews;
using MLPipelines.Deep.Options;
using MLPipelines.Deep.Training;
using MLPipelines.Onnx;
using MLPipelines.Tests;
using MLPipelines.Trainers;
using MLPipelines.XGBoost.Training;

namespace MLPipelines.Benchmarks.OnnxScoring;

/// <summary>
/// The export's parity on every row of diamonds, credit_data, LetterRecognition and penguins
/// (the tests check slices): each model kind is trained on a seeded 80% of the rows (deep models
/// for a short schedule: parity needs a trained model, not a good one), exported, and every row
/// of the file is scored by ML.NET's ApplyOnnxModel and by the native pipeline. Prints, per
/// dataset and model: export seconds, file size, the largest score difference
/// (<see cref="ScoredColumns.LargestDifference"/>, the tests' measure) and how many predicted labels differ.
/// </summary>
public static class OnnxParityCheck
{
    private static readonly string[] Datasets = ["diamonds", "credit_data", "LetterRecognition", "penguins"];

    public static int Run(string[] args)
    {
        var root = PeerProcess.RepositoryRoot();
        var models = (BenchmarkArguments.Option(args, "--models") ?? "xgboost,xgboost-forest,xgboost-linear,linear,lightgbm,fasttree,fastforest,mlp,resnet,ft-transformer,tabm").Split(',');
        var datasets = BenchmarkArguments.Option(args, "--datasets")?.Split(',') ?? Datasets;
        var manifest = File.ReadAllLines(Path.Combine(root, "datasets", "MANIFEST.tsv")).Skip(1).Select(l => l.Split('\t')).ToDictionary(f => f[0], f => (Label: f[4], Task: f[5]));
        Console.WriteLine("ONNX export parity on every row: ApplyOnnxModel over the exported file against the native pipeline");
        Console.WriteLine($"{"dataset",-18} {"model",-15} {"rows",8} {"export s",9} {"bytes",11} {"largest rel. diff",18} {"labels differing",17}  where");
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
                var expected = ScoredColumns.Scores(native);
                var (largest, where) = ScoredColumns.LargestDifference(expected, ScoredColumns.Scores(onnx));
                var labelsDiffering = ScoredColumns.Labels(native).Zip(ScoredColumns.Labels(onnx)).Count(p => p.First != p.Second);
                var rows = expected.Count;
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
            // ML.NET's trees as the experiment's candidates train them (one-versus-all for multiclass FastTree and FastForest).
            "lightgbm" or "fasttree" or "fastforest" => Candidate.Named([name])[0].CreatePipeline(new CandidateSettings(ml, task, label, 7, Environment.ProcessorCount, null, null, default)),
            "mlp" => Ours(Deep(new MlpOptions { MaxEpochs = 4 })),
            "resnet" => Ours(Deep(new ResNetOptions { MaxEpochs = 2 })),
            "ft-transformer" => Ours(Deep(new FTTransformerOptions { MaxEpochs = 1 })),
            "tabm" => Ours(Deep(new TabMOptions { MaxEpochs = 1 })),
            _ => throw new ArgumentException($"no model '{name}': xgboost, xgboost-forest, xgboost-linear, linear, lightgbm, fasttree, fastforest, mlp, resnet, ft-transformer, tabm"),
        };
    }
}
