using MLPipelines.Data;
using MLPipelines.Data.Csv;

namespace MLPipelines.Cli.Shared;

internal static class TypedCsv
{
    /// <summary>
    /// Rows to score: the CSV with the given columns read as the given types; a given column the
    /// CSV lacks (the label, say) is all missing — false for Booleans, which ML.NET cannot leave missing.
    /// </summary>
    public static DataTable Read(string path, IReadOnlyDictionary<string, ColumnType> types)
    {
        var table = CsvReader.Read(path, new CsvOptions { ColumnTypes = types, AllowAbsentDeclaredColumns = true });
        foreach (var (name, type) in types)
        {
            if (table.Schema.Contains(name)) continue;
            var rows = table.RowCount;
            table = table.WithColumn(type switch
            {
                ColumnType.Numeric => new NumericColumn(name, Enumerable.Repeat(double.NaN, rows).ToArray()),
                ColumnType.Boolean => new BooleanColumn(name, new sbyte[rows]),
                _ => new CategoricalColumn(name, [], Enumerable.Repeat(CategoricalColumn.Missing, rows).ToArray()),
            });
        }
        return table;
    }
}
