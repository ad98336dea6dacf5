using System.IO.Compression;
using System.Reflection;
using System.Text.Json;
using MLPipelines.Data;
using MLPipelines.Pipelines;

namespace MLPipelines.ModelFiles;

/// <summary>An input column a model reads, with its type and role.</summary>
public sealed record SchemaEntry(string Name, ColumnType Type, ColumnRole Role);

/// <summary>A stage of a saved model: the type that loads it and the folder holding its files.</summary>
public sealed record StageEntry(string Type, string Assembly, string Folder);

/// <summary>manifest.json: what the file is and how to load it.</summary>
public sealed record ModelManifest(string Format, int FormatVersion, string Library, DateTime CreatedUtc,
    IReadOnlyList<SchemaEntry> InputSchema, IReadOnlyList<StageEntry> Stages);

/// <summary>A fitted stage that knows the input columns it reads (the featurizer); its list becomes the model's input schema.</summary>
public interface IHasInputSchema
{
    IReadOnlyList<SchemaEntry> InputColumns { get; }
}

/// <summary>
/// A whole fitted pipeline in one zip file: manifest.json (format name and version, library
/// version, input schema, stages) and each stage's files under stages/N/. Saving writes a
/// temporary file and renames it into place, so a crash never leaves half a model behind.
/// Loading checks the format, version and schema and rebuilds each stage with its own Load.
/// </summary>
public static class ModelFile
{
    public const string FormatName = "MLPipelines model";

    /// <summary>The version written, and the newest read.</summary>
    public const int FormatVersion = 1;

    private const string ManifestName = "manifest.json";

    public static void Save(TransformerChain<DataTable, DataTable> model, string path)
    {
        var stages = model.Stages.Select((stage, i) => stage as ISaveableStage
            ?? throw new InvalidOperationException($"stage {i + 1} ({stage.GetType().Name}) cannot be saved: it does not implement {nameof(ISaveableStage)}")).ToList();
        var full = System.IO.Path.GetFullPath(path);
        var temporary = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(full)!, $".{System.IO.Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var archive = ZipFile.Open(temporary, ZipArchiveMode.Create))
            {
                var entries = new List<StageEntry>();
                for (var i = 0; i < stages.Count; i++)
                {
                    var folder = $"stages/{i}/";
                    stages[i].Save(new ModelWriter(archive, folder));
                    var type = stages[i].GetType();
                    entries.Add(new StageEntry(type.FullName!, type.Assembly.GetName().Name!, folder));
                }
                var schema = (model.Stages[0] as IHasInputSchema)?.InputColumns ?? [];
                var manifest = new ModelManifest(FormatName, FormatVersion, LibraryVersion, DateTime.UtcNow, schema, entries);
                new ModelWriter(archive, "").WriteJson(ManifestName, manifest);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    public static TransformerChain<DataTable, DataTable> Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist", path);
        try
        {
            using var archive = ZipFile.OpenRead(path);
            var manifest = ReadManifest(archive, path);
            var stages = manifest.Stages.Select(entry => LoadStage(archive, entry, path)).ToList();
            var loadedSchema = (stages.FirstOrDefault() as IHasInputSchema)?.InputColumns ?? [];
            if (!loadedSchema.SequenceEqual(manifest.InputSchema))
                throw new ModelFileException(path, "the model file is damaged: its manifest's input schema disagrees with its first stage");
            return new TransformerChain<DataTable, DataTable>(stages);
        }
        catch (InvalidDataException e)
        {
            throw new ModelFileException(path, "not a readable MLPipelines model: the file is not a zip archive, or it is truncated or damaged", e);
        }
    }

    /// <summary>Reads only the manifest (what the model expects as input, which stages it has).</summary>
    public static ModelManifest ReadManifest(string path)
    {
        try
        {
            using var archive = ZipFile.OpenRead(path);
            return ReadManifest(archive, path);
        }
        catch (InvalidDataException e)
        {
            throw new ModelFileException(path, "not a readable MLPipelines model: the file is not a zip archive, or it is truncated or damaged", e);
        }
    }

    private static ModelManifest ReadManifest(ZipArchive archive, string path)
    {
        var entry = archive.GetEntry(ManifestName)
                    ?? throw new ModelFileException(path, $"not an MLPipelines model: the zip archive has no {ManifestName}");
        ModelManifest? manifest;
        try
        {
            using var stream = entry.Open();
            manifest = JsonSerializer.Deserialize<ModelManifest>(stream, ModelJson.Options);
        }
        catch (JsonException e)
        {
            throw new ModelFileException(path, $"not an MLPipelines model: {ManifestName} is not a model manifest ({e.Message})", e);
        }
        if (manifest is null || manifest.Format != FormatName)
            throw new ModelFileException(path, $"not an MLPipelines model: {ManifestName} does not describe one");
        if (manifest.FormatVersion > FormatVersion)
            throw new ModelFileException(path, $"written by a newer MLPipelines ({manifest.Library}, model format {manifest.FormatVersion}); this version ({LibraryVersion}) reads model formats up to {FormatVersion}: upgrade MLPipelines");
        if (manifest.FormatVersion < 1 || manifest.Stages.Count == 0)
            throw new ModelFileException(path, $"the model file is damaged: its manifest has format version {manifest.FormatVersion} and {manifest.Stages.Count} stages");
        return manifest;
    }

    private static IPipelineStage LoadStage(ZipArchive archive, StageEntry entry, string path)
    {
        Type? type;
        try
        {
            type = Assembly.Load(entry.Assembly).GetType(entry.Type);
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            throw new ModelFileException(path, $"the model needs {entry.Type} from the assembly {entry.Assembly}, which cannot be loaded: add a reference to {entry.Assembly}", e);
        }
        if (type is null)
            throw new ModelFileException(path, $"the model needs {entry.Type}, which the assembly {entry.Assembly} does not contain (was it written by another version?)");
        var loadable = typeof(ILoadableStage<>).MakeGenericType(type);
        if (!loadable.IsAssignableFrom(type))
            throw new ModelFileException(path, $"{entry.Type} is not a loadable pipeline stage");
        var load = typeof(ModelFile).GetMethod(nameof(LoadTyped), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type);
        try
        {
            return (IPipelineStage)load.Invoke(null, [new ModelReader(archive, entry.Folder, path)])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    private static TStage LoadTyped<TStage>(ModelReader reader) where TStage : ILoadableStage<TStage> => TStage.Load(reader);

    private static string LibraryVersion =>
        typeof(ModelFile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
}

/// <summary><c>model.Save(path)</c>, as ML.NET users write it.</summary>
public static class ModelFileExtensions
{
    public static void Save(this TransformerChain<DataTable, DataTable> model, string path) => ModelFile.Save(model, path);
}
