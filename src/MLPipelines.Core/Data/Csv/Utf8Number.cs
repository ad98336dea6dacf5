using System.Globalization;
using System.Text;

namespace MLPipelines.Data.Csv;

/// <summary>
/// Parses numbers from UTF-8 bytes. Plain decimals with at most 19 significant digits, a
/// mantissa below 2^53 and a power of ten up to 22 take Clinger's fast path: one exact
/// multiplication or division, which IEEE rounding makes correctly rounded, so the result is
/// the same double as double.Parse gives. Everything else goes to double.TryParse.
/// Accepts inf / -inf / Infinity as ±infinity; surrounding spaces are ignored. The decimal
/// marker is a point, or a comma where the file writes numbers so (<see cref="CsvOptions.DecimalMarker"/>):
/// then a point is not accepted, so that a thousands separator is never read as a decimal one.
/// </summary>
internal static class Utf8Number
{
    /// <summary>The invariant culture's number format with a decimal comma (and no group separator the styles accept).</summary>
    private static readonly NumberFormatInfo DecimalComma = new() { NumberDecimalSeparator = ",", NumberGroupSeparator = "\u00A0" };

    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    public static bool TryParse(ReadOnlySpan<byte> text, out double value, byte decimalMarker = (byte)'.')
    {
        text = text.Trim((byte)' ');
        if (TryParseFast(text, decimalMarker, out value)) return true;
        if (double.TryParse(text, NumberStyles.Float, decimalMarker == (byte)'.' ? CultureInfo.InvariantCulture : DecimalComma, out value)) return true;
        return TryParseInfinity(text, out value);
    }

    private static bool TryParseFast(ReadOnlySpan<byte> s, byte decimalMarker, out double value)
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (i < s.Length && (s[i] == (byte)'-' || s[i] == (byte)'+'))
        {
            negative = s[i] == (byte)'-';
            i++;
        }
        ulong mantissa = 0;
        var significant = 0;
        var exponent = 0;
        var anyDigit = false;
        for (; i < s.Length; i++)
        {
            var d = (uint)(s[i] - '0');
            if (d > 9) break;
            anyDigit = true;
            if (mantissa == 0 && d == 0) continue;
            if (++significant > 19) return false;
            mantissa = mantissa * 10 + d;
        }
        if (i < s.Length && s[i] == decimalMarker)
        {
            for (i++; i < s.Length; i++)
            {
                var d = (uint)(s[i] - '0');
                if (d > 9) break;
                anyDigit = true;
                exponent--;
                if (mantissa == 0 && d == 0) continue;
                if (++significant > 19) return false;
                mantissa = mantissa * 10 + d;
            }
        }
        if (!anyDigit) return false;
        if (i < s.Length && (s[i] == (byte)'e' || s[i] == (byte)'E'))
        {
            i++;
            var exponentNegative = false;
            if (i < s.Length && (s[i] == (byte)'-' || s[i] == (byte)'+'))
            {
                exponentNegative = s[i] == (byte)'-';
                i++;
            }
            var start = i;
            var written = 0;
            for (; i < s.Length; i++)
            {
                var d = (uint)(s[i] - '0');
                if (d > 9) break;
                if (written < 10000) written = written * 10 + (int)d;
            }
            if (i == start) return false;
            exponent += exponentNegative ? -written : written;
        }
        if (i != s.Length || mantissa > (1UL << 53) || exponent < -22 || exponent > 22) return false;
        double result = mantissa;
        result = exponent >= 0 ? result * PowersOfTen[exponent] : result / PowersOfTen[-exponent];
        value = negative ? -result : result;
        return true;
    }

    private static bool TryParseInfinity(ReadOnlySpan<byte> s, out double value)
    {
        value = 0;
        var negative = s.Length > 0 && s[0] == (byte)'-';
        if (s.Length > 0 && (s[0] == (byte)'-' || s[0] == (byte)'+')) s = s[1..];
        if (!(Ascii.EqualsIgnoreCase(s, "inf"u8) || Ascii.EqualsIgnoreCase(s, "infinity"u8))) return false;
        value = negative ? double.NegativeInfinity : double.PositiveInfinity;
        return true;
    }
}
