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

    /// <summary>The 1-based line on which a row starts.</summary>
    public int Line(int row) => _lines[row];

    public RowOrigins Select(ReadOnlySpan<int> rows)
    {
        var lines = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++) lines[i] = _lines[rows[i]];
        return new RowOrigins(Source, lines);
    }
}
