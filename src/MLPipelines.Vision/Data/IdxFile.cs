using System.Buffers.Binary;
using System.IO.Compression;

namespace MLPipelines.Vision.Data;

/// <summary>An array of unsigned bytes read from an IDX file: its dimensions and its values in row-major order.</summary>
public sealed record IdxArray(int[] Shape, byte[] Values)
{
    /// <summary>The length of the first dimension (images or labels).</summary>
    public int Count => Shape[0];
}

/// <summary>
/// The IDX format of MNIST and Fashion-MNIST (LeCun et al.): two zero bytes, a type byte (0x08: unsigned
/// byte, the only one these datasets use), a dimension count, each dimension as a big-endian int32,
/// then the values. Files ending in .gz are decompressed on the fly.
/// </summary>
public static class IdxFile
{
    private const byte UnsignedByte = 0x08;

    /// <summary>Reads an IDX file; a malformed one is an <see cref="InvalidDataException"/> that names the file and the fault.</summary>
    public static IdxArray Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no IDX file at {path}", path);
        using var file = File.OpenRead(path);
        using var stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        try
        {
            return Read(stream, path);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: the gzip stream is damaged ({e.Message})", e);
        }
    }

    /// <summary>Reads IDX from a stream; <paramref name="source"/> names it in errors.</summary>
    public static IdxArray Read(Stream stream, string source)
    {
        Span<byte> magic = stackalloc byte[4];
        if (!Fill(stream, magic))
            throw new InvalidDataException($"{source}: not an IDX file: shorter than its 4-byte header");
        if (magic[0] != 0 || magic[1] != 0)
            throw new InvalidDataException($"{source}: not an IDX file: it starts with 0x{magic[0]:X2} 0x{magic[1]:X2}, not two zero bytes");
        if (magic[2] != UnsignedByte)
            throw new InvalidDataException($"{source}: IDX values of type 0x{magic[2]:X2}; only unsigned bytes (0x08) are read");
        if (magic[3] == 0)
            throw new InvalidDataException($"{source}: an IDX file of zero dimensions");

        var shape = new int[magic[3]];
        Span<byte> size = stackalloc byte[4];
        long count = 1;
        for (var d = 0; d < shape.Length; d++)
        {
            if (!Fill(stream, size))
                throw new InvalidDataException($"{source}: truncated: the header declares {shape.Length} dimensions but ends after {d}");
            shape[d] = BinaryPrimitives.ReadInt32BigEndian(size);
            if (shape[d] < 0) throw new InvalidDataException($"{source}: dimension {d} has negative size {shape[d]}");
            count *= shape[d];
        }
        if (count > Array.MaxLength)
            throw new InvalidDataException($"{source}: {count:N0} values ([{string.Join(", ", shape)}]) are more than one array holds");

        var values = new byte[count];
        var read = ReadFully(stream, values);
        if (read < count)
            throw new InvalidDataException($"{source}: truncated: [{string.Join(", ", shape)}] needs {count:N0} values, the file has {read:N0}");
        if (stream.ReadByte() >= 0)
            throw new InvalidDataException($"{source}: more data than its header's [{string.Join(", ", shape)}] declares");
        return new IdxArray(shape, values);
    }

    private static bool Fill(Stream stream, Span<byte> buffer) => ReadFully(stream, buffer) == buffer.Length;

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>Writes an unsigned-byte IDX file (gzip-compressed when the name ends in .gz): tests and dataset slices.</summary>
    public static void Write(string path, IdxArray array)
    {
        if (array.Shape.Aggregate(1L, (a, b) => a * b) != array.Values.LongLength)
            throw new ArgumentException($"[{string.Join(", ", array.Shape)}] does not hold {array.Values.Length} values", nameof(array));
        var partial = path + ".partial";
        using (var file = File.Create(partial))
        using (var stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionLevel.Fastest) : (Stream)file)
        {
            stream.Write([0, 0, UnsignedByte, checked((byte)array.Shape.Length)]);
            Span<byte> size = stackalloc byte[4];
            foreach (var dimension in array.Shape)
            {
                BinaryPrimitives.WriteInt32BigEndian(size, dimension);
                stream.Write(size);
            }
            stream.Write(array.Values);
        }
        File.Move(partial, path, overwrite: true);
    }
}
