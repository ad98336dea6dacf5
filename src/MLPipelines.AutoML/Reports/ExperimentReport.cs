using System.Text;
using MLPipelines.AutoML.Experiments;
using static MLPipelines.AutoML.Reports.HtmlText;

namespace MLPipelines.AutoML.Reports;

/// <summary>
/// An experiment as one HTML page to read or send: its settings, the verdict with the numbers
/// behind it, the leaderboard, and five charts (fold scores of the best trials, the verdict's
/// interval against its margin, score against fit time, the deep models' learning curves,
/// the budget by candidate). The page is self-contained — CSS inline, charts as inline SVG,
/// no script and no external resource — so it opens offline and survives being mailed.
/// </summary>
public static class ExperimentReport
{
    /// <summary>The report as a complete HTML document. Every text from the experiment (candidate names, notes, the title) is escaped.</summary>
    public static string Html(ExperimentResult result, string title, IReadOnlyList<string>? dataNotes = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(title);
        var html = new StringBuilder();
        html.Append($"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{Escape(title)}</title>\n<style>{Style}</style>\n</head>\n<body>\n");
        html.Append($"<h1>{Escape(title)}</h1>\n");
        html.Append($"<p class=\"subtitle\">AutoML experiment: {Escape(result.Settings.Task.ToString())} of <b>{Escape(result.Settings.Label)}</b>, ")
            .Append($"{result.Trials.Count} trial{(result.Trials.Count == 1 ? "" : "s")} on {result.Settings.Folds} folds in {Escape(Duration(result.Spent))}.</p>\n");
        foreach (var note in dataNotes ?? []) html.Append($"<p class=\"subtitle\">{Escape(note)}</p>\n");

        html.Append("<section id=\"settings\">\n<h2>Settings</h2>\n").Append(ReportTables.Settings(result)).Append("</section>\n");

        html.Append("<section id=\"verdict\">\n<h2>Verdict</h2>\n");
        html.Append($"<p class=\"sentence\">{Escape(result.Summary)}</p>\n");
        if (result.Verdict is { } verdict)
        {
            html.Append(ReportTables.Verdict(result, verdict));
            html.Append(Chart(VerdictChart.Differences(verdict),
                "The challenger's mean improvement per fold with its confidence interval (corrected resampled t-test); the shaded band is the margin of practical equivalence.",
                "No challenger was tested, so there is no interval to draw."));
        }
        html.Append("</section>\n");

        html.Append("<section id=\"leaderboard\">\n<h2>Leaderboard</h2>\n");
        html.Append(result.Trials.Count == 0 ? "<p class=\"empty\">No trial ran.</p>\n" : ReportTables.Leaderboard(result));
        html.Append(Chart(TrialCharts.FoldScores(result),
            $"Each fold's score of the best {TrialCharts.StripTrials} completed trials at most, best on top; the bar is the mean.",
            "No trial completed its folds, so there are no fold scores to draw."));
        html.Append(Chart(TrialCharts.ScoreAgainstFitTime(result),
            "Mean score against mean fit seconds per fold of each completed trial; the champion is ringed.",
            "No trial completed its folds, so there is no score to set against fit time."));
        html.Append("</section>\n");

        html.Append("<section id=\"curves\">\n<h2>Deep learning curves</h2>\n");
        html.Append(Chart(TrialCharts.LearningCurves(result),
            $"Validation loss after each epoch of the best {TrialCharts.CurveTrials} deep trials at most, one line per fold.",
            "No deep trial recorded a learning curve."));
        html.Append("</section>\n");

        html.Append("<section id=\"budget\">\n<h2>Budget</h2>\n");
        if (result.Trials.Count > 0) html.Append(ReportTables.Budget(result));
        html.Append(Chart(BudgetChart.ByCandidate(result), "Seconds spent on each candidate's trials.", "No trial ran, so no time was spent on one."));
        html.Append("</section>\n");

        return html.Append("</body>\n</html>\n").ToString();
    }

    /// <summary>Writes <see cref="Html"/> to <paramref name="path"/> (UTF-8), creating its folder.</summary>
    public static void Write(ExperimentResult result, string title, string path, IReadOnlyList<string>? dataNotes = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var html = Html(result, title, dataNotes);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        File.WriteAllText(path, html, new UTF8Encoding(false));
    }

    /// <summary>A chart in a figure with its caption, or, when there was nothing to draw, a sentence saying why.</summary>
    private static string Chart(string? svg, string caption, string empty) => svg is null
        ? $"<p class=\"empty\">{Escape(empty)}</p>\n"
        : $"<figure>{svg}<figcaption>{Escape(caption)}</figcaption></figure>\n";

    private const string Style = """

        body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; margin: 2em auto; max-width: 1100px; padding: 0 1em; color: #222; }
        h1 { margin-bottom: 0.2em; }
        h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 1.6em; }
        .subtitle { color: #555; margin-top: 0; }
        .sentence { font-size: 1.15em; background: #f3f7fb; border-left: 4px solid #1f77b4; padding: 0.7em 1em; }
        table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
        th, td { border: 1px solid #ddd; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
        th { background: #f5f5f5; }
        tr.champion td { background: #fff8e1; }
        tr.failed td, tr.overbudget td { color: #a33; }
        tr.pruned td { color: #777; }
        code { font-size: 0.85em; word-break: break-all; }
        .badge { background: #1f77b4; color: white; border-radius: 3px; padding: 0 0.4em; font-size: 0.8em; }
        figure { margin: 1em 0; }
        svg.chart { max-width: 100%; height: auto; border: 1px solid #eee; }
        figcaption, .empty { color: #555; font-size: 0.9em; }

        """;
}
