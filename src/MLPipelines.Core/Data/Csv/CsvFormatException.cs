namespace MLPipelines.Data.Csv;

/// <summary>A CSV file that cannot be read as a table: the message names the file, line, column and value where known.</summary>
public sealed class CsvFormatException : Exception
{
    public CsvFormatException(string source, int? line, string? column, string? value, string problem)
        : base(Describe(source, line, column) + ": " + problem)
    {
        Source = source;
        Line = line;
        Column = column;
        Value = value;
    }

    /// <summary>The file (or stream name) being read.</summary>
    public new string Source { get; }

    /// <summary>The 1-based line, when the problem is on one.</summary>
    public int? Line { get; }

    /// <summary>The column name, when the problem is in one.</summary>
    public string? Column { get; }

    /// <summary>The offending field value, when there is one.</summary>
    public string? Value { get; }

    private static string Describe(string source, int? line, string? column) =>
        source + (line is null ? "" : $", line {line}") + (column is null ? "" : $", column '{column}'");
}
