using MLPipelines.AutoML.Experiments;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace MLPipelines.AutoML.Reports;

/// <summary>Where the time went: one horizontal bar of seconds for each candidate's trials, coloured by its family, most expensive on top.</summary>
internal static class BudgetChart
{
    /// <summary>The bar chart, or null when no trial ran.</summary>
    public static string? ByCandidate(ExperimentResult result)
    {
        var budget = result.BudgetByCandidate;
        if (budget.Count == 0) return null;

        var plot = SvgChart.NewPlot();
        var ticks = new NumericManual();
        var bars = new List<Bar>();
        for (var i = 0; i < budget.Count; i++)
        {
            var (candidate, trials, seconds) = budget[i];
            var y = budget.Count - 1 - i;
            var family = result.Trials.First(t => t.Candidate == candidate).Family;
            bars.Add(new Bar
            {
                Position = y, Value = seconds, FillColor = SvgChart.ColorOf(family), Size = 0.6,
                Label = $"{HtmlText.Seconds(seconds)} s, {trials} trial{(trials == 1 ? "" : "s")}",
            });
            ticks.AddMajor(y, candidate);
        }
        var plottable = plot.Add.Bars(bars);
        plottable.Horizontal = true;
        plot.Axes.Left.TickGenerator = ticks;
        // Room right of the longest bar for its label.
        plot.Axes.SetLimitsX(0, budget.Max(b => b.Seconds) * 1.35 + 1e-9);
        plot.Axes.SetLimitsY(-0.7, budget.Count - 0.3);
        plot.XLabel($"seconds spent on trials (of {HtmlText.Duration(result.Spent)} in all, refits included)");
        return SvgChart.Render(plot, "chart-budget", 900, 90 + 40 * budget.Count);
    }
}
