namespace MLPipelines.Data.Csv;

/// <summary>How to read a CSV file. Every property has a default that fits ordinary files.</summary>
public sealed record CsvOptions
{
    /// <summary>
    /// The field separator. Default null: detected from the header row, the one of comma, semicolon,
    /// tab and vertical bar found most often there outside quotes (a comma on a tie or where none is).
    /// </summary>
    public char? Separator { get; init; }

    /// <summary>Why a character cannot separate fields, or null when it can: any ASCII character but a quote or a line break.</summary>
    public static string? SeparatorProblem(char separator) => separator is '"' or '\n' or '\r' or > (char)127
        ? $"'{separator}' cannot be a separator: it must be an ASCII character other than a quote or a line break"
        : null;

    /// <summary>
    /// What separates a number's integer part from its fraction: '.' or ','. Default null: a comma
    /// where the file is not comma-separated and its first rows write numbers with decimal commas and
    /// never with decimal points (a spreadsheet's export in a locale that writes 2,5), else a point.
    /// With a comma, a point in a number is an error: it may be a thousands separator.
    /// </summary>
    public char? DecimalMarker { get; init; }

    /// <summary>
    /// Field values that mean "missing", besides an empty field (which always does).
    /// Default: NA, N/A, NaN, null, NULL. Matched exactly, case-sensitively.
    /// </summary>
    public IReadOnlyList<string> MissingValues { get; init; } = ["NA", "N/A", "NaN", "null", "NULL"];

    /// <summary>
    /// How many non-missing values of each column type inference looks at (from the top of
    /// the file). A value later in the file that does not fit the inferred type is an error
    /// that names the line; declare the column's type in <see cref="ColumnTypes"/> then. Default 1000.
    /// </summary>
    public int InferenceValues { get; init; } = 1000;

    /// <summary>
    /// Column types that replace inference, by column name: for example a numeric-looking
    /// column that holds category codes, declared <see cref="ColumnType.Categorical"/>.
    /// Naming a column the file does not have is an error.
    /// </summary>
    public IReadOnlyDictionary<string, ColumnType> ColumnTypes { get; init; } = new Dictionary<string, ColumnType>();

    /// <summary>
    /// When true, a column named in <see cref="ColumnTypes"/> may be absent from the file (used
    /// when reading rows to predict with a model's schema, which names the label). Default false:
    /// a declared column that is not in the file is an error, which catches misspelled names.
    /// </summary>
    public bool AllowAbsentDeclaredColumns { get; init; }

    /// <summary>How many threads parse the rows. Default: all cores.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
}
