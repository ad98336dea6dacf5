using System.Reflection;
using Microsoft.ML;
using MLPipelines.Data;
using MLPipelines.Data.Csv;
using MLPipelines.Ensembles;
using MLPipelines.ModelFiles;
using MLPipelines.Transforms;

namespace MLPipelines.Cli.Shared;

/// <summary>Loads model files for the commands, with errors that say what is wrong with the file.</summary>
internal static class ModelLoading
{
    /// <summary>Loads a model written by <c>ml.Model.Save</c>; on failure returns null and writes why.</summary>
    public static ITransformer? Load(MLContext ml, FileInfo file, out DataViewSchema schema)
    {
        schema = null!;
        if (!file.Exists)
        {
            Console.Error.WriteLine($"error: {file.FullName} does not exist");
            return null;
        }
        if (IsOnnx(file))
        {
            Console.Error.WriteLine($"error: {file.Name} is an ONNX file, not a model file written by ml.Model.Save (a zip): " +
                                    "score it with `mlpipelines predict --model` or ml.Transforms.ApplyOnnxModel");
            return null;
        }
        try
        {
            return ml.Model.Load(file.FullName, out schema);
        }
        catch (Exception e)
        {
            // ML.NET calls loaders through reflection and wraps what they throw: show the cause.
            Console.Error.WriteLine($"error: {file.Name} cannot be loaded: {Cause(e).Message}");
            return null;
        }
    }

    /// <summary>
    /// The raw columns the model's featurizers read (an ensemble's members' included): the columns a
    /// CSV to score must have. Empty where the pipeline has no featurizer of ours (what its own
    /// transforms read is theirs to check).
    /// </summary>
    public static IReadOnlySet<string> FeatureColumns(ITransformer model) => model switch
    {
        FeaturizerTransformer featurizer => featurizer.Plans.Select(p => p.Column).ToHashSet(),
        WeightedEnsembleTransformer ensemble => ensemble.Members.SelectMany(FeatureColumns).ToHashSet(),
        IEnumerable<ITransformer> chain => chain.SelectMany(FeatureColumns).ToHashSet(),
        _ => new HashSet<string>(),
    };

    /// <summary>Named .onnx, or not a zip (model files are zips; ONNX files are protobuf).</summary>
    public static bool IsOnnx(FileInfo file)
    {
        if (file.Extension.Equals(".onnx", StringComparison.OrdinalIgnoreCase)) return true;
        using var stream = file.OpenRead();
        Span<byte> magic = stackalloc byte[2];
        return stream.Read(magic) == 2 && magic[0] == 0x08;   // an ONNX model's first field: ir_version (field 1, a varint); a zip starts with "PK"
    }

    /// <summary>The exception that says what went wrong, under ML.NET's and reflection's wrappers.</summary>
    public static Exception Cause(Exception e)
    {
        while (e is TargetInvocationException or TypeInitializationException or AggregateException && e.InnerException is not null) e = e.InnerException!;
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner is ModelFileException or DataValidationException or CsvFormatException or DllNotFoundException) return inner;
        return e;
    }
}
