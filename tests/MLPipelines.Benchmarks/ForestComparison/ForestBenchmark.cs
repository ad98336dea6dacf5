using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using MLPipelines.Data;
using MLPipelines.Data.Csv;
using MLPipelines.Trainers;
using MLPipelines.XGBoost.Training;

namespace MLPipelines.Benchmarks.ForestComparison;

/// <summary>
/// Our XGBoost random forest (<see cref="RandomForestTrainer"/>, its defaults, through the
/// featurizer it recommends) beside scikit-learn's RandomForestClassifier / RandomForestRegressor
/// (n_estimators 300, everything else its default) on the same 5 folds of each shipped dataset:
/// the folds are <see cref="DataCatalogExtensions.StratifiedFolds"/> with seed 0, written to a file
/// that the Python side (python/forest_peer.py) reads. Prints accuracy per dataset (RMSE for a
/// regression dataset named with --datasets), both sides' means over the folds and their difference.
/// <code>
///   forest [--datasets a,b,...] [--trees N] [--threads N] [--max-depth N] [--min-child-weight X] [--column-sample X]
/// </code>
/// Without --datasets: every classification dataset without a text column. --max-depth,
/// --min-child-weight and --column-sample set our side's options, to compare with other settings than the defaults.
/// </summary>
public static class ForestBenchmark
{
    private const int Folds = 5;
    private const int FoldSeed = 0;

