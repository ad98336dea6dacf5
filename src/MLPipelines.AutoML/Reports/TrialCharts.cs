using MLPipelines.AutoML.Experiments;
using MLPipelines.AutoML.Trials;
using MLPipelines.Trainers;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace MLPipelines.AutoML.Reports;

/// <summary>
/// The charts of the trials: fold scores of the best trials, score against fit time, and the
/// deep models' learning curves. Each returns inline SVG, or null when there is nothing to
/// draw (the report then says so in words).
/// </summary>
internal static class TrialCharts
{
    /// <summary>Trials in the fold-score strip plot: beyond about fifteen rows the labels crowd.</summary>
    public const int StripTrials = 15;

    /// <summary>Deep trials in the learning-curve chart: beyond about eight the colours repeat and the lines tangle.</summary>
    public const int CurveTrials = 8;

    private const int Width = 900;

    /// <summary>Each fold's score of the best completed trials, one row each, best on top, with the mean as a bar: the spread the verdict's test weighs.</summary>
    public static string? FoldScores(ExperimentResult result)
    {
        var folds = result.Settings.Folds;
        var trials = result.Leaderboard.Where(t => Drawable(t, folds)).Take(StripTrials).ToList();
        if (trials.Count == 0) return null;

        var plot = SvgChart.NewPlot();
        var ticks = new NumericManual();
        var inLegend = new HashSet<ModelFamily>();
        for (var i = 0; i < trials.Count; i++)
        {
            var y = trials.Count - 1 - i;
            var scores = trials[i].FoldScores(folds)!.ToArray();
            var points = plot.Add.Markers(scores, Enumerable.Repeat((double)y, scores.Length).ToArray(), MarkerShape.FilledCircle, 9,
                SvgChart.ColorOf(trials[i].Family).WithAlpha(0.75));
            if (inLegend.Add(trials[i].Family)) points.LegendText = trials[i].Family.ToString();
            var mean = plot.Add.Marker(scores.Average(), y, MarkerShape.VerticalBar, 18, Colors.Black);
            if (i == 0) mean.LegendText = "mean";
            ticks.AddMajor(y, TabularExperiment.Label(trials[i]));
        }
        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.SetLimitsY(-0.7, trials.Count - 0.3);
        plot.XLabel($"{result.Metric.Name} on each fold ({Better(result)})");
        plot.ShowLegend(Edge.Right);  // beside the data, never over it
        return SvgChart.Render(plot, "chart-folds", Width, 90 + 28 * trials.Count);
    }

    /// <summary>Mean score against mean fit seconds per fold of each completed trial, coloured by family, the champion ringed: what the accuracy costs.</summary>
    public static string? ScoreAgainstFitTime(ExperimentResult result)
    {
        var folds = result.Settings.Folds;
        var completed = result.Trials.Where(t => Drawable(t, folds)).ToList();
        if (completed.Count == 0) return null;

        var plot = SvgChart.NewPlot();
        foreach (var family in completed.GroupBy(t => t.Family).OrderBy(g => g.Key))
        {
            var points = plot.Add.Markers(family.Select(FitSeconds).ToArray(), family.Select(t => t.Mean(folds)!.Value).ToArray(), MarkerShape.FilledCircle, 10,
                SvgChart.ColorOf(family.Key).WithAlpha(0.8));
            points.LegendText = family.Key.ToString();
        }
        if (result.ChampionTrial is { } champion && Drawable(champion, folds))
            plot.Add.Marker(FitSeconds(champion), champion.Mean(folds)!.Value, MarkerShape.OpenCircle, 22, Colors.Black).LegendText = "champion";
        plot.XLabel("mean fit seconds per fold");
        plot.YLabel($"mean {result.Metric.Name} ({Better(result)})");
        plot.ShowLegend(Edge.Right);  // beside the data, never over it
        return SvgChart.Render(plot, "chart-cost", Width, 420);
    }

    /// <summary>
    /// The validation loss after each epoch of the best deep trials, one colour a trial, one
    /// line a fold: whether training stopped at its best epoch or was cut short.
    /// </summary>
    public static string? LearningCurves(ExperimentResult result)
    {
        var trials = result.Leaderboard
            .Where(t => t.Family == ModelFamily.Deep && t.Folds.Any(f => Points(f).Count > 0))
            .Take(CurveTrials).ToList();
        if (trials.Count == 0) return null;

        var plot = SvgChart.NewPlot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < trials.Count; i++)
        {
            var color = palette.GetColor(i);
            var first = true;
            foreach (var points in trials[i].Folds.OrderBy(f => f.Fold).Select(Points).Where(p => p.Count > 0))
            {
                var line = plot.Add.ScatterLine(points.Select(p => (double)p.Epoch).ToArray(), points.Select(p => p.Loss).ToArray(), color);
                line.LineWidth = 1.5f;
                line.MarkerSize = 4;
                if (first) line.LegendText = $"{TabularExperiment.Label(trials[i])} ({trials[i].Status})";
                first = false;
            }
        }
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
        plot.XLabel("epoch");
        plot.YLabel(result.Settings.Task == PredictionTask.Regression ? "validation RMSE (standardized target)" : "validation log-loss");
        plot.ShowLegend(Edge.Right);  // beside the data, never over it
        return SvgChart.Render(plot, "chart-curves", Width, 420);
    }

    /// <summary>A completed trial whose every fold score is a number: a NaN or infinite score would wreck the axes' limits.</summary>
    private static bool Drawable(TrialRecord trial, int folds) => trial.FoldScores(folds) is { } scores && scores.All(double.IsFinite);

    /// <summary>A fold's learning curve as (epoch from 1, loss), without the epochs whose loss diverged to NaN or infinity.</summary>
    private static List<(int Epoch, double Loss)> Points(FoldRecord fold) =>
        (fold.LearningCurve ?? []).Select((loss, i) => (Epoch: i + 1, Loss: (double)loss)).Where(p => double.IsFinite(p.Loss)).ToList();

    private static double FitSeconds(TrialRecord trial) => trial.Folds.Average(f => f.FitSeconds);

    private static string Better(ExperimentResult result) => result.Metric.HigherIsBetter ? "higher is better" : "lower is better";
}
