namespace MLPipelines.Data;

/// <summary>true / false values, stored as 1 / 0; -1 is missing.</summary>
public sealed class BooleanColumn : DataColumn
{
    public const sbyte Missing = -1;

    private readonly sbyte[] _values;

    public BooleanColumn(string name, sbyte[] values) : base(name) => _values = values;

    public static BooleanColumn FromValues(string name, IReadOnlyList<bool?> values) =>
        new(name, values.Select(v => v is null ? Missing : v.Value ? (sbyte)1 : (sbyte)0).ToArray());

    public override ColumnType Type => ColumnType.Boolean;

    public override int Length => _values.Length;

    /// <summary>1, 0, or -1 when missing.</summary>
    public ReadOnlySpan<sbyte> Values => _values;

    public bool? this[int row] => _values[row] == Missing ? null : _values[row] == 1;

    public override bool IsMissing(int row) => _values[row] == Missing;

    public override string? Format(int row) => this[row] switch { null => null, true => "true", false => "false" };

    public override DataColumn Select(ReadOnlySpan<int> rows)
    {
        var values = new sbyte[rows.Length];
        for (var i = 0; i < rows.Length; i++) values[i] = _values[rows[i]];
        return new BooleanColumn(Name, values);
    }

    public override DataColumn Rename(string name) => new BooleanColumn(name, _values);
}
