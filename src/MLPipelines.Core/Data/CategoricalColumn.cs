namespace MLPipelines.Data;

/// <summary>
/// Values from a set of levels, stored as codes into <see cref="Levels"/>; -1 is missing.
/// The levels are in order of first appearance in the data the column was read from.
/// </summary>
public sealed class CategoricalColumn : DataColumn
{
    /// <summary>The code of a missing value.</summary>
    public const int Missing = -1;

    private readonly string[] _levels;
    private readonly int[] _codes;

    public CategoricalColumn(string name, string[] levels, int[] codes) : base(name)
    {
        _levels = levels;
        _codes = codes;
    }

    /// <summary>Encodes string values (null = missing), levels in order of first appearance.</summary>
    public static CategoricalColumn FromValues(string name, IReadOnlyList<string?> values)
    {
        var levels = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var codes = new int[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            if (value is null)
            {
                codes[i] = Missing;
                continue;
            }
            if (!index.TryGetValue(value, out var code))
            {
                code = levels.Count;
                index.Add(value, code);
                levels.Add(value);
            }
            codes[i] = code;
        }
        return new CategoricalColumn(name, levels.ToArray(), codes);
    }

    public override ColumnType Type => ColumnType.Categorical;

    public override int Length => _codes.Length;

    public IReadOnlyList<string> Levels => _levels;

    public ReadOnlySpan<int> Codes => _codes;

    /// <summary>The value of a row, or null when missing.</summary>
    public string? this[int row] => _codes[row] == Missing ? null : _levels[_codes[row]];

    public override bool IsMissing(int row) => _codes[row] == Missing;

    public override string? Format(int row) => this[row];

    public override DataColumn Select(ReadOnlySpan<int> rows)
    {
        var codes = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++) codes[i] = _codes[rows[i]];
        return new CategoricalColumn(Name, _levels, codes);
    }

    public override DataColumn Rename(string name) => new CategoricalColumn(name, _levels, _codes);
}
