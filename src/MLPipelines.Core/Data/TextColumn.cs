namespace MLPipelines.Data;

/// <summary>Free text; null is missing.</summary>
public sealed class TextColumn : DataColumn
{
    private readonly string?[] _values;

    public TextColumn(string name, string?[] values) : base(name) => _values = values;

    public override ColumnType Type => ColumnType.Text;

    public override int Length => _values.Length;

    public string? this[int row] => _values[row];

    public override bool IsMissing(int row) => _values[row] is null;

    public override string? Format(int row) => _values[row];

    public override DataColumn Select(ReadOnlySpan<int> rows)
    {
        var values = new string?[rows.Length];
        for (var i = 0; i < rows.Length; i++) values[i] = _values[rows[i]];
        return new TextColumn(Name, values);
    }

    public override DataColumn Rename(string name) => new TextColumn(name, _values);
}
