using System.IO.Compression;
using System.Text.Json;

namespace MLPipelines.ModelFiles;

/// <summary>Writes one pipeline stage's files into a model file, under the stage's own folder.</summary>
public sealed class ModelWriter
{
    private readonly ZipArchive _archive;
    private readonly string _folder;

    internal ModelWriter(ZipArchive archive, string folder)
    {
        _archive = archive;
        _folder = folder;
    }

    public void WriteJson<T>(string name, T value) => Write(name, stream => JsonSerializer.Serialize(stream, value, ModelJson.Options));

    public void WriteBytes(string name, ReadOnlySpan<byte> bytes)
    {
        using var stream = _archive.CreateEntry(_folder + name, CompressionLevel.Optimal).Open();
        stream.Write(bytes);
    }

    /// <summary>Writes a file through a stream (a libtorch state dictionary, say).</summary>
    public void Write(string name, Action<Stream> write)
    {
        using var stream = _archive.CreateEntry(_folder + name, CompressionLevel.Optimal).Open();
        write(stream);
    }
}
