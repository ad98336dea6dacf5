using System.Globalization;
using System.Net;
using MLPipelines.AutoML.Verdicts;

namespace MLPipelines.AutoML.Reports;

/// <summary>
/// Text for the report's HTML: every string that comes from data (candidate names, notes,
/// labels, the verdict's sentence) goes through <see cref="Escape"/>, and numbers are written
/// the way the verdict's sentence writes them, so that the tables and the sentence agree.
/// </summary>
internal static class HtmlText
{
    /// <summary>The text with &lt;, &gt;, &amp;, " and ' escaped: safe in element content and in quoted attributes.</summary>
    public static string Escape(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static string Number(double value) => double.IsFinite(value) ? VerdictRule.Number(value) : value.ToString(CultureInfo.InvariantCulture);

    public static string PValue(double p) => VerdictRule.PValue(p);

    /// <summary>Seconds with two decimals below 10 s, one above: small fits and long trials both stay readable.</summary>
    public static string Seconds(double seconds) => seconds.ToString(seconds < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan span) => span.TotalSeconds < 90
        ? $"{span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s"
        : span.TotalMinutes < 90 ? $"{span.TotalMinutes.ToString("0.0", CultureInfo.InvariantCulture)} min" : $"{span.TotalHours.ToString("0.0", CultureInfo.InvariantCulture)} h";

    /// <summary>Mean ± sample standard deviation of fold scores.</summary>
    public static string MeanSd(IReadOnlyList<double> scores)
    {
        var mean = scores.Average();
        var sd = scores.Count < 2 ? 0 : Math.Sqrt(scores.Sum(s => (s - mean) * (s - mean)) / (scores.Count - 1));
        return $"{Number(mean)} ± {Number(sd)}";
    }

    /// <summary>One table row of already-escaped cells.</summary>
    public static string Row(IEnumerable<string> cells, string? cssClass = null, string cell = "td") =>
        $"<tr{(cssClass is null ? "" : $" class=\"{cssClass}\"")}>{string.Concat(cells.Select(c => $"<{cell}>{c}</{cell}>"))}</tr>";
}
