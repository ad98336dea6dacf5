using System.Text;

namespace MLPipelines.Data.Csv;

/// <summary>
/// Turns one column's field values into a <see cref="DataColumn"/>. Rows are parsed in
/// chunks on several threads: every chunk writes only its own rows, and state that is shared
/// by rows (categorical levels) is kept per chunk and merged in chunk order at the end.
/// </summary>
internal abstract class ColumnParser(string name, int rows)
{
    public string Name { get; } = name;

    protected int Rows { get; } = rows;

    public abstract ColumnType Type { get; }

    public virtual void PrepareChunks(int chunkCount) { }

    /// <summary>Stores the value of a row; false when it does not fit the column's type.</summary>
    public abstract bool TryAdd(int chunk, int row, ReadOnlySpan<byte> value, Span<char> scratch);

    /// <summary>The finished column; <paramref name="chunkStarts"/> gives each chunk's first row.</summary>
    public abstract DataColumn Build(int[] chunkStarts);

    public static ColumnParser For(ColumnType type, NumericValues numbers, string name, int rows, MissingTokens missing, byte decimalMarker) => type switch
    {
        ColumnType.Numeric => new NumericParser(name, rows, missing, decimalMarker, numbers),
        ColumnType.Boolean => new BooleanParser(name, rows, missing),
        ColumnType.Text => new TextParser(name, rows, missing),
        _ => new CategoricalParser(name, rows, missing),
    };

    protected static ReadOnlySpan<char> Decode(ReadOnlySpan<byte> value, Span<char> scratch)
    {
        if (Encoding.UTF8.GetMaxCharCount(value.Length) > scratch.Length) return Encoding.UTF8.GetString(value);
        return scratch[..Encoding.UTF8.GetChars(value, scratch)];
    }
}

/// <summary>
/// Numbers, or ISO dates as days since 1970-01-01 (<see cref="Utf8Date"/>), as <see cref="Values"/> allows; a column of
/// dates only is marked as one.
/// </summary>
internal sealed class NumericParser(string name, int rows, MissingTokens missing, byte decimalMarker, NumericValues values) : ColumnParser(name, rows)
{
    /// <summary>What the column may hold: a date in a column inferred to hold numbers (or the reverse) does not fit it.</summary>
    public NumericValues Values { get; } = values;

    private readonly double[] _values = new double[rows];

    /// <summary>Per chunk: whether it held a number, a date (each chunk writes only its own).</summary>
    private (bool Number, bool Date)[] _seen = [];

    public override ColumnType Type => ColumnType.Numeric;

    public override void PrepareChunks(int chunkCount) => _seen = new (bool, bool)[chunkCount];

    public override bool TryAdd(int chunk, int row, ReadOnlySpan<byte> value, Span<char> scratch)
    {
        // Missing tokens first: a numeric sentinel such as -999 can be declared missing.
        if (missing.IsMissing(value) || value.Trim((byte)' ').IsEmpty)
        {
            _values[row] = double.NaN;
            return true;
        }
        // Each flag is written once per chunk: chunks on other threads share its cache line, and a write per value would
        // make the cores fight over it.
        ref var seen = ref _seen[chunk];
        if (Values != NumericValues.Dates && Utf8Number.TryParse(value, out _values[row], decimalMarker))
        {
            if (!seen.Number) seen.Number = true;
        }
        else if (Values != NumericValues.Numbers && Utf8Date.TryParse(value, out _values[row]))
        {
            if (!seen.Date) seen.Date = true;
        }
        else return false;
        return true;
    }

    public override DataColumn Build(int[] chunkStarts) =>
        new NumericColumn(Name, _values) { HoldsDates = Values == NumericValues.Dates || (_seen.Any(s => s.Date) && !_seen.Any(s => s.Number)) };
}

internal sealed class BooleanParser(string name, int rows, MissingTokens missing) : ColumnParser(name, rows)
{
    private readonly sbyte[] _values = new sbyte[rows];

    public override ColumnType Type => ColumnType.Boolean;

    public override bool TryAdd(int chunk, int row, ReadOnlySpan<byte> value, Span<char> scratch)
    {
        var trimmed = value.Trim((byte)' ');
        if (Ascii.EqualsIgnoreCase(trimmed, "true"u8)) _values[row] = 1;
        else if (Ascii.EqualsIgnoreCase(trimmed, "false"u8)) _values[row] = 0;
        else if (missing.IsMissing(value) || trimmed.IsEmpty) _values[row] = BooleanColumn.Missing;
        else return false;
        return true;
    }

    public override DataColumn Build(int[] chunkStarts) => new BooleanColumn(Name, _values);
}

internal sealed class TextParser(string name, int rows, MissingTokens missing) : ColumnParser(name, rows)
{
    private readonly string?[] _values = new string?[rows];

    public override ColumnType Type => ColumnType.Text;

    public override bool TryAdd(int chunk, int row, ReadOnlySpan<byte> value, Span<char> scratch)
    {
        _values[row] = missing.IsMissing(value) ? null : Encoding.UTF8.GetString(value);
        return true;
    }

    public override DataColumn Build(int[] chunkStarts) => new TextColumn(Name, _values);
}

internal sealed class CategoricalParser(string name, int rows, MissingTokens missing) : ColumnParser(name, rows)
{
    private readonly int[] _codes = new int[rows];
    private List<string>[] _chunkLevels = [];
    private Dictionary<string, int>[] _chunkIndex = [];

    public override ColumnType Type => ColumnType.Categorical;

    public override void PrepareChunks(int chunkCount)
    {
        _chunkLevels = Enumerable.Range(0, chunkCount).Select(_ => new List<string>()).ToArray();
        _chunkIndex = Enumerable.Range(0, chunkCount).Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();
    }

    public override bool TryAdd(int chunk, int row, ReadOnlySpan<byte> value, Span<char> scratch)
    {
        if (missing.IsMissing(value))
        {
            _codes[row] = CategoricalColumn.Missing;
            return true;
        }
        var text = Decode(value, scratch);
        var index = _chunkIndex[chunk];
        if (!index.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(text, out var code))
        {
            var level = text.ToString();
            code = _chunkLevels[chunk].Count;
            index.Add(level, code);
            _chunkLevels[chunk].Add(level);
        }
        _codes[row] = code;
        return true;
    }

    /// <summary>Merges the chunks' levels in chunk order (so levels are in order of first appearance in the file) and recodes each chunk's rows.</summary>
    public override DataColumn Build(int[] chunkStarts)
    {
        var levels = new List<string>();
        var global = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var chunk = 0; chunk < _chunkLevels.Length; chunk++)
        {
            var map = new int[_chunkLevels[chunk].Count];
            for (var local = 0; local < map.Length; local++)
            {
                var level = _chunkLevels[chunk][local];
                if (!global.TryGetValue(level, out var code))
                {
                    code = levels.Count;
                    global.Add(level, code);
                    levels.Add(level);
                }
                map[local] = code;
            }
            var end = chunk + 1 < chunkStarts.Length ? chunkStarts[chunk + 1] : Rows;
            for (var row = chunkStarts[chunk]; row < end; row++)
                if (_codes[row] >= 0) _codes[row] = map[_codes[row]];
        }
        return new CategoricalColumn(Name, levels.ToArray(), _codes);
    }
}
