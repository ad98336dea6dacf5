using System.Text;

namespace MLPipelines.Data.Csv;

/// <summary>
/// Writes a <see cref="DataTable"/> as CSV that <see cref="CsvReader"/> reads back to the same values: commas and decimal
/// points, or the separator and decimal marker of a <see cref="CsvLayout"/> (the one an input file was read with, say).
/// </summary>
public static class CsvWriter
{
    /// <summary>Writes to a file, through a temporary file renamed into place.</summary>
    public static void Write(DataTable table, string path, CsvLayout? layout = null)
    {
        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var writer = new StreamWriter(temporary, false, new UTF8Encoding(false)))
                Write(table, writer, layout);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Writes header and rows; missing values are empty fields, numbers are written round-trippably.</summary>
    public static void Write(DataTable table, TextWriter writer, CsvLayout? layout = null)
    {
        var (separator, decimalMarker) = layout ?? CsvLayout.Default;
        if (layout?.Problem is { } problem) throw new ArgumentException(problem);
        // Numbers format with a point; dates hold none.
        var decimalCommas = table.Columns.Select(c => decimalMarker == ',' && c is NumericColumn { HoldsDates: false }).ToArray();
        writer.Write(string.Join(separator, table.Columns.Select(c => Escape(c.Name, separator))));
        writer.Write('\n');
        for (var row = 0; row < table.RowCount; row++)
        {
            for (var c = 0; c < table.Columns.Count; c++)
            {
                if (c > 0) writer.Write(separator);
                var value = table.Columns[c].Format(row);
                if (value is not null) writer.Write(Escape(decimalCommas[c] ? value.Replace('.', ',') : value, separator));
            }
            writer.Write('\n');
        }
    }

    private static string Escape(string value, char separator)
    {
        var needsQuotes = value.Length == 0 || value.Contains(separator) || value.Contains('"') || value.Contains('\n') || value.Contains('\r');
        return needsQuotes ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
