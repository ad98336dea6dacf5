using System.Net;
using System.Text.RegularExpressions;
using Microsoft.ML;
using MLPipelines.AutoML.Experiments;
using MLPipelines.AutoML.Reports;
using MLPipelines.AutoML.Trials;
using MLPipelines.AutoML.Verdicts;
using MLPipelines.Deep.Options;
using MLPipelines.Tests;
using MLPipelines.Trainers;
using SkiaSharp;

namespace MLPipelines.AutoML.Tests.Reports;

/// <summary>One small real experiment (concrete, 3 folds, XGBoost and a small MLP), reported once and shared by the tests that open the report in Chromium.</summary>
public sealed class ReportedExperiment
{
    public ExperimentResult Result { get; }

    public string Html { get; }

    public string Path { get; }

    public ReportedExperiment()
    {
        var mlp = Candidate.Deep(new MlpOptions { MaxEpochs = 6, HiddenLayers = [32, 32] }) with { SearchSpace = PublishedSearchSpaces.MlpSpace };
        var settings = new ExperimentSettings("compressive_strength", PredictionTask.Regression) { MaxTrials = 4, Folds = 3, Repeats = 3, Seed = 7, Threads = 1 };
        Result = new TabularExperiment(new MLContext(seed: 1)).SetDataset(TestData.View("concrete")).SetSettings(settings)
            .SetCandidates([.. Candidate.Named(["xgboost"]), mlp]).Run();
        Path = System.IO.Path.Combine(TestData.TemporaryDirectory(), "report", "concrete.html");
        ExperimentReport.Write(Result, "Concrete: trees or deep?", Path);
        Html = File.ReadAllText(Path);
    }
}

public sealed class ExperimentReportTests(ReportedExperiment reported) : IClassFixture<ReportedExperiment>
{
    private static readonly string[] ChartIds = ["chart-verdict", "chart-folds", "chart-cost", "chart-curves", "chart-budget"];

    [Fact]
    public void Chromium_renders_the_verdict_the_leaderboard_and_every_chart()
    {
        var result = reported.Result;
        Assert.NotNull(result.Verdict?.Deep);  // the MLP trains to its epoch limit, so the verdict tests it and draws its interval
        var dom = HeadlessChromium.DumpDom(reported.Path);

        Assert.Contains(result.Summary, WebUtility.HtmlDecode(dom));
        // The leaderboard's rows, in order: the third cell names the trial.
        var models = Regex.Matches(dom, @"<tr class=""trial[^""]*""><td>[^<]*</td><td>[^<]*</td><td>([^<]*)", RegexOptions.Singleline)
            .Select(m => WebUtility.HtmlDecode(m.Groups[1].Value).Trim());
        Assert.Equal(result.Leaderboard.Select(TabularExperiment.Label), models);
        foreach (var id in ChartIds)
        {
            var svg = Regex.Match(dom, $@"<svg id=""{id}""[^>]*>(.*?)</svg>", RegexOptions.Singleline);
            Assert.True(svg.Success, $"no <svg id=\"{id}\"> in the rendered page");
            Assert.Contains("<path", svg.Groups[1].Value);
        }
    }

    [Fact]
    public void Its_screenshot_shows_the_charts()
    {
        var png = System.IO.Path.ChangeExtension(reported.Path, ".png");
        HeadlessChromium.Screenshot(reported.Path, png, 1200, 5000);

        using var image = SKBitmap.Decode(png) ?? throw new InvalidOperationException($"{png} is not an image");
        var (inked, coloured) = (0, 0);
        for (var y = 0; y < image.Height; y += 2)
            for (var x = 0; x < image.Width; x += 2)
            {
                var pixel = image.GetPixel(x, y);
                if (pixel.Red < 200 || pixel.Green < 200 || pixel.Blue < 200) inked++;
                // Text is grey to black; the families' markers, bars and curves are blue, orange and green.
                if (Math.Max(pixel.Red, Math.Max(pixel.Green, pixel.Blue)) - Math.Min(pixel.Red, Math.Min(pixel.Green, pixel.Blue)) > 80) coloured++;
            }
        Assert.True(inked > 5_000, $"the screenshot is nearly blank: {inked} sampled pixels are not white");
        Assert.True(coloured > 1_000, $"the screenshot shows almost no chart colour: {coloured} sampled pixels are coloured");
    }

