using MLPipelines.Data;
using MLPipelines.Data.Csv;

namespace MLPipelines.Cli.Shared;

internal static class TypedCsv
{
    /// <summary>
    /// Rows to score: the CSV with the given columns read as the given types; a given column the
    /// CSV lacks (the label, say) is all missing — false for Booleans, which ML.NET cannot leave missing —
    /// unless it is one the model reads (<paramref name="required"/>): then the CSV is refused, since every
    /// row would be scored as if that value were unknown. <paramref name="absent"/>: the columns added so, which the file
    /// did not have (predict does not write them back).
    /// </summary>
    public static DataTable Read(string path, IReadOnlyDictionary<string, ColumnType> types, IReadOnlySet<string> required, out IReadOnlySet<string> absent)
    {
        var table = CsvReader.Read(path, CsvFormat.Given with { ColumnTypes = types, AllowAbsentDeclaredColumns = true });
        var lacking = required.Where(name => !table.Schema.Contains(name)).ToList();
        if (lacking.Count > 0)
            throw new DataValidationException($"{Path.GetFileName(path)} lacks {lacking.Count} of the {required.Count} columns the model reads: " +
                                              $"{string.Join(", ", lacking.Take(10))}{(lacking.Count > 10 ? ", …" : "")}; empty cells are scored as missing values, " +
                                              "but a column left out of the file would be missing in every row");
        var added = new HashSet<string>(StringComparer.Ordinal);
        absent = added;
        foreach (var (name, type) in types)
        {
            if (table.Schema.Contains(name)) continue;
            added.Add(name);
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
