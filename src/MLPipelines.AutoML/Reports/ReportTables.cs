using System.Globalization;
using System.Text;
using MLPipelines.AutoML.Experiments;
using MLPipelines.AutoML.Verdicts;
using static MLPipelines.AutoML.Reports.HtmlText;

namespace MLPipelines.AutoML.Reports;

/// <summary>The report's tables as HTML: the settings, the verdict's numbers, the leaderboard and the budget. Every text from data is escaped here.</summary>
internal static class ReportTables
{
    public static string Settings(ExperimentResult result)
    {
        var settings = result.Settings;
        var statuses = result.Trials.GroupBy(t => t.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}");
        var rows = new (string Name, string Value)[]
        {
            ("label", settings.Label),
            ("task", settings.Task.ToString()),
            ("metric", $"{result.Metric.Name} ({(result.Metric.HigherIsBetter ? "higher" : "lower")} is better)"),
            ("folds", settings.Folds.ToString()),
            ("seed", settings.Seed.ToString()),
            ("budget", settings.Budget is { } budget ? Duration(budget) : "none"),
            ("trial limit", settings.MaxTrials?.ToString() ?? "none"),
            ("threads", settings.ThreadCount.ToString()),
            ("verdict rule", $"α = {Number(settings.Verdict.Alpha)}, margin {Number(settings.Verdict.RelativeMargin * 100)}% of the classical score"),
            ("spent", Duration(result.Spent) + (result.Cancelled ? " (cancelled)" : "")),
            ("trials", result.Trials.Count == 0 ? "none" : $"{result.Trials.Count}: {string.Join(", ", statuses)}"),
        };
        return Table(["setting", "value"], rows.Select(r => new[] { Escape(r.Name), Escape(r.Value) }), "settings");
    }

    /// <summary>The contenders the verdict weighed (a deep finalist it could not judge included) and the paired test of each challenger.</summary>
    public static string Verdict(ExperimentResult result, Verdict verdict)
    {
        var contenders = new List<(string Role, Contender Contender)> { ("classical champion", verdict.Classical) };
        if (verdict.Deep is { } deep) contenders.Add(("deep challenger", deep.Challenger));
        else if (result.Finalists.TryGetValue(ModelFamily.Deep, out var finalist) && finalist.FoldScores(result.Settings.Folds) is not null)
            contenders.Add(("deep, not judged", TabularExperiment.Contender(finalist, result.Settings)));
        if (verdict.Ensemble is { } ensemble) contenders.Add(("ensemble challenger", ensemble.Challenger));

        var metric = Escape(verdict.Metric.Name);
        var html = new StringBuilder();
        if (result.DescribeVerdictFolds() is { } folds) html.Append($"<p class=\"folds\">Paired on {Escape(folds)}.</p>\n");
        foreach (var why in result.DescribeFamilyChampions()) html.Append($"<p class=\"folds\">{Escape(why)}.</p>\n");
        html.Append(Table(["role", "model", "family", $"mean {metric}", $"{metric} per fold", "fit s / fold", "predict s / fold", "trained to its stopping point"],
            contenders.Select(c => new[]
            {
                Escape(c.Role) + (c.Contender == verdict.Champion ? " <span class=\"badge\">chosen</span>" : ""),
                Escape(c.Contender.Name), Escape(c.Contender.Family.ToString()), Number(c.Contender.Mean),
                Escape(string.Join(", ", c.Contender.FoldScores.Select(Number))), Seconds(c.Contender.FitSeconds), Seconds(c.Contender.PredictSeconds),
                c.Contender.Converged ? "yes" : c.Contender.NeededSeconds is { } needed ? $"no (at least {Escape(VerdictRule.Duration(needed))} needed)" : "no",
            }), "contenders"));

        var challenges = new[] { verdict.Deep, verdict.Ensemble }.OfType<Challenge>().ToList();
        if (challenges.Count > 0)
        {
            var confidence = Number(100 * (1 - verdict.Settings.Alpha));
            html.Append(Table(["challenger", "improvement (positive: better)", $"{confidence}% CI", "standard error", "t (df)", "p", "margin", "significant", "beyond margin", "wins"],
                challenges.Select(c => new[]
                {
                    Escape(c.Challenger.Name), Number(c.Test.MeanDifference), $"{Number(c.Test.ConfidenceLow)} to {Number(c.Test.ConfidenceHigh)}",
                    Number(c.Test.StandardError), $"{Number(c.Test.T)} ({c.Test.DegreesOfFreedom})", Escape(PValue(c.Test.PValue)), Number(verdict.Margin),
                    YesNo(c.Significant), YesNo(c.BeyondMargin), YesNo(c.Wins),
                }), "tests"));
        }
        return html.ToString();
    }

    public static string Leaderboard(ExperimentResult result)
    {
        var folds = result.Settings.Folds;
        var rank = 0;
        var rows = result.Leaderboard.Select(t =>
        {
            var scores = t.FoldScores(folds);
            var champion = t == result.ChampionTrial;
            var cells = new[]
            {
                scores is null ? "" : (++rank).ToString(), t.Number.ToString(),
                Escape(TabularExperiment.Label(t)) + (champion ? " <span class=\"badge\">champion</span>" : ""),
                Escape(t.Family.ToString()), Escape(t.Status.ToString()), scores is null ? "—" : MeanSd(scores),
                t.Folds.Count == 0 ? "—" : Seconds(t.Folds.Average(f => f.FitSeconds)),
                t.Folds.Count == 0 ? "—" : Seconds(t.Folds.Average(f => f.PredictSeconds)),
                Seconds(t.Seconds), Escape(t.Note), t.Configuration is null ? "defaults" : $"<code>{Escape(t.Configuration)}</code>",
            };
            return (cells, $"trial {t.Status.ToString().ToLowerInvariant()}{(champion ? " champion" : "")}");
        }).ToList();
        return Table(["rank", "trial", "model", "family", "status", $"{Escape(result.Metric.Name)} mean ± sd", "fit s / fold", "predict s / fold", "trial s", "note", "configuration"],
            rows.Select(r => r.cells), "leaderboard", rows.Select(r => r.Item2).ToList());
    }

    public static string Budget(ExperimentResult result)
    {
        var spent = result.Spent.TotalSeconds;
        return Table(["candidate", "trials", "seconds", "share of the time spent"],
            result.BudgetByCandidate.Select(b => new[]
            {
                Escape(b.Candidate), b.Trials.ToString(), Seconds(b.Seconds), spent > 0 ? $"{(100 * b.Seconds / spent).ToString("0.0", CultureInfo.InvariantCulture)}%" : "—",
            }).Concat(result.NotTried.Select(name => new[] { Escape(name), "0", "—", $"not tried: {result.NotTriedReason}" })),
            "budget");
    }

    private static string YesNo(bool value) => value ? "yes" : "no";

    /// <summary>A table of escaped header and body cells, with a class for each body row when given.</summary>
    private static string Table(IEnumerable<string> header, IEnumerable<string[]> rows, string cssClass, IReadOnlyList<string>? rowClasses = null)
    {
        var html = new StringBuilder($"<table class=\"{cssClass}\"><thead>").Append(Row(header, cell: "th")).Append("</thead><tbody>");
        var index = 0;
        foreach (var row in rows) html.Append(Row(row, rowClasses?[index++]));
        return html.Append("</tbody></table>").ToString();
    }
}
