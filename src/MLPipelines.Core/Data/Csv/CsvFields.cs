using System.Text;

namespace MLPipelines.Data.Csv;

/// <summary>A field of a row: where its content is, and whether it was quoted.</summary>
internal readonly record struct CsvField(int Start, int Length, bool Quoted, bool HasEscapedQuotes);

/// <summary>Splits rows into fields and turns fields into text.</summary>
internal static class CsvFields
{
    /// <summary>
    /// Splits a row into fields, writing at most <c>fields.Length</c> of them, and returns how
    /// many the row has (more than were written when the row is too long). Returns -1 and sets
    /// <paramref name="malformedAt"/> when a closing quote is followed by something other than
    /// a separator.
    /// </summary>
    public static int Split(ReadOnlySpan<byte> row, byte separator, Span<CsvField> fields, out int malformedAt)
    {
        malformedAt = -1;
        var count = 0;
        var position = 0;
        while (true)
        {
            CsvField field;
            if (position < row.Length && row[position] == (byte)'"')
            {
                var contentStart = position + 1;
                var p = contentStart;
                var escapes = false;
                while (true)
                {
                    var q = row[p..].IndexOf((byte)'"');
                    if (q < 0)
                    {
                        malformedAt = count;
                        return -1;
                    }
                    p += q;
                    if (p + 1 < row.Length && row[p + 1] == (byte)'"')
                    {
                        escapes = true;
                        p += 2;
                        continue;
                    }
                    break;
                }
                field = new CsvField(contentStart, p - contentStart, true, escapes);
                position = p + 1;
                if (position < row.Length && row[position] != separator)
                {
                    malformedAt = count;
                    return -1;
                }
            }
            else
            {
                var next = row[position..].IndexOf(separator);
                var end = next < 0 ? row.Length : position + next;
                field = new CsvField(position, end - position, false, false);
                position = end;
            }
            if (count < fields.Length) fields[count] = field;
            count++;
            if (position >= row.Length) return count;
            position++;
        }
    }

    /// <summary>The field's bytes; quoted fields with doubled quotes are unescaped into <paramref name="scratch"/>.</summary>
    public static ReadOnlySpan<byte> Bytes(ReadOnlySpan<byte> row, CsvField field, ref byte[]? scratch)
    {
        var raw = row.Slice(field.Start, field.Length);
        if (!field.HasEscapedQuotes) return raw;
        if (scratch is null || scratch.Length < raw.Length) scratch = new byte[Math.Max(raw.Length, 256)];
        var length = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            scratch[length++] = raw[i];
            if (raw[i] == (byte)'"') i++;
        }
        return scratch.AsSpan(0, length);
    }

    public static string Text(ReadOnlySpan<byte> row, CsvField field)
    {
        byte[]? scratch = null;
        return Encoding.UTF8.GetString(Bytes(row, field, ref scratch));
    }
}
