using System.IO.Compression;
using System.Text.Json;

namespace MLPipelines.ModelFiles;

/// <summary>Reads back the files one pipeline stage wrote with <see cref="ModelWriter"/>.</summary>
public sealed class ModelReader
{
    private readonly ZipArchive _archive;
    private readonly string _folder;

    internal ModelReader(ZipArchive archive, string folder, string source)
    {
        _archive = archive;
        _folder = folder;
        Source = source;
    }

    /// <summary>The model file, for error messages.</summary>
    public string Source { get; }

    public T ReadJson<T>(string name) => Read(name, stream =>
    {
        try
        {
            return JsonSerializer.Deserialize<T>(stream, ModelJson.Options) ?? throw new JsonException("the file holds null");
        }
        catch (JsonException e)
        {
            throw new ModelFileException(Source, $"{_folder}{name} is damaged: {e.Message}", e);
        }
    });

    public byte[] ReadBytes(string name) => Read(name, stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    });

    /// <summary>Reads a file through a stream.</summary>
    public T Read<T>(string name, Func<Stream, T> read)
    {
        var entry = _archive.GetEntry(_folder + name)
                    ?? throw new ModelFileException(Source, $"the model file has no {_folder}{name}: it is damaged or was not written by this stage");
        using var stream = entry.Open();
        return read(stream);
    }
}
