using System.Text;

namespace MLPipelines.Torch.NN;

/// <summary>
/// The binary format of a state dictionary, little-endian:
/// <code>
/// "MLPTSD" (6 bytes) · format version (int32)
/// entry count (int32), then per entry:
///   name (7-bit-length-prefixed UTF-8) · dtype (int32, c10 code) · rank (int32) · sizes (int64 × rank)
///   byte count (int64) · raw row-major element bytes
/// "END." (4 bytes)
/// </code>
/// Raw bytes make a round trip bit-exact. The end marker tells a truncated file from a
/// complete one.
/// </summary>
public static class StateDictFile
{
    private static readonly byte[] Magic = "MLPTSD"u8.ToArray();
    private static readonly byte[] EndMarker = "END."u8.ToArray();

    /// <summary>The version this library writes and the newest it reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>Writes <paramref name="state"/> to a file, through a temporary file renamed into place.</summary>
    public static void Write(StateDict state, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                Write(state, stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Writes <paramref name="state"/> to <paramref name="stream"/>.</summary>
    public static void Write(StateDict state, Stream stream)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(state.Count);
        foreach (var (name, tensor) in state)
        {
            writer.Write(name);
            writer.Write((int)tensor.DType);
            var shape = tensor.Shape;
            writer.Write(shape.Length);
            foreach (var size in shape) writer.Write(size);
            var bytes = tensor.ToBytes();
            writer.Write((long)bytes.Length);
            writer.Write(bytes);
        }
        writer.Write(EndMarker);
    }

    /// <summary>Reads a state dictionary; <paramref name="source"/> names the origin in error messages.</summary>
    /// <exception cref="InvalidDataException">The data is not a state dictionary, is from a newer format version, or is truncated.</exception>
    public static StateDict Read(Stream stream, string source)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        var state = new StateDict();
        try
        {
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
                throw new InvalidDataException($"{source} is not an MLPipelines state dictionary (it does not start with 'MLPTSD')");
            var version = reader.ReadInt32();
            if (version > FormatVersion || version < 1)
                throw new InvalidDataException($"{source} has state dictionary format version {version}; this library reads versions 1 to {FormatVersion}");
            var count = reader.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                var dtype = (DType)reader.ReadInt32();
                var shape = new long[reader.ReadInt32()];
                for (var d = 0; d < shape.Length; d++) shape[d] = reader.ReadInt64();
                var byteCount = reader.ReadInt64();
                var bytes = reader.ReadBytes(checked((int)byteCount));
                if (bytes.Length != byteCount) throw new EndOfStreamException();
                state.Add(name, Tensors.FromBytes(bytes, shape, dtype).DetachFromDisposeScope());
            }
            if (!reader.ReadBytes(EndMarker.Length).AsSpan().SequenceEqual(EndMarker))
                throw new InvalidDataException($"{source} is damaged: the state dictionary's end marker is missing");
            return state;
        }
        catch (EndOfStreamException)
        {
            state.Dispose();
            throw new InvalidDataException($"{source} is truncated: the state dictionary ends before its last tensor");
        }
        catch (Exception e) when (e is TorchException or OverflowException or ArgumentException or OutOfMemoryException)
        {
            // Sizes or types that make no sense: the bytes after the header are not what was written.
            state.Dispose();
            throw new InvalidDataException($"{source} is damaged: {e.Message}", e);
        }
        catch
        {
            state.Dispose();
            throw;
        }
    }
}
