using MLPipelines.Data.Csv;

namespace MLPipelines.Data;

/// <summary>
/// Where each row of a table came from (a file and the line each row started on), so that
/// errors about a row can name the line a user can open.
/// </summary>
public sealed class RowOrigins
{
    private readonly int[] _lines;

    public RowOrigins(string source, int[] lines)
    {
        Source = source;
        _lines = lines;
    }

    /// <summary>The file or stream the rows were read from.</summary>
    public string Source { get; }

    /// <summary>
    /// The file's first column when it was unnamed and so held row names (pandas' <c>to_csv</c> writes its
    /// index so, R's <c>write.csv</c> its row names), left out of the table: they name
    /// rows, and as a feature a row number would follow the file's order (often the label's).
    /// Null when the file had none. What scores the rows writes them back first, as they were.
    /// </summary>
    public DataColumn? RowNames { get; init; }

    /// <summary>
    /// The separator and decimal marker the file was read with (given or detected); what scores the rows writes them
    /// back so. Null for rows not read from a CSV file.
    /// </summary>
    public CsvLayout? Layout { get; init; }

    /// <summary>Whether the file's first column held row names and was left out of the table (<see cref="RowNames"/>).</summary>
    public bool RowNamesLeftOut => RowNames is not null;

    /// <summary>The 1-based line on which a row starts.</summary>
    public int Line(int row) => _lines[row];

    public RowOrigins Select(ReadOnlySpan<int> rows)
    {
        var lines = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++) lines[i] = _lines[rows[i]];
        return new RowOrigins(Source, lines) { RowNames = RowNames?.Select(rows), Layout = Layout };
    }
}
