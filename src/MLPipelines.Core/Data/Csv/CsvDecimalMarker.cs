namespace MLPipelines.Data.Csv;

/// <summary>
/// Whether a CSV file writes numbers with a decimal comma, when the reader is not told: only where
/// its fields are not separated by commas (a comma-separated field cannot hold an unquoted one), and
/// its first rows hold numbers with a decimal comma and none with a decimal point.
/// </summary>
internal static class CsvDecimalMarker
{
    /// <summary>Data rows looked at: numbers with fractions show early in a column that has them.</summary>
    private const int RowsScanned = 1000;

    public static byte Detect(CsvRows rows, byte separator, int columns)
    {
        if (separator == (byte)',') return (byte)'.';
        var fields = new CsvField[columns + 1];
        byte[]? scratch = null;
        var (commas, points) = (0, 0);
        for (var row = 1; row < rows.Count && row <= RowsScanned; row++)
        {
            var line = rows[row];
            var count = CsvFields.Split(line, separator, fields, out _);
            for (var c = 0; c < count; c++)
            {
                var value = CsvFields.Bytes(line, fields[c], ref scratch);
                if (value.Contains((byte)',') && Utf8Number.TryParse(value, out _, (byte)',')) commas++;
                else if (value.Contains((byte)'.') && Utf8Number.TryParse(value, out _)) points++;
            }
        }
        return commas > 0 && points == 0 ? (byte)',' : (byte)'.';
    }
}
