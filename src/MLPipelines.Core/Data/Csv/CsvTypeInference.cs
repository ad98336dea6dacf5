using System.Text;

namespace MLPipelines.Data.Csv;

/// <summary>
/// Infers each column's type from its first non-missing values:
/// <list type="bullet">
/// <item>all numbers → <see cref="ColumnType.Numeric"/> (also a column with no value at all);</item>
/// <item>all ISO dates → <see cref="ColumnType.Numeric"/>, days since 1970-01-01 (<see cref="Utf8Date"/>);</item>
/// <item>all true/false (any case) → <see cref="ColumnType.Boolean"/>;</item>
/// <item>mostly values with spaces and mostly distinct → <see cref="ColumnType.Text"/>;</item>
/// <item>anything else → <see cref="ColumnType.Categorical"/>.</item>
/// </list>
/// Numeric-looking category codes are inferred numeric: declare them categorical.
/// </summary>
/// <remarks>A column inferred to hold numbers does not take a date later on, nor one of dates a number (the parse names the line).</remarks>
internal static class CsvTypeInference
{
    /// <summary>Rows looked at for columns that are still missing everywhere, before calling them numeric.</summary>
    private const int MaximumRowsScanned = 100_000;

    private sealed class Evidence
    {
        public int Values, Numbers, Dates, Booleans, WithSpaces;
        public readonly HashSet<string> Distinct = new(StringComparer.Ordinal);
    }

    /// <summary>
    /// Each column's type; <paramref name="numbers"/> says what a numeric column was inferred to hold, so that a later
    /// value of the other kind is refused rather than read: <see cref="NumericValues.Dates"/> or
    /// <see cref="NumericValues.Numbers"/>; <see cref="NumericValues.Either"/> where the type was declared or nothing was seen.
    /// </summary>
    public static ColumnType[] Infer(CsvRows rows, string[] names, byte separator, byte decimalMarker, CsvOptions options, MissingTokens missing, string source,
        out NumericValues[] numbers)
    {
        var types = new ColumnType?[names.Length];
        for (var c = 0; c < names.Length; c++)
            if (options.ColumnTypes.TryGetValue(names[c], out var declared)) types[c] = declared;

        var evidence = names.Select(_ => new Evidence()).ToArray();
        var fields = new CsvField[names.Length + 1];
        byte[]? scratch = null;
        var open = names.Length - types.Count(t => t is not null);
        for (var row = 1; row < rows.Count && row <= MaximumRowsScanned && open > 0; row++)
        {
            var line = rows[row];
            var count = CsvFields.Split(line, separator, fields, out var malformedAt);
            CsvReader.CheckFieldCount(count, malformedAt, names, rows, row, source);
            for (var c = 0; c < names.Length; c++)
            {
                var e = evidence[c];
                if (types[c] is not null || e.Values >= options.InferenceValues) continue;
                var value = CsvFields.Bytes(line, fields[c], ref scratch);
                if (missing.IsMissing(value)) continue;
                e.Values++;
                if (Utf8Number.TryParse(value, out _, decimalMarker)) e.Numbers++;
                else if (Utf8Date.TryParse(value, out _)) e.Dates++;
                if (Ascii.EqualsIgnoreCase(value, "true"u8) || Ascii.EqualsIgnoreCase(value, "false"u8)) e.Booleans++;
                if (value.Contains((byte)' ')) e.WithSpaces++;
                if (e.Distinct.Count < options.InferenceValues) e.Distinct.Add(Encoding.UTF8.GetString(value));
                if (e.Values == options.InferenceValues) open--;
            }
        }
        numbers = new NumericValues[names.Length];
        for (var c = 0; c < names.Length; c++)
        {
            if (types[c] is not null) continue;
            var e = evidence[c];
            types[c] = e.Values == 0 ? ColumnType.Numeric : Decide(e);   // no value seen: numeric, either kind
            if (e.Values > 0 && types[c] == ColumnType.Numeric) numbers[c] = e.Dates == e.Values ? NumericValues.Dates : NumericValues.Numbers;
        }
        return types.Select(t => t!.Value).ToArray();
    }

    private static ColumnType Decide(Evidence e)
    {
        if (e.Numbers == e.Values || e.Dates == e.Values) return ColumnType.Numeric;
        if (e.Booleans == e.Values) return ColumnType.Boolean;
        if (TextKinds.IsFreeText(e.Values, e.WithSpaces, e.Distinct.Count)) return ColumnType.Text;
        return ColumnType.Categorical;
    }
}

/// <summary>What a numeric column's values may be: plain numbers, ISO dates (as day counts), or either.</summary>
internal enum NumericValues
{
    Either,
    Numbers,
    Dates,
}
