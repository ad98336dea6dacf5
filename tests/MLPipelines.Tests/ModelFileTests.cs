using System.IO.Compression;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.ModelFiles;
using MLPipelines.Trainers;
using MLPipelines.Transforms;

namespace MLPipelines.Tests;

/// <summary>The project's transformers in ML.NET's model files (the fresh-process round trips are in the integration tests).</summary>
public sealed class ModelFileTests : IDisposable
{
    private readonly MLContext _ml = new(seed: 2);
    private readonly string _directory = TestData.TemporaryDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private (ITransformer Model, IDataView Data, string Path) SavedCreditModel(FeaturizerOptions? options = null)
    {
        var (data, label, _) = TestData.Prepared(_ml, "credit_data");
        var model = _ml.Transforms.Featurize(label, options).Append(_ml.BinaryClassification.Trainers.Baseline(label)).Fit(data);
        var path = System.IO.Path.Combine(_directory, "credit.zip");
        _ml.Model.Save(model, data.Schema, path);
        return (model, data, path);
    }

    public static TheoryData<NumericScaling, MissingValueHandling> Featurizations => new()
    {
        { NumericScaling.QuantileNormal, MissingValueHandling.Impute },
        { NumericScaling.RobustSmoothClip, MissingValueHandling.Impute },
        { NumericScaling.None, MissingValueHandling.Keep },
    };

    [Theory]
    [MemberData(nameof(Featurizations))]
    public void A_loaded_pipeline_is_the_same_types_and_predicts_bit_identically(NumericScaling scaling, MissingValueHandling missing)
    {
        var (model, data, path) = SavedCreditModel(new FeaturizerOptions { NumericScaling = scaling, MissingValues = missing });
        var loaded = _ml.Model.Load(path, out var schema);
        Assert.Equal(data.Schema.Select(c => (c.Name, c.Type)), schema.Select(c => (c.Name, c.Type)));
        var steps = ((IEnumerable<ITransformer>)loaded).ToList();
        Assert.IsType<FeaturizerTransformer>(steps[0]);
        Assert.IsType<TabularPredictionTransformer<BaselineModelParameters>>(steps[1]);
        // The fitted plans come back exactly (records holding arrays: compared as they are written).
        string Plans(ITransformer featurizer) => System.Text.Json.JsonSerializer.Serialize(((FeaturizerTransformer)featurizer).Plans, ModelJson.Options);
        Assert.Equal(Plans(((IEnumerable<ITransformer>)model).First()), Plans(steps[0]));
        Assert.Equal(model.Transform(data).GetColumn<float[]>("Features"), loaded.Transform(data).GetColumn<float[]>("Features"));
        Assert.Equal(model.Transform(data).GetColumn<float>("Score"), loaded.Transform(data).GetColumn<float>("Score"));
    }

    /// <summary>
    /// What <c>ml.Model.Load</c> threw, under the reflection wrappers of ML.NET's component
    /// catalog (it calls loaders through reflection and rethrows what they throw wrapped).
    /// </summary>
    private ModelFileException LoadError(string path)
    {
        var error = Assert.ThrowsAny<Exception>(() => _ml.Model.Load(path, out _));
        while (error is not ModelFileException && error.InnerException is not null) error = error.InnerException;
        return Assert.IsType<ModelFileException>(error);
    }

    /// <summary>Rewrites one entry of a model zip.</summary>
    private static void Rewrite(string path, string entrySuffix, Func<byte[], byte[]> change)
    {
        using var archive = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = archive.Entries.Single(e => e.FullName.EndsWith(entrySuffix, StringComparison.Ordinal));
        byte[] bytes;
        using (var stream = entry.Open())
        using (var buffer = new MemoryStream())
        {
            stream.CopyTo(buffer);
            bytes = buffer.ToArray();
        }
        var name = entry.FullName;
        entry.Delete();
        using var writer = archive.CreateEntry(name).Open();
        writer.Write(change(bytes));
    }

    private static byte[] Replace(byte[] bytes, string from, string to)
    {
        var text = Encoding.Latin1.GetString(bytes);
        Assert.Contains(from, text);
        return Encoding.Latin1.GetBytes(text.Replace(from, to));
    }

    [Fact]
    public void A_model_needing_an_assembly_that_is_not_there_names_it()
    {
        var (_, _, path) = SavedCreditModel();
        // The prediction transformer's folder records the model's type; point it at an assembly that does not exist.
        Rewrite(path, "Transform_001/Model.key", bytes => Replace(bytes, "BaselineModelParameters, MLPipelines.Core", "BaselineModelParameters, MLPipelines.Gone"));
        var error = LoadError(path);
        Assert.Contains("MLPipelines.Gone", error.Message);
        Assert.Contains("reference the package", error.Message);
    }

    [Fact]
    public void A_model_written_in_a_newer_format_says_to_update()
    {
        var (_, _, path) = SavedCreditModel();
        Rewrite(path, "Transform_000/Model.key", bytes =>
        {
            // The format number is the int just before the type name's length prefix.
            var at = Encoding.Latin1.GetString(bytes).IndexOf("MLPipelines.Transforms.FeaturizerTransformer", StringComparison.Ordinal) - 5;
            Assert.Equal(1, BitConverter.ToInt32(bytes, at));
            BitConverter.TryWriteBytes(bytes.AsSpan(at, 4), 2);
            return bytes;
        });
        var error = LoadError(path);
        Assert.Contains("format 2", error.Message);
        Assert.Contains("update the MLPipelines packages", error.Message);
    }

    [Fact]
    public void A_damaged_part_of_a_model_is_named()
    {
        var (_, _, path) = SavedCreditModel();
        using (var archive = ZipFile.Open(path, ZipArchiveMode.Update))
            archive.Entries.Single(e => e.FullName.EndsWith("featurizer.json", StringComparison.Ordinal)).Delete();
        var missing = LoadError(path);
        Assert.Contains("there is no featurizer.json", missing.Message);
        Assert.Contains("Transform_000", missing.Message);

        var (_, _, again) = SavedCreditModel();
        Rewrite(again, "transformer.json", bytes => bytes[..(bytes.Length / 2)]);
        Assert.Contains("transformer.json is damaged", LoadError(again).Message);
    }
}
