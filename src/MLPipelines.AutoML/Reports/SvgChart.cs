using System.Text.RegularExpressions;
using ScottPlot;
using SkiaSharp;

namespace MLPipelines.AutoML.Reports;

/// <summary>
/// Turns a ScottPlot plot into an SVG element that can sit inline in an HTML page beside
/// other charts, and holds the look every chart of the report shares (font, family colours).
/// </summary>
internal static partial class SvgChart
{
    /// <summary>
    /// A sans-serif font that is installed. ScottPlot measures text with a system font (the
    /// Linux Skia build reads /usr/share/fonts) and its own guess here is a serif face.
    /// </summary>
    private static readonly string? Font = new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial" }
        .FirstOrDefault(SKFontManager.Default.FontFamilies.Contains);

    /// <summary>A new plot in the report's style.</summary>
    public static Plot NewPlot()
    {
        var plot = new Plot();
        if (Font is not null) plot.Font.Set(Font);
        return plot;
    }

    public static Color ColorOf(ModelFamily family) => family switch
    {
        ModelFamily.Classical => Color.FromHex("#1f77b4"),
        ModelFamily.Deep => Color.FromHex("#ff7f0e"),
        ModelFamily.Ensemble => Color.FromHex("#2ca02c"),
        _ => Color.FromHex("#7f7f7f"),
    };

    /// <summary>
    /// The plot as an inline &lt;svg&gt; element. Skia numbers its clip paths from the same
    /// start in every SVG, so two charts on one page would clip each other's data: every id is
    /// prefixed with <paramref name="id"/>. The XML prolog goes (HTML has none), a viewBox lets
    /// the chart shrink with the page, and the font gets fallbacks for browsers without it.
    /// </summary>
    public static string Render(Plot plot, string id, int width, int height)
    {
        var svg = plot.GetSvgXml(width, height);
        svg = Reference().Replace(svg, m => m.Groups[1].Value + id + "-" + m.Groups[2].Value);
        svg = FontFamily().Replace(svg, m => $"font-family=\"{m.Groups[1].Value}, Arial, Helvetica, sans-serif\"");
        var root = svg.IndexOf("<svg ", StringComparison.Ordinal);  // after the XML prolog
        return svg[root..].Trim().Insert("<svg ".Length, $"id=\"{id}\" class=\"chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" ");
    }

    [GeneratedRegex(@"(\bid=""|url\(#|href=""#)([^""\)]+)")]
    private static partial Regex Reference();

    [GeneratedRegex(@"font-family=""([^""]+)""")]
    private static partial Regex FontFamily();
}
