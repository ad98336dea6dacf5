using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MLPipelines.ModelFiles;

/// <summary>
/// A transformer of this project that <c>ml.Model.Save</c> can write and <c>ml.Model.Load</c>
/// can read back, in a new process, as the same type. It writes its state with
/// <see cref="Save(ModelWriter)"/>, and its type has a public static <c>Load(ModelReader)</c>
/// that reads it back.
/// </summary>
public interface IModelFileTransformer : ITransformer
{
    void Save(ModelWriter writer);
}

/// <summary>
/// The bridge between ML.NET's model files and <see cref="IModelFileTransformer"/>: one ML.NET
/// loader for every transformer of the project. Each transformer's folder holds its type name
/// and a format number; loading resolves the type (which may live in another of the
/// project's assemblies) and calls its static Load.
/// </summary>
public static partial class LoadableTransformer
{
    internal const string LoaderSignature = "MLPipelinesTransformer";

    /// <summary>Raised when a file's layout changes in a way older code cannot read.</summary>
    private const int FormatVersion = 1;

    private static VersionInfo Version => new(
        modelSignature: "MLPIPETR",
        verWrittenCur: 0x00010001,
        verReadableCur: 0x00010001,
        verWeCanReadBack: 0x00010001,
        loaderAssemblyName: typeof(LoadableTransformer).Assembly.FullName,
        loaderSignature: LoaderSignature);

    /// <summary>What a transformer's <c>ICanSaveModel.Save</c> calls.</summary>
    public static void Save(IModelFileTransformer transformer, ModelSaveContext context)
    {
        context.CheckAtModel();
        context.SetVersionInfo(Version);
        context.Writer.Write(FormatVersion);
        context.Writer.Write(TypeName(transformer.GetType()));
        transformer.Save(new ModelWriter(context));
    }

    /// <summary>ML.NET's loader (found through the assembly's [LoadableClass]).</summary>
    private static ITransformer Create(IHostEnvironment environment, ModelLoadContext context)
    {
        context.CheckAtModel(Version);
        var reader = new ModelReader(context, environment);
        var format = context.Reader.ReadInt32();
        if (format > FormatVersion)
            throw new ModelFileException(reader.Source, $"it was written in format {format} by a newer MLPipelines; this version reads format {FormatVersion}: update the MLPipelines packages");
        var typeName = context.Reader.ReadString();
        Type? type;
        try
        {
            type = Type.GetType(typeName, throwOnError: false);
        }
        catch (Exception e) when (e is FileLoadException or BadImageFormatException)
        {
            throw new ModelFileException(reader.Source, $"{typeName} cannot be loaded: {e.Message}", e);
        }
        if (type is null)
            throw new ModelFileException(reader.Source, $"it needs {Describe(typeName)}, which is not available: reference the package that holds it ({string.Join(", ", AssemblyNames(typeName))})");
        var load = type.GetMethod("Load", BindingFlags.Public | BindingFlags.Static, [typeof(ModelReader)])
                   ?? throw new ModelFileException(reader.Source, $"{type.Name} has no static Load(ModelReader)");
        try
        {
            return (ITransformer)load.Invoke(null, [reader])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    /// <summary>The assembly-qualified name without versions, so that a model outlives a package update.</summary>
    internal static string TypeName(Type type) => AssemblyDetails().Replace(type.AssemblyQualifiedName!, "");

    private static string Describe(string typeName) => AssemblyDetails().Replace(typeName, "");

    private static IEnumerable<string> AssemblyNames(string typeName) =>
        AssemblyName().Matches(typeName).Select(m => m.Groups[1].Value).Distinct();

    [GeneratedRegex(@", (Version|Culture|PublicKeyToken)=[^,\]]*")]
    private static partial Regex AssemblyDetails();

    [GeneratedRegex(@", ([A-Za-z0-9_.]+)(?=\]|$)")]
    private static partial Regex AssemblyName();
}
