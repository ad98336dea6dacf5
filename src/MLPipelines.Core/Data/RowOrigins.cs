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
    /// Whether the file's first column, unnamed, held row names (pandas' <c>to_csv</c> writes its
    /// index so, R's <c>write.csv</c> its row names) and was left out of the table: they name
    /// rows, and as a feature a row number would follow the file's order (often the label's).
    /// </summary>
    public bool RowNamesLeftOut { get; init; }

    /// <summary>The 1-based line on which a row starts.</summary>
    public int Line(int row) => _lines[row];

    public RowOrigins Select(ReadOnlySpan<int> rows)
    {
        var lines = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++) lines[i] = _lines[rows[i]];
        return new RowOrigins(Source, lines) { RowNamesLeftOut = RowNamesLeftOut };
    }
}
