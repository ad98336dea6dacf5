namespace MLPipelines.Data.Csv;

/// <summary>
/// How a CSV file writes its fields: the separator between them and the decimal marker in numbers. The reader records
/// the one it read a file with (given or detected: <see cref="RowOrigins.Layout"/>), so that what scores the rows can
/// write them back the way the file came — a spreadsheet that wrote semicolons and decimal commas reads them again.
/// </summary>
public sealed record CsvLayout(char Separator, char DecimalMarker)
{
    /// <summary>Commas between fields, points in numbers.</summary>
    public static readonly CsvLayout Default = new(',', '.');

    /// <summary>Why the layout cannot be read back unambiguously, or null when it can.</summary>
    public string? Problem => CsvOptions.SeparatorProblem(Separator) is { } problem ? problem
        : DecimalMarker is not ('.' or ',') ? $"'{DecimalMarker}' cannot be the decimal marker: it is a point or a comma"
        : DecimalMarker == Separator ? $"'{DecimalMarker}' cannot be both the separator and the decimal marker"
        : null;
}
