using Microsoft.ML;
using MLPipelines.AutoML;
using MLPipelines.Tests;
using MLPipelines.Trainers;
using MLPipelines.Vision.Comparison;
using MLPipelines.Vision.Data;
using MLPipelines.Vision.Options;
using Xunit.Abstractions;

namespace MLPipelines.Vision.Tests;

/// <summary>The image candidates in a cross-validated comparison on the Fashion-MNIST slice: both families on the same folds, and the verdict.</summary>
public sealed class ImageComparisonTests(ITestOutputHelper output)
{
    private static readonly string Slice = Path.Combine(TestData.Root, "datasets", "fashion-mnist-slice");

    /// <summary>A hundred steps on 32 × 32 images: seconds a fit, enough to learn (a dozen steps leave batch-norm statistics unsettled).</summary>
    private static readonly ImageClassificationOptions Quick = new() { Epochs = 4, MinimumSteps = 100, ResizeTo = 32 };

    [Fact]
    public void Classical_and_deep_image_candidates_run_on_the_same_folds_and_beat_the_baseline()
    {
        var ml = new MLContext(seed: 1);
        var images = FashionMnist.Train(Slice).Subset([.. Enumerable.Range(0, 400)]).ToDataView();
        var candidates = Candidate.Named(["baseline", "xgboost", "small-cnn", "resnet-18-frozen"], ImageCandidates.All(Quick));
        var settings = new ComparisonSettings("Label", PredictionTask.MulticlassClassification, Folds: 2, Seed: 1);

        var result = CrossValidation.Compare(ml, images, settings, candidates);

        foreach (var row in result.Leaderboard)
            output.WriteLine($"{row.Candidate} ({row.Family}): accuracy {row.Mean:F3} ± {row.StandardDeviation:F3}, fit {row.FitSeconds:F1} s; {row.Note}");
        Assert.Equal(candidates.Count * 2, result.Results.Count);
        Assert.All(result.Results, r => Assert.False(r.Failed, $"{r.Candidate} fold {r.Fold}: {r.Note}"));
        var baseline = result.Leaderboard.Single(r => r.Family == ModelFamily.Baseline).Mean!.Value;
        // Ten balanced classes: the baseline is near chance (0.1); every model learns far beyond it.
        Assert.InRange(baseline, 0.05, 0.2);
        foreach (var name in new[] { "XGBoost", "Small CNN", "ResNet-18 frozen" })
            Assert.True(result.Leaderboard.Single(r => r.Candidate == name).Mean > baseline + 0.3, name);
        var verdict = result.DefaultsVerdict();
        Assert.NotNull(verdict);
        output.WriteLine(verdict.Sentence);
    }

    [Fact]
    public void Every_candidate_has_its_own_command_line_name_and_the_portfolio_runs_the_benchmarks_models()
    {
        var keys = ImageCandidates.All().Select(c => Candidate.Key(c.Name)).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Equal(["baseline", "xgboost", "lightgbm", "small-cnn", "resnet-18-frozen", "resnet-18-fine-tuned"],
            ImageCandidates.Portfolio().Select(c => Candidate.Key(c.Name)));
        var error = Assert.Throws<ArgumentException>(() => Candidate.Named(["mlp"], ImageCandidates.All()));
        Assert.Contains("small-cnn", error.Message);
    }

    [Fact]
    public void An_image_candidate_asked_for_regression_says_it_classifies()
    {
        var ml = new MLContext(seed: 1);
        var settings = new CandidateSettings(ml, PredictionTask.Regression, "Label", 1, 1, null, null, CancellationToken.None);
        foreach (var candidate in ImageCandidates.All())
        {
            var error = Assert.Throws<ArgumentException>(() => candidate.CreatePipeline(settings));
            Assert.Contains("multiclass", error.Message);
        }
    }
}