    public static int Run(string[] args)
    {
        var root = PeerProcess.RepositoryRoot();
        var manifest = Manifest(root);
        var trees = 300;
        var threads = Environment.ProcessorCount;
        var options = new RandomForestOptions();
        IReadOnlyList<string>? names = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            switch (args[i])
            {
                case "--datasets": names = value.Split(',', StringSplitOptions.RemoveEmptyEntries); break;
                case "--trees": trees = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--max-depth": options = options with { MaxDepth = int.Parse(value, CultureInfo.InvariantCulture) }; break;
                case "--min-child-weight": options = options with { MinChildWeight = double.Parse(value, CultureInfo.InvariantCulture) }; break;
                case "--column-sample": options = options with { ColumnSampleByNode = double.Parse(value, CultureInfo.InvariantCulture) }; break;
                default:
                    Console.Error.WriteLine($"forest: unknown option {args[i]}");
                    return 2;
            }
        }
        if (args.Length % 2 != 0)
        {
            Console.Error.WriteLine($"forest: {args[^1]} needs a value");
            return 2;
        }
        options = options with { Trees = trees, Threads = threads, Seed = 0 };
        names ??= manifest.Where(d => d.Value.Task != PredictionTask.Regression && d.Value.TextColumns == 0).Select(d => d.Key).ToList();
        var unknown = names.Where(n => !manifest.ContainsKey(n)).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"forest: no dataset {string.Join(", ", unknown)} in datasets/MANIFEST.tsv");
            return 2;
        }

        Console.WriteLine($"Random forests, {trees} trees, {Folds} stratified folds (seed {FoldSeed}), {threads} threads: ours (XGBoost {XGBoost.Booster.LibraryVersion}) vs scikit-learn");
        Console.WriteLine($"ours: max depth {Setting(options.MaxDepth, o => o.MaxDepthFor)}, min child weight {Setting(options.MinChildWeight, o => o.MinChildWeightFor)}, " +
                          $"subsample {options.Subsample}, columns per split {options.ColumnSampleByNode?.ToString(CultureInfo.InvariantCulture) ?? $"√p of p (classification) / {RandomForestOptions.RegressionColumnSample} (regression)"}");
        Console.WriteLine(PeerProcess.Run(PeerProcess.Python, ["-c", "import sklearn, sys; print('scikit-learn', sklearn.__version__, 'on Python', sys.version.split()[0])"], new Dictionary<string, string>()));
        Console.WriteLine();
        Console.WriteLine($"{"dataset",-22} {"rows",7} {"task",-14} {"metric",-8} {"ours",8} {"sklearn",8} {"ours-skl",9} {"ours s",7} {"skl s",7}");
        var directory = Directory.CreateTempSubdirectory("mlpipelines-forest").FullName;
        try
        {
            foreach (var name in names)
            {
                var (label, task, _) = manifest[name];
                var path = Path.Combine(root, "datasets", name + ".csv");
                var (ours, seconds, folds) = Ours(path, label, task, options);
                var foldsPath = Path.Combine(directory, name + ".folds");
                File.WriteAllLines(foldsPath, folds.Select(f => f.ToString(CultureInfo.InvariantCulture)));
                var peer = JsonSerializer.Deserialize<PeerResult>(PeerProcess.Run(PeerProcess.Python,
                    [Path.Combine(AppContext.BaseDirectory, "python", "forest_peer.py"), path, label, TaskName(task), foldsPath,
                     threads.ToString(CultureInfo.InvariantCulture), trees.ToString(CultureInfo.InvariantCulture)],
                    new Dictionary<string, string>()))!;
                var metric = task == PredictionTask.Regression ? "RMSE" : "accuracy";
                var theirs = peer.Scores.Average();
                Console.WriteLine($"{name,-22} {folds.Length,7} {TaskName(task),-14} {metric,-8} {Format(ours),8} {Format(theirs),8} {Format(ours - theirs),9} {seconds,7:F1} {peer.Seconds,7:F1}");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
        return 0;
    }

    /// <summary>An option as set, or its task defaults (classification / regression) when it is not.</summary>
    private static string Setting<T>(T? value, Func<RandomForestOptions, Func<PredictionTask, T>> resolve) where T : struct
    {
        if (value is { } set) return Convert.ToString(set, CultureInfo.InvariantCulture)!;
        var defaults = new RandomForestOptions();
        return $"{resolve(defaults)(PredictionTask.MulticlassClassification)} (classification) / {resolve(defaults)(PredictionTask.Regression)} (regression)";
    }

    private static string Format(double value) => Math.Abs(value) >= 100 ? value.ToString("F1", CultureInfo.InvariantCulture) : value.ToString("F4", CultureInfo.InvariantCulture);

    private sealed record PeerResult(double[] Scores, double Seconds);

    /// <summary>Our forest's mean metric over the folds, the seconds it took (featurizing, fitting, scoring), and each row's fold.</summary>
    private static (double Mean, double Seconds, int[] FoldOfRow) Ours(string path, string label, PredictionTask task, RandomForestOptions options)
    {
        var ml = new MLContext(seed: FoldSeed);
        // A classification label is read as categories whatever it looks like (digits' are numbers).
        var csv = task == PredictionTask.Regression ? null : new CsvOptions { ColumnTypes = new Dictionary<string, ColumnType> { [label] = ColumnType.Categorical } };
        var data = LabelPreparation.Prepare(ml, ml.Data.LoadCsv(path, csv), label, task);
        var folds = DataCatalogExtensions.StratifiedFolds(data, label, Folds, FoldSeed);
        var foldOfRow = new int[folds.Sum(f => f.TestRows.Length)];
        foreach (var fold in folds)
            foreach (var row in fold.TestRows) foldOfRow[row] = fold.Index;

        var scores = new List<double>();
        var stopwatch = Stopwatch.StartNew();
        foreach (var split in ml.Data.StratifiedCrossValidationSplit(data, label, Folds, FoldSeed))
        {
            var trainer = new RandomForestTrainer(task, options with { LabelColumnName = label }, FoldSeed);
            var scored = ml.Transforms.FeaturizeFor(trainer).Append(trainer).Fit(split.TrainSet).Transform(split.TestSet);
            scores.Add(task switch
            {
                PredictionTask.Regression => ml.Regression.Evaluate(scored, label).RootMeanSquaredError,
                PredictionTask.BinaryClassification => ml.BinaryClassification.Evaluate(scored, label).Accuracy,
                _ => ml.MulticlassClassification.Evaluate(scored, label).MicroAccuracy,
            });
        }
        return (scores.Average(), stopwatch.Elapsed.TotalSeconds, foldOfRow);
    }

    private static string TaskName(PredictionTask task) => task switch
    {
        PredictionTask.Regression => "regression",
        PredictionTask.BinaryClassification => "binary",
        _ => "multiclass",
    };

    /// <summary>datasets/MANIFEST.tsv: name → label, task, and whether the dataset has text columns (which scikit-learn's forest cannot take as they are).</summary>
    private static Dictionary<string, (string Label, PredictionTask Task, int TextColumns)> Manifest(string root)
    {
        var lines = File.ReadAllLines(Path.Combine(root, "datasets", "MANIFEST.tsv"));
        var header = lines[0].Split('\t');
        int Column(string name) => Array.IndexOf(header, name) is var i and >= 0 ? i : throw new InvalidDataException($"MANIFEST.tsv has no column {name}");
        var (target, task, text) = (Column("target"), Column("task"), Column("n_text"));
        return lines.Skip(1).Select(l => l.Split('\t')).ToDictionary(f => f[0], f => (f[target],
            f[task] == "regression" ? PredictionTask.Regression : f[task] == "binary" ? PredictionTask.BinaryClassification : PredictionTask.MulticlassClassification,
            int.Parse(f[text], CultureInfo.InvariantCulture)));
    }
}
