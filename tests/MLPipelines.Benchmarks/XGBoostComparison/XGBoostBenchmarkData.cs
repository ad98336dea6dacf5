using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.ML;
using MLPipelines.Trainers;
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

    /// <summary>diamonds featurized for trees: the training rows (as a view and as XGBoost's matrix) and the test rows' matrix.</summary>
    public static (IDataView TrainView, TrainingData Train, TrainingData Test) Featurize(string root)
    {
        var (train, test) = DiamondsData.Featurized(root, FeaturizerOptions.ForTrees, seed: 2024, testFraction: 0.2);
        return (train, DiamondsData.Read(train, _ => CategoricalTreatment.Code), DiamondsData.Read(test!, _ => CategoricalTreatment.Code));
    }

    public static XGBoostBenchmarkData Write(string root, IReadOnlyDictionary<string, string> parameters)
    {
        var directory = Path.Combine(root, "artifacts", "benchmarks", "xgboost-diamonds");
        System.IO.Directory.CreateDirectory(directory);
        var (_, trainData, testData) = Featurize(root);
        var data = new XGBoostBenchmarkData(directory, trainData.RowCount, testData.RowCount, trainData.Features.Width,
            trainData.Features.FeatureKinds.Select(k => k == FeatureKind.CategoryCode ? "c" : "q").ToArray(), trainData.Features.FeatureNames.ToArray(), parameters);
        File.WriteAllBytes(data.TrainFeatures, MemoryMarshal.AsBytes(trainData.Features.Values.AsSpan()).ToArray());
        File.WriteAllBytes(data.TrainLabels, MemoryMarshal.AsBytes(trainData.Label.Values!.Select(v => (float)v).ToArray().AsSpan()).ToArray());
        File.WriteAllBytes(data.TestFeatures, MemoryMarshal.AsBytes(testData.Features.Values.AsSpan()).ToArray());
        File.WriteAllText(data.Metadata, JsonSerializer.Serialize(data));
        return data;
    }

    public static XGBoostBenchmarkData Read(string metadata) => JsonSerializer.Deserialize<XGBoostBenchmarkData>(File.ReadAllText(metadata))!;

    public static float[] ReadFloats(string path) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();
}