    [Fact]
    public void The_page_is_self_contained()
    {
        Assert.StartsWith("<!DOCTYPE html>", reported.Html);
        foreach (var external in new[] { "<script", "<link", "<img", "src=", "@import", "url(http" })
            Assert.DoesNotContain(external, reported.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(ChartIds.Length, Regex.Matches(reported.Html, "<svg ").Count);
        // Each chart's clip paths have ids of their own: shared ids would clip one chart's data to another's frame.
        var ids = Regex.Matches(reported.Html, @"\bid=""([^""]+)""").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    private static readonly ExperimentSettings Settings = new("price", PredictionTask.Regression) { MaxTrials = 3, Folds = 3 };

    private static readonly TaskMetric Rmse = TaskMetric.For(PredictionTask.Regression);

    private static TrialRecord Trial(int number, string candidate, ModelFamily family, TrialStatus status, double[] scores, string? note = null) =>
        new(number, candidate, family, null, 7, status, 1.5, note,
            scores.Select((s, i) => new FoldRecord(i + 1, status == TrialStatus.Failed ? null : s, 0.4, 0.01, true, note, null, null)).ToList());

    private static ExperimentResult Result(IReadOnlyList<TrialRecord> trials, Verdict? verdict, string summary, TrialRecord? champion = null) =>
        new(Settings, Rmse, trials, verdict, summary, champion, new Dictionary<ModelFamily, TrialRecord>(), null, [], TimeSpan.FromSeconds(12), false);

    [Fact]
    public void Html_special_characters_from_the_data_are_escaped()
    {
        const string hostile = "<script>alert('x')</script> & \"Co\"";
        var classical = Trial(1, hostile, ModelFamily.Classical, TrialStatus.Completed, [10, 11, 12], note: "<b>bold</b> note");
        var deep = Trial(2, "MLP <deep>", ModelFamily.Deep, TrialStatus.Completed, [9.5, 10.8, 11.9]);
        var verdict = VerdictRule.Decide(TabularExperiment.Contender(classical, Settings), TabularExperiment.Contender(deep, Settings), null, Rmse, 0.5);

        var html = ExperimentReport.Html(Result([classical, deep], verdict, verdict.Sentence, classical), "A <title> & more");

        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<b>bold", html);
        Assert.DoesNotContain("<deep>", html);
        Assert.DoesNotContain("<title> &", html);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Co&quot;", html);
        Assert.Contains("&lt;b&gt;bold&lt;/b&gt; note", html);
        Assert.Contains("<title>A &lt;title&gt; &amp; more</title>", html);
        Assert.Contains(WebUtility.HtmlEncode(verdict.Sentence), html);
    }

    [Fact]
    public void Empty_experiments_are_reported_without_charts_and_without_throwing()
    {
        var nothing = ExperimentReport.Html(Result([], null, "No verdict: no candidate completed its folds."), "empty");
        Assert.Contains("No trial ran.", nothing);
        Assert.DoesNotContain("<svg", nothing);

        var failed = Trial(1, "XGBoost", ModelFamily.Classical, TrialStatus.Failed, [0], note: "fold 1 failed: out of memory");
        var allFailed = ExperimentReport.Html(Result([failed], null, "No verdict: no candidate completed its folds."), "all failed");
        Assert.Contains("fold 1 failed: out of memory", allFailed);
        Assert.Contains("No trial completed its folds", allFailed);
        Assert.Contains("No deep trial recorded a learning curve.", allFailed);
        Assert.Single(Regex.Matches(allFailed, "<svg "));  // only the budget

        // Classical only: deep not judged, so no interval, no curves.
        var classical = Trial(1, "XGBoost", ModelFamily.Classical, TrialStatus.Completed, [10, 11, 12]);
        var verdict = VerdictRule.Decide(TabularExperiment.Contender(classical, Settings), null, null, Rmse, 0.5);
        var alone = ExperimentReport.Html(Result([classical], verdict, verdict.Sentence, classical), "classical only");
        Assert.Contains("No challenger was tested", alone);
        Assert.Contains("No deep trial recorded a learning curve.", alone);
        Assert.Equal(3, Regex.Matches(alone, "<svg ").Count);
    }

    [Fact]
    public void Scores_and_losses_that_are_not_numbers_are_left_out_of_the_charts()
    {
        var diverged = Trial(1, "XGBoost", ModelFamily.Classical, TrialStatus.Completed, [10, double.PositiveInfinity, 12]);
        var deep = Trial(2, "MLP", ModelFamily.Deep, TrialStatus.Completed, [9, 10, 11]);
        deep = deep with { Folds = deep.Folds.Select(f => f with { LearningCurve = [1.2f, float.NaN, 0.8f] }).ToList() };

        var html = ExperimentReport.Html(Result([diverged, deep], null, "No verdict."), "diverged");

        Assert.Contains("<svg id=\"chart-curves\"", html);
        Assert.Contains("<svg id=\"chart-folds\"", html);  // the MLP's scores alone
    }

    [Fact]
    public void Write_creates_the_folder_and_writes_the_page()
    {
        var path = System.IO.Path.Combine(TestData.TemporaryDirectory(), "a", "b", "report.html");
        ExperimentReport.Write(Result([], null, "No verdict: no candidate completed its folds."), "empty", path);
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(path));
    }
}
