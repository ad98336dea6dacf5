using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.ML;
using MLPipelines.Trainers;
using MLPipelines.Transforms;

namespace MLPipelines.Benchmarks.RidgeComparison;

/// <summary>
/// diamonds (price) in 5 seeded folds, each featurized as the Linear candidate featurizes
/// (the featurizer's defaults: imputed, standardized numbers, one-hot categories), fitted on
/// the fold's training rows. The featurized rows are cached by ML.NET and read once, so a
/// timed fit starts from rows in memory; they are also written as raw float32 files (features
/// row-major, label) for the Python side, which then fits on the very same numbers.
/// </summary>
public sealed record RidgeBenchmarkFolds(string Directory, int Folds, int Columns, int[] TrainRows, int[] TestRows)
{
    public const int Seed = 42;

    public string Metadata => Path.Combine(Directory, "meta.json");

    public static string File(string directory, int fold, string part) => Path.Combine(directory, $"fold{fold}-{part}.f32");

    /// <summary>One fold: the raw training and test rows, and the featurized, cached ones.</summary>
    public sealed record Fold(IDataView RawTrain, IDataView RawTest, IDataView Train, IDataView Test);

    public static (IReadOnlyList<Fold> Folds, RidgeBenchmarkFolds Files) Prepare(MLContext ml, string root, int folds)
    {
        var data = ml.Data.LoadCsv(Path.Combine(root, "datasets", "diamonds.csv"));
        var directory = Path.Combine(root, "artifacts", "benchmarks", "ridge-diamonds");
        System.IO.Directory.CreateDirectory(directory);
        var prepared = new List<Fold>();
        var (trainRows, testRows) = (new int[folds], new int[folds]);
        var columns = 0;
        foreach (var (split, k) in ml.Data.StratifiedCrossValidationSplit(data, DiamondsData.Label, folds, Seed).Select((s, k) => (s, k)))
        {
            var featurizer = ml.Transforms.Featurize(DiamondsData.Label, new FeaturizerOptions()).Fit(split.TrainSet);
            var train = Filled(ml.Data.Cache(featurizer.Transform(split.TrainSet)));
            var test = Filled(ml.Data.Cache(featurizer.Transform(split.TestSet)));
            prepared.Add(new Fold(split.TrainSet, split.TestSet, train, test));
            var trainData = DiamondsData.Read(train, _ => CategoricalTreatment.OneHot);
            var testData = DiamondsData.Read(test, _ => CategoricalTreatment.OneHot);
            Write(File(directory, k, "train-x"), trainData.Features.Values);
            Write(File(directory, k, "train-y"), trainData.Label.Values!.Select(v => (float)v).ToArray());
            Write(File(directory, k, "test-x"), testData.Features.Values);
            Write(File(directory, k, "test-y"), testData.Label.Values!.Select(v => (float)v).ToArray());
            (trainRows[k], testRows[k], columns) = (trainData.RowCount, testData.RowCount, trainData.Features.Width);
        }
        var files = new RidgeBenchmarkFolds(directory, folds, columns, trainRows, testRows);
        System.IO.File.WriteAllText(files.Metadata, JsonSerializer.Serialize(files));
        return (prepared, files);
    }

    /// <summary>Reads every column of a cached view once, so that the cache holds it before anything is timed.</summary>
    private static IDataView Filled(IDataView cached)
    {
        using var cursor = cached.GetRowCursor(cached.Schema);
        while (cursor.MoveNext()) { }
        return cached;
    }

    private static void Write(string path, float[] values) => System.IO.File.WriteAllBytes(path, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
}
