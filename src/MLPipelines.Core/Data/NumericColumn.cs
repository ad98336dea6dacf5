using System.Globalization;

namespace MLPipelines.Data;

/// <summary>
/// Numbers as doubles. NaN is a missing value. ±Infinity are values here; the featurizers
/// treat them as missing, and a label holding one is an error. Dates are numbers too: days
/// since 1970-01-01, a time of day the fraction (<see cref="HoldsDates"/>).
/// </summary>
public sealed class NumericColumn : DataColumn
{
    private readonly double[] _values;

    public NumericColumn(string name, double[] values) : base(name) => _values = values;

    public override ColumnType Type => ColumnType.Numeric;

    public override int Length => _values.Length;

    public ReadOnlySpan<double> Values => _values;

    public double this[int row] => _values[row];

    /// <summary>
    /// Whether the values are dates, read from a CSV that writes them so (2023-01-15): a model sees the day count, so
    /// that a later date is a larger number, and <see cref="Format"/> writes the date again.
    /// </summary>
    public bool HoldsDates { get; init; }

    public override bool IsMissing(int row) => double.IsNaN(_values[row]);

    public override string? Format(int row) =>
        IsMissing(row) ? null
        : HoldsDates && double.IsFinite(_values[row]) ? Csv.Utf8Date.Format(_values[row])
        : _values[row].ToString("R", CultureInfo.InvariantCulture);

    public override DataColumn Select(ReadOnlySpan<int> rows)
    {
        var values = new double[rows.Length];
        for (var i = 0; i < rows.Length; i++) values[i] = _values[rows[i]];
        return new NumericColumn(Name, values) { HoldsDates = HoldsDates };
    }

    public override DataColumn Rename(string name) => new NumericColumn(name, _values) { HoldsDates = HoldsDates };
}
