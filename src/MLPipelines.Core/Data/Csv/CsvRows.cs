namespace MLPipelines.Data.Csv;

/// <summary>Where each row of a CSV buffer starts and ends, and on which line it starts.</summary>
internal sealed class CsvRows(byte[] data, List<int> starts, List<int> ends, List<int> lines)
{
    public byte[] Data { get; } = data;

    public int Count => starts.Count;

    /// <summary>The row's bytes, without its line ending.</summary>
    public ReadOnlySpan<byte> this[int row] => Data.AsSpan(starts[row], ends[row] - starts[row]);

    /// <summary>The 1-based line the row starts on.</summary>
    public int Line(int row) => lines[row];

    /// <summary>
    /// Finds the rows of a CSV buffer in one pass. A row ends at a line feed outside quotes
    /// (a preceding carriage return is dropped); a quote opens a quoted field only at the start
    /// of a field, as pandas reads it, so a stray quote inside a value stays a character.
    /// Blank lines are skipped.
    /// </summary>
    public static CsvRows Scan(byte[] data, int offset, byte separator, string source)
    {
        var estimate = Math.Max(16, (data.Length - offset) / 64);
        var starts = new List<int>(estimate);
        var ends = new List<int>(estimate);
        var lines = new List<int>(estimate);
        var span = data.AsSpan();
        var position = offset;
        var line = 1;
        var rowStart = offset;
        var rowLine = 1;

        void AddRow(int end)
        {
            if (end > rowStart && data[end - 1] == (byte)'\r') end--;
            if (end == rowStart) return;
            starts.Add(rowStart);
            ends.Add(end);
            lines.Add(rowLine);
        }

        while (position < span.Length)
        {
            var found = span[position..].IndexOfAny((byte)'"', (byte)'\n');
            if (found < 0) break;
            position += found;
            if (span[position] == (byte)'\n')
            {
                AddRow(position);
                position++;
                line++;
                rowStart = position;
                rowLine = line;
                continue;
            }
            var atFieldStart = position == rowStart || span[position - 1] == separator;
            position++;
            if (!atFieldStart) continue;
            var openingLine = line;
            while (true)
            {
                var closing = span[position..].IndexOf((byte)'"');
                if (closing < 0)
                    throw new CsvFormatException(source, openingLine, null, null, "a quoted field is never closed (the file ends inside quotes)");
                line += span.Slice(position, closing).Count((byte)'\n');
                position += closing + 1;
                if (position < span.Length && span[position] == (byte)'"')
                {
                    position++;
                    continue;
                }
                break;
            }
        }
        AddRow(span.Length);
        return new CsvRows(data, starts, ends, lines);
    }
}
