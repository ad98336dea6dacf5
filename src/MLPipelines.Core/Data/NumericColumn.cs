using System.Globalization;

namespace MLPipelines.Data;

/// <summary>
/// Numbers as doubles. NaN is a missing value. ±Infinity are values here; the featurizers
/// treat them as missing, and a label holding one is an error.
/// </summary>
public sealed class NumericColumn : DataColumn
{
    private readonly double[] _values;

    public NumericColumn(string name, double[] values) : base(name) => _values = values;

    public override ColumnType Type => ColumnType.Numeric;

    public override int Length => _values.Length;

    public ReadOnlySpan<double> Values => _values;

    public double this[int row] => _values[row];

    public override bool IsMissing(int row) => double.IsNaN(_values[row]);

    public override string? Format(int row) =>
        IsMissing(row) ? null : _values[row].ToString("R", CultureInfo.InvariantCulture);

    public override DataColumn Select(ReadOnlySpan<int> rows)
    {
        var values = new double[rows.Length];
        for (var i = 0; i < rows.Length; i++) values[i] = _values[rows[i]];
        return new NumericColumn(Name, values);
    }

    public override DataColumn Rename(string name) => new NumericColumn(name, _values);
}
