using System.Runtime.InteropServices;
using System.Text.Json;
using MLPipelines.Transforms;

namespace MLPipelines.Benchmarks.XGBoostComparison;

/// <summary>
/// diamonds featurized for trees (raw numbers, category codes typed categorical), split 80/20
/// with a fixed seed. The C# side featurizes in its own process; for the Python side the same
/// featurized rows are written as raw float32 files (train X, train y, test X) with the
/// booster parameters the C# trainer gives XGBoost.
/// </summary>
public sealed record XGBoostBenchmarkData(string Directory, int TrainRows, int TestRows, int Columns, string[] FeatureTypes, string[] FeatureNames,
    IReadOnlyDictionary<string, string> Parameters)
{
    public string TrainFeatures => Path.Combine(Directory, "train-x.f32");
    public string TrainLabels => Path.Combine(Directory, "train-y.f32");
    public string TestFeatures => Path.Combine(Directory, "test-x.f32");
    public string Metadata => Path.Combine(Directory, "meta.json");

    /// <summary>diamonds featurized for trees: the training and test rows.</summary>
    public static (FeaturizedData Train, FeaturizedData Test) Featurize(string root)
    {
        var ml = new MLPipelinesContext(seed: 2024);
        var table = ml.Data.LoadCsv(Path.Combine(root, "datasets", "diamonds.csv"));
        var (train, test) = ml.Data.TrainTestSplit(table, 0.2);
        var featurizer = ml.Transforms.Featurize("price", FeaturizerOptions.ForTrees).Fit(train);
        return (featurizer.Transform(train), featurizer.Transform(test));
    }

    public static XGBoostBenchmarkData Write(string root, IReadOnlyDictionary<string, string> parameters)
    {
        var directory = Path.Combine(root, "artifacts", "benchmarks", "xgboost-diamonds");
        System.IO.Directory.CreateDirectory(directory);
        var (trainData, testData) = Featurize(root);
        var data = new XGBoostBenchmarkData(directory, trainData.RowCount, testData.RowCount, trainData.FeatureCount,
            trainData.FeatureKinds.Select(k => k == FeatureKind.CategoryCode ? "c" : "q").ToArray(), trainData.FeatureNames.ToArray(), parameters);
        File.WriteAllBytes(data.TrainFeatures, MemoryMarshal.AsBytes(trainData.Features.AsSpan()).ToArray());
        File.WriteAllBytes(data.TrainLabels, MemoryMarshal.AsBytes(trainData.Label!.Values!.Select(v => (float)v).ToArray().AsSpan()).ToArray());
        File.WriteAllBytes(data.TestFeatures, MemoryMarshal.AsBytes(testData.Features.AsSpan()).ToArray());
        File.WriteAllText(data.Metadata, JsonSerializer.Serialize(data));
        return data;
    }

    public static XGBoostBenchmarkData Read(string metadata) => JsonSerializer.Deserialize<XGBoostBenchmarkData>(File.ReadAllText(metadata))!;

    public static float[] ReadFloats(string path) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();
}
