using System.Text;

namespace MLPipelines.Data.Csv;

/// <summary>Writes a <see cref="DataTable"/> as CSV that <see cref="CsvReader"/> reads back to the same values.</summary>
public static class CsvWriter
{
    /// <summary>Writes to a file, through a temporary file renamed into place.</summary>
    public static void Write(DataTable table, string path, char separator = ',')
    {
        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var writer = new StreamWriter(temporary, false, new UTF8Encoding(false)))
                Write(table, writer, separator);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Writes header and rows; missing values are empty fields, numbers are written round-trippably.</summary>
    public static void Write(DataTable table, TextWriter writer, char separator = ',')
    {
        writer.Write(string.Join(separator, table.Columns.Select(c => Escape(c.Name, separator))));
        writer.Write('\n');
        for (var row = 0; row < table.RowCount; row++)
        {
            for (var c = 0; c < table.Columns.Count; c++)
            {
                if (c > 0) writer.Write(separator);
                var value = table.Columns[c].Format(row);
                if (value is not null) writer.Write(Escape(value, separator));
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
