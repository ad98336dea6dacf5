using System.Text.Json;
using Microsoft.ML;

namespace MLPipelines.ModelFiles;

/// <summary>
/// Writes one transformer's files into an ML.NET model zip, in the transformer's own folder
/// (what <c>ml.Model.Save</c> gives each step of a pipeline).
/// </summary>
public sealed class ModelWriter
{
    private readonly ModelSaveContext _context;

    internal ModelWriter(ModelSaveContext context) => _context = context;

    public void WriteJson<T>(string name, T value) => Write(name, stream => JsonSerializer.Serialize(stream, value, ModelJson.Options));

    public void WriteBytes(string name, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(name, stream => stream.Write(copy));
    }

    /// <summary>Writes a whole transformer (one of ML.NET's or ours) into a subfolder, as ML.NET's TransformerChain writes its steps.</summary>
    public void WriteModel(string name, ITransformer model) => _context.SaveModel(model, name);

    /// <summary>Writes a file through a stream (a libtorch state dictionary, say).</summary>
    public void Write(string name, Action<Stream> write) => _context.SaveBinaryStream(name, writer =>
    {
        writer.Flush();
        write(writer.BaseStream);
    });
}
