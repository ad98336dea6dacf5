namespace MLPipelines.Data;

/// <summary>
/// An immutable columnar table: typed columns of equal length, each with missing values.
/// Operations return new tables and never change this one.
/// </summary>
public sealed class DataTable
{
    private readonly DataColumn[] _columns;

    public DataTable(IEnumerable<DataColumn> columns, RowOrigins? origins = null)
    {
        _columns = columns.ToArray();
        Schema = new DataSchema(_columns.Select(c => c.Schema));
        RowCount = _columns.Length == 0 ? 0 : _columns[0].Length;
        foreach (var column in _columns)
            if (column.Length != RowCount)
                throw new ArgumentException($"column '{column.Name}' has {column.Length} rows but '{_columns[0].Name}' has {RowCount}");
        Origins = origins;
    }

    public DataSchema Schema { get; }

    public int RowCount { get; }

    public IReadOnlyList<DataColumn> Columns => _columns;

    /// <summary>Where the rows came from, when they were read from a file.</summary>
    public RowOrigins? Origins { get; }

    /// <exception cref="KeyNotFoundException">No column has this name; the message lists the columns.</exception>
    public DataColumn this[string name] => _columns[Schema.IndexOf(name)];

    /// <summary>A column of a given type.</summary>
    /// <exception cref="KeyNotFoundException">No column has this name.</exception>
    /// <exception cref="InvalidOperationException">The column has another type.</exception>
    public T Column<T>(string name) where T : DataColumn
    {
        var column = this[name];
        return column as T ?? throw new InvalidOperationException($"column '{name}' is {column.Type}, not {typeof(T).Name.Replace("Column", "")}");
    }

    /// <summary>Describes a row for error messages: "line 17 of data.csv", or "row 17" when the table was not read from a file.</summary>
    public string DescribeRow(int row) => Origins is null ? $"row {row + 1}" : $"line {Origins.Line(row)} of {Origins.Source}";

    /// <summary>A table with the given rows, in that order.</summary>
    public DataTable Select(ReadOnlySpan<int> rows)
    {
        var columns = new DataColumn[_columns.Length];
        for (var c = 0; c < columns.Length; c++) columns[c] = _columns[c].Select(rows);
        return new DataTable(columns, Origins?.Select(rows));
    }

    /// <summary>A table with this column added, or replacing the column of the same name.</summary>
    public DataTable WithColumn(DataColumn column)
    {
        if (column.Length != RowCount && _columns.Length > 0)
            throw new ArgumentException($"column '{column.Name}' has {column.Length} rows but the table has {RowCount}");
        var columns = _columns.ToList();
        var index = columns.FindIndex(c => c.Name == column.Name);
        if (index >= 0) columns[index] = column;
        else columns.Add(column);
        return new DataTable(columns, Origins);
    }

    /// <summary>A table without the named columns (names that are absent are ignored).</summary>
    public DataTable WithoutColumns(params string[] names) =>
        new(_columns.Where(c => !names.Contains(c.Name)), Origins);

    public override string ToString() => $"{RowCount} rows × {_columns.Length} columns ({Schema})";
}
