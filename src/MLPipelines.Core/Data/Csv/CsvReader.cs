using System.Text;

namespace MLPipelines.Data.Csv;

/// <summary>
/// Reads CSV into a <see cref="DataTable"/>: a header row, comma-separated fields (or those the
/// header shows: semicolons, tabs, bars; or as set in <see cref="CsvOptions.Separator"/>),
/// double-quoted fields that may hold separators, doubled quotes and line breaks, UTF-8 with or
/// without a byte-order mark, LF or CRLF line endings. A first column without a name holds row
/// names, as pandas and R write them, and is left out of the columns (kept as <see cref="RowOrigins.RowNames"/>).
/// An empty field, or one of <see cref="CsvOptions.MissingValues"/>, is missing. Column types are
/// inferred (<see cref="CsvTypeInference"/>) unless declared. Rows are parsed on several threads.
/// Every problem is a <see cref="CsvFormatException"/> naming the file, line, column and value.
/// </summary>
public static class CsvReader
{
    /// <summary>Reads a CSV file (up to 2 GiB).</summary>
    public static DataTable Read(string path, CsvOptions? options = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist", path);
        var length = new FileInfo(path).Length;
        if (length > Array.MaxLength)
            throw new CsvFormatException(path, null, null, null, $"the file is {length:N0} bytes; files over 2 GiB are not supported");
        return Parse(File.ReadAllBytes(path), path, options ?? new CsvOptions());
    }

