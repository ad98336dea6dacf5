using MLPipelines.AutoML.Verdicts;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace MLPipelines.AutoML.Reports;

/// <summary>
/// The verdict as a picture: each challenger's mean improvement over the classical champion
/// with its confidence interval, against the shaded ±margin of practical equivalence. A
/// challenger wins only when the whole interval lies right of zero and its mean right of the
/// margin.
/// </summary>
internal static class VerdictChart
{
    /// <summary>The interval plot, or null when no challenger was tested (no verdict, or deep not judged).</summary>
    public static string? Differences(Verdict? verdict)
    {
        if (verdict is null) return null;
        var challenges = new[] { verdict.Deep, verdict.Ensemble }.OfType<Challenge>()
            .Where(c => double.IsFinite(c.Test.ConfidenceLow) && double.IsFinite(c.Test.ConfidenceHigh)).ToList();
        if (challenges.Count == 0) return null;

        var plot = SvgChart.NewPlot();
        var margin = verdict.Margin;
        var span = plot.Add.VerticalSpan(-margin, margin, Colors.Gray.WithAlpha(0.25));
        span.LegendText = $"±margin ({HtmlText.Number(margin)})";
        plot.Add.VerticalLine(0, 1, Colors.Black, LinePattern.Dashed);
        var ticks = new NumericManual();
        for (var i = 0; i < challenges.Count; i++)
        {
            var (challenge, y) = (challenges[i], challenges.Count - 1 - i);
            var color = challenge.Wins ? Colors.Green : SvgChart.ColorOf(challenge.Challenger.Family);
            var interval = plot.Add.Line(challenge.Test.ConfidenceLow, y, challenge.Test.ConfidenceHigh, y);
            interval.LineWidth = 3;
            interval.LineColor = color;
            interval.MarkerSize = 0;
            plot.Add.Marker(challenge.Test.ConfidenceLow, y, MarkerShape.VerticalBar, 16, color);
            plot.Add.Marker(challenge.Test.ConfidenceHigh, y, MarkerShape.VerticalBar, 16, color);
            plot.Add.Marker(challenge.Test.MeanDifference, y, MarkerShape.FilledCircle, 12, color);
            ticks.AddMajor(y, challenge.Challenger.Name);
        }
        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.SetLimitsY(-0.8, challenges.Count - 0.2);
        var low = Math.Min(-margin, challenges.Min(c => c.Test.ConfidenceLow));
        var high = Math.Max(margin, challenges.Max(c => c.Test.ConfidenceHigh));
        var pad = Math.Max((high - low) * 0.08, 1e-9);
        plot.Axes.SetLimitsX(low - pad, high + pad);
        var confidence = HtmlText.Number(100 * (1 - verdict.Settings.Alpha));
        plot.XLabel($"improvement over {verdict.Classical.Name} in {verdict.Metric.Name} (positive: better), mean and {confidence}% CI");
        plot.ShowLegend(Edge.Right);  // beside the data, never over it
        return SvgChart.Render(plot, "chart-verdict", 900, 110 + 60 * challenges.Count);
    }
}
