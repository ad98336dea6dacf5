using System.Text.Json;
using Microsoft.ML;

namespace MLPipelines.ModelFiles;

/// <summary>Reads back the files one transformer wrote with <see cref="ModelWriter"/>.</summary>
public sealed class ModelReader
{
    private readonly ModelLoadContext _context;
    private readonly Microsoft.ML.Runtime.IHostEnvironment _environment;

    internal ModelReader(ModelLoadContext context, Microsoft.ML.Runtime.IHostEnvironment environment)
    {
        _context = context;
        _environment = environment;
    }

    /// <summary>The transformer's folder in the model zip, for error messages.</summary>
    public string Source => $"the model file's {_context.Directory}";

    public T ReadJson<T>(string name) => Read(name, stream =>
    {
        try
        {
            return JsonSerializer.Deserialize<T>(stream, ModelJson.Options) ?? throw new JsonException("the file holds null");
        }
        catch (JsonException e)
        {
            throw new ModelFileException(Source, $"{name} is damaged: {e.Message}", e);
        }
    });

    public byte[] ReadBytes(string name) => Read(name, stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    });

    /// <summary>Reads back a transformer that <see cref="ModelWriter.WriteModel"/> wrote.</summary>
    public ITransformer ReadModel(string name)
    {
        if (!_context.LoadModelOrNull<ITransformer, SignatureLoadModel>(_environment, out var model, name) || model is null)
            throw new ModelFileException(Source, $"there is no model {name}: the file is damaged or was not written by this transformer");
        return model;
    }

    /// <summary>Reads a file through a stream.</summary>
    public T Read<T>(string name, Func<Stream, T> read)
    {
        T result = default!;
        if (!_context.TryLoadBinaryStream(name, reader => result = read(reader.BaseStream)))
            throw new ModelFileException(Source, $"there is no {name}: the file is damaged or was not written by this transformer");
        return result;
    }
}