    /// <summary>Reads CSV from a stream; <paramref name="sourceName"/> names it in errors and row origins.</summary>
    public static DataTable Read(Stream stream, string sourceName, CsvOptions? options = null)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Parse(buffer.ToArray(), sourceName, options ?? new CsvOptions());
    }

    /// <summary>Reads CSV held in a string.</summary>
    public static DataTable Parse(string text, string sourceName = "text", CsvOptions? options = null) =>
        Parse(Encoding.UTF8.GetBytes(text), sourceName, options ?? new CsvOptions());

    private static DataTable Parse(byte[] data, string source, CsvOptions options)
    {
        if (options.Separator is { } chosen && CsvOptions.SeparatorProblem(chosen) is { } problem) throw new ArgumentException(problem);
        var offset = data.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        var separator = options.Separator is { } given ? (byte)given : CsvSeparator.Detect(data.AsSpan(offset));
        if (options.DecimalMarker is { } givenMarker && new CsvLayout((char)separator, givenMarker).Problem is { } markerProblem)
            throw new ArgumentException(markerProblem);
        var rows = CsvRows.Scan(data, offset, separator, source);
        if (rows.Count == 0) throw new CsvFormatException(source, null, null, null, "the file is empty: there is no header row");

        var names = ReadHeader(rows, separator, source);
        if (rows.Count == 1) throw new CsvFormatException(source, rows.Line(0), null, null, "the file has a header but no data rows");
        foreach (var declared in options.ColumnTypes.Keys)
            if (!options.AllowAbsentDeclaredColumns && !names.Contains(declared))
                throw new CsvFormatException(source, null, declared, null, $"a type is declared for this column but the file has no such column {ColumnList.For(declared, names)}");

        var missing = new MissingTokens(options.MissingValues);
        var decimalMarker = options.DecimalMarker is { } marker ? (byte)marker : CsvDecimalMarker.Detect(rows, separator, names.Length);
        var types = CsvTypeInference.Infer(rows, names, separator, decimalMarker, options, missing, source, out var numbers);
        var rowCount = rows.Count - 1;
        var parsers = names.Select((name, c) => ColumnParser.For(types[c], numbers[c], name, rowCount, missing, decimalMarker)).ToArray();
        var chunkStarts = ParseRows(rows, parsers, separator, decimalMarker, Math.Max(1, options.Threads), options, source);

        var lines = new int[rowCount];
        for (var row = 0; row < rowCount; row++) lines[row] = rows.Line(row + 1);
        var columns = parsers.Select(p => p.Build(chunkStarts)).ToList();
        var rowNames = names[0].Length == 0 ? columns[0] : null;
        return new DataTable(rowNames is null ? columns : columns.Skip(1), new RowOrigins(source, lines) { RowNames = rowNames, Layout = new CsvLayout((char)separator, (char)decimalMarker) });
    }

    private static string[] ReadHeader(CsvRows rows, byte separator, string source)
    {
        var header = rows[0];
        var fields = new CsvField[header.Count(separator) + 1];
        var count = CsvFields.Split(header, separator, fields, out var malformedAt);
        if (count < 0) throw new CsvFormatException(source, rows.Line(0), null, null, $"header field {malformedAt + 1} has text after its closing quote");
        var names = new string[count];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < count; c++)
        {
            names[c] = CsvFields.Text(header, fields[c]).Trim();
            // An unnamed first column holds row names (RowOrigins.RowNamesLeftOut); any other column needs a name.
            if (names[c].Length == 0 && (c > 0 || count == 1))
                throw new CsvFormatException(source, rows.Line(0), null, null, $"header field {c + 1} is empty: every column needs a name");
            if (!seen.TryAdd(names[c], c))
                throw new CsvFormatException(source, rows.Line(0), names[c], names[c], $"the column name appears twice (fields {seen[names[c]] + 1} and {c + 1})");
        }
        return names;
    }

    private sealed record ParseError(int Row, int? Column, string? Value, string Problem);

    /// <summary>Parses every data row into the parsers, in chunks on several threads; returns each chunk's first data row.</summary>
    private static int[] ParseRows(CsvRows rows, ColumnParser[] parsers, byte separator, byte decimalMarker, int threads, CsvOptions options, string source)
    {
        var rowCount = rows.Count - 1;
        var chunkCount = Math.Clamp(rowCount / 4096, 1, threads * 4);
        var chunkStarts = Enumerable.Range(0, chunkCount).Select(c => (int)((long)rowCount * c / chunkCount)).ToArray();
        foreach (var parser in parsers) parser.PrepareChunks(chunkCount);
        var errors = new ParseError?[chunkCount];

        Parallel.For(0, chunkCount, new ParallelOptions { MaxDegreeOfParallelism = threads }, chunk =>
        {
            var fields = new CsvField[parsers.Length + 1];
            var chars = new char[1024];
            byte[]? scratch = null;
            var end = chunk + 1 < chunkCount ? chunkStarts[chunk + 1] : rowCount;
            for (var row = chunkStarts[chunk]; row < end; row++)
            {
                var line = rows[row + 1];
                var count = CsvFields.Split(line, separator, fields, out var malformedAt);
                if (count != parsers.Length)
                {
                    errors[chunk] = count < 0
                        ? new ParseError(row, malformedAt, null, $"field {malformedAt + 1} has text after its closing quote")
                        : new ParseError(row, null, null, $"the row has {count} fields, but the header has {parsers.Length}");
                    return;
                }
                for (var c = 0; c < parsers.Length; c++)
                {
                    var value = CsvFields.Bytes(line, fields[c], ref scratch);
                    if (!parsers[c].TryAdd(chunk, row, value, chars))
                    {
                        errors[chunk] = new ParseError(row, c, Encoding.UTF8.GetString(value), TypeMismatch(parsers[c], options));
                        return;
                    }
                }
            }
        });

        var first = errors.Where(e => e is not null).MinBy(e => e!.Row);
        if (first is not null)
            throw new CsvFormatException(source, rows.Line(first.Row + 1), first.Column is int c ? parsers[c].Name : null, first.Value,
                first.Value is null ? first.Problem
                // Where the value is a number written with a decimal comma, that is the fix, not another column type.
                : first.Column is int n && parsers[n] is NumericParser && ReadsWithDecimalComma(first.Value, separator, decimalMarker) ? $"'{first.Value}' is not a number{DecimalCommaHint}"
                : $"'{first.Value}' {first.Problem}");
        return chunkStarts;
    }

    private const string DecimalCommaHint = " with a decimal point but one with a decimal comma, which the file's first rows did not show: " +
                                            $"set the decimal marker to ',' ({nameof(CsvOptions)}.{nameof(CsvOptions.DecimalMarker)}; --decimal-marker on the command line)";

    /// <summary>Whether a value that should have been a number with a decimal point is one with a decimal comma (where the separator lets it be).</summary>
    private static bool ReadsWithDecimalComma(string value, byte separator, byte decimalMarker) =>
        separator != (byte)',' && decimalMarker == (byte)'.' && value.Contains(',') && Utf8Number.TryParse(Encoding.UTF8.GetBytes(value), out _, (byte)',');

    private static string TypeMismatch(ColumnParser parser, CsvOptions options)
    {
        var what = parser switch
        {
            NumericParser { Values: NumericValues.Numbers } => "is not a number",
            NumericParser { Values: NumericValues.Dates } => "is not an ISO date (yyyy-MM-dd, with a time or not)",
            NumericParser => "is not a number (nor an ISO date)",
            _ => "is not true or false",
        };
        var why = options.ColumnTypes.ContainsKey(parser.Name)
            ? $"the column is declared {parser.Type}"
            : $"the column was inferred {Inferred(parser)} from its first {options.InferenceValues} values; declare its type in {nameof(CsvOptions)}.{nameof(CsvOptions.ColumnTypes)} (e.g. Categorical or Text; --column-types {parser.Name}=categorical on the command line)";
        return $"{what} ({why})";
    }

    private static string Inferred(ColumnParser parser) => parser switch
    {
        NumericParser { Values: NumericValues.Numbers } => "Numeric (numbers)",
        NumericParser { Values: NumericValues.Dates } => "Numeric (ISO dates)",
        _ => parser.Type.ToString(),
    };

    /// <summary>Throws when a row does not have the header's number of fields (used by inference too).</summary>
    internal static void CheckFieldCount(int count, int malformedAt, string[] names, CsvRows rows, int row, string source)
    {
        if (count < 0)
            throw new CsvFormatException(source, rows.Line(row), names[Math.Min(malformedAt, names.Length - 1)], null, $"field {malformedAt + 1} has text after its closing quote");
        if (count != names.Length)
            throw new CsvFormatException(source, rows.Line(row), null, null, $"the row has {count} fields, but the header has {names.Length}");
    }
}
