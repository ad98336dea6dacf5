using System.Globalization;

namespace MLPipelines.Data.Csv;

/// <summary>
/// ISO 8601 dates and date-times from UTF-8 bytes, as days since 1970-01-01 (a time of day is
/// the fraction): yyyy-MM-dd, optionally followed by T or a space and HH:mm, HH:mm:ss or
/// HH:mm:ss.fff, optionally ending in Z. Only these: in 01/02/2023 the day and the month cannot
/// be told apart, so such columns stay categories. A time-zone offset is not read (the value
/// stays a category) rather than silently dropped.
/// </summary>
internal static class Utf8Date
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd",
        "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
    ];

    /// <summary>The Unix epoch, the zero of the day count.</summary>
    private static readonly DateTime Epoch = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    public static bool TryParse(ReadOnlySpan<byte> text, out double days)
    {
        days = 0;
        text = text.Trim((byte)' ');
        // The shortest form is 10 bytes, the longest (seven fraction digits and Z) 28: anything else is not a date, and most
        // numbers are turned away here without decoding.
        if (text.Length is < 10 or > 28 || text[4] != (byte)'-' || text[7] != (byte)'-') return false;
        if (text[^1] == (byte)'Z') text = text[..^1];
        Span<char> chars = stackalloc char[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] > 127) return false;
            chars[i] = (char)text[i];
        }
        if (!DateTime.TryParseExact(chars, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return false;
        days = (date - Epoch).TotalDays;
        return true;
    }

    /// <summary>
    /// Days since 1970-01-01 written back as the reader reads them: the date, and the time where there is one, to the
    /// millisecond (a day count in a double holds a time to about a microsecond, so 18:30 would print as 18:29:59.9999998).
    /// </summary>
    public static string Format(double days)
    {
        var milliseconds = (long)Math.Round(days * TimeSpan.MillisecondsPerDay);
        var date = Epoch.AddMilliseconds(milliseconds);
        return date.TimeOfDay == TimeSpan.Zero ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : date.ToString(date.Millisecond == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
    }
}
