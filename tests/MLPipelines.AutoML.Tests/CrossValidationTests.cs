using MLPipelines.AutoML;
using MLPipelines.Data;
using MLPipelines.Deep.Options;
using MLPipelines.Pipelines;
using MLPipelines.Tests;
using MLPipelines.Trainers;
using MLPipelines.Transforms;

namespace MLPipelines.AutoML.Tests;

public sealed class CrossValidationTests
{
    /// <summary>A baseline that records the source lines of the rows each fit is given.</summary>
    private static Candidate Recording(string name, List<int[]> seen) =>
        new(name, ModelFamily.Baseline, _ => new FeaturizerOptions(), s => new RecordingTrainer(s.Task, seen));

    private sealed class RecordingTrainer(PredictionTask task, List<int[]> seen) : IEstimator<FeaturizedData, DataTable>
    {
        public ITransformer<FeaturizedData, DataTable> Fit(FeaturizedData input)
        {
            seen.Add(Enumerable.Range(0, input.RowCount).Select(r => input.Source.Origins!.Line(r)).Order().ToArray());
            return new BaselineTrainer(task).Fit(input);
        }
    }

    [Fact]
    public void Every_candidate_trains_on_the_same_folds_and_every_row_is_held_out_once()
    {
        var data = TestData.Load("credit_data");
        List<int[]> first = [], second = [];
        var result = CrossValidation.Compare(data, "Status", PredictionTask.BinaryClassification, [Recording("a", first), Recording("b", second)], folds: 5, seed: 42);

        Assert.Equal(10, result.Results.Count);
        Assert.Equal(5, first.Count);
        for (var fold = 0; fold < 5; fold++) Assert.Equal(first[fold], second[fold]);
        var allLines = Enumerable.Range(0, data.RowCount).Select(data.Origins!.Line).ToHashSet();
        var heldOut = first.SelectMany(train => allLines.Except(train)).ToList();
        Assert.Equal(data.RowCount, heldOut.Count);
        Assert.Equal(allLines, heldOut.ToHashSet());
        // The folds are the library's seeded stratified k-fold split, nothing private to the comparison.
        var expected = Splits.KFold(data, 5, 42, "Status");
        for (var fold = 0; fold < 5; fold++)
            Assert.Equal(expected[fold].TrainRows.Select(data.Origins!.Line).Order(), first[fold]);
    }

    [Fact]
    public void A_fold_result_is_the_metric_of_that_fold_refitted_by_hand()
    {
        var data = TestData.Load("credit_data");
        var xgboost = Candidate.Named(["xgboost"]);
        var result = CrossValidation.Compare(data, "Status", PredictionTask.BinaryClassification, xgboost, folds: 5, seed: 42);

        var fold = Splits.KFold(data, 5, 42, "Status")[2];
        var candidate = xgboost[0];
        var settings = new FitSettings(PredictionTask.BinaryClassification, 42, null, null, CancellationToken.None);
        var model = new Featurizer("Status", candidate.Featurization(PredictionTask.BinaryClassification))
            .Append(candidate.CreateTrainer(settings)).Fit(data.Select(fold.TrainRows));
        var auc = TaskMetric.Evaluate(PredictionTask.BinaryClassification, model.Transform(data.Select(fold.TestRows)), "Status");

        Assert.Equal(auc, result.Results.Single(r => r.Fold == 3).Metric);
        Assert.InRange(auc, 0.80, 0.90);   // credit_data's AUC with boosted trees (5-fold mean 0.840)
    }

    [Fact]
    public void The_leaderboard_ranks_by_the_task_metric_in_its_direction()
    {
        var regression = CrossValidation.Compare(TestData.Load("concrete"), "compressive_strength", PredictionTask.Regression,
            Candidate.Named(["baseline", "xgboost", "linear"]), folds: 5, seed: 1);
        Assert.Equal(["XGBoost", "Linear", "Baseline"], regression.Leaderboard.Select(r => r.Candidate));   // RMSE: lower is better
        Assert.InRange(regression.Leaderboard[0].Mean!.Value, 3.0, 5.5);
        Assert.InRange(regression.Leaderboard[2].Mean!.Value, 15.0, 18.0);   // the standard deviation of the strength is 16.7

        var classification = CrossValidation.Compare(TestData.Load("penguins"), "species", PredictionTask.MulticlassClassification,
            Candidate.Named(["baseline", "xgboost"]), folds: 5, seed: 1);
        Assert.Equal(["XGBoost", "Baseline"], classification.Leaderboard.Select(r => r.Candidate));   // accuracy: higher is better
        Assert.InRange(classification.Leaderboard[0].Mean!.Value, 0.95, 1.0);
        Assert.InRange(classification.Leaderboard[1].Mean!.Value, 0.43, 0.45);   // the largest class, Adelie: 152 of 344
    }

    [Fact]
    public void The_mean_and_standard_deviation_are_over_the_folds()
    {
        var result = CrossValidation.Compare(TestData.Load("concrete"), "compressive_strength", PredictionTask.Regression,
            Candidate.Named(["linear"]), folds: 4, seed: 3);
        var values = result.Results.Select(r => r.Metric!.Value).ToArray();
        var row = Assert.Single(result.Leaderboard);
        Assert.Equal(values, row.PerFold);
        Assert.Equal(values.Average(), row.Mean!.Value, 12);
        var sampleVariance = values.Sum(v => (v - values.Average()) * (v - values.Average())) / (values.Length - 1);
        Assert.Equal(Math.Sqrt(sampleVariance), row.StandardDeviation!.Value, 12);
        Assert.True(row.FitSeconds > 0);
    }

    [Fact]
    public void A_candidate_that_fails_is_recorded_with_its_error_and_the_others_go_on()
    {
        // 192-wide tokens cannot be split over 7 heads: the network refuses to be built, on every fold.
        var broken = Candidate.Deep(new FTTransformerOptions { Heads = 7 });
        var result = CrossValidation.Compare(TestData.Load("penguins"), "species", PredictionTask.MulticlassClassification,
            [broken, .. Candidate.Named(["baseline"])], folds: 3, seed: 1);

        var failed = result.Results.Where(r => r.Candidate == "FT-Transformer").ToList();
        Assert.Equal(3, failed.Count);
        Assert.All(failed, r => Assert.True(r.Failed));
        Assert.All(failed, r => Assert.Contains("divisible by the 7 heads", r.Note));
        Assert.Equal(["Baseline", "FT-Transformer"], result.Leaderboard.Select(r => r.Candidate));   // failures last
        Assert.Equal(3, result.Leaderboard[1].FailedFolds);
        Assert.Null(result.Best(ModelFamily.Deep));
    }

    [Fact]
    public void The_time_limit_reaches_the_deep_trainers_and_their_stopping_reason_is_noted()
    {
        var result = CrossValidation.Compare(TestData.Load("credit_data"), "Status", PredictionTask.BinaryClassification,
            Candidate.Named(["resnet"]), folds: 2, seed: 1, fitTimeLimit: TimeSpan.FromMilliseconds(1));
        Assert.All(result.Results, r => Assert.Equal("1 epoch, best 1 (time limit (0.001 s))", r.Note));
        Assert.All(result.Results, r => Assert.InRange(r.Metric!.Value, 0.6, 1.0));   // one epoch already learns something
    }

    [Fact]
    public void Progress_reports_folds_and_epochs_in_order()
    {
        var events = new List<ComparisonProgress>();
        CrossValidation.Compare(TestData.Load("penguins"), "species", PredictionTask.MulticlassClassification,
            [.. Candidate.Named(["baseline"]), Candidate.Deep(new ResNetOptions { MaxEpochs = 3, Patience = null })], folds: 2, seed: 1,
            progress: new Synchronous<ComparisonProgress>(events.Add));

        var expected = new[]
        {
            "Baseline started 1", "Baseline finished 1", "Baseline started 2", "Baseline finished 2",
            "ResNet started 1", "ResNet epoch 1", "ResNet epoch 2", "ResNet epoch 3", "ResNet finished 1",
            "ResNet started 2", "ResNet epoch 1", "ResNet epoch 2", "ResNet epoch 3", "ResNet finished 2",
        };
        Assert.Equal(expected, events.Select(e => e switch
        {
            FoldStarted s => $"{s.Candidate} started {s.Fold}",
            EpochFinished f => $"{f.Candidate} epoch {f.Epoch.Epoch}",
            FoldFinished f => $"{f.Candidate} finished {f.Fold}",
            _ => throw new InvalidOperationException(),
        }));
    }

    [Fact]
    public void Cancellation_stops_the_comparison_and_keeps_the_finished_folds()
    {
        using var cancellation = new CancellationTokenSource();
        var finished = new List<FoldResult>();
        void Record(FoldResult result)
        {
            finished.Add(result);
            if (finished.Count == 2) cancellation.Cancel();
        }
        Assert.ThrowsAny<OperationCanceledException>(() => CrossValidation.Compare(TestData.Load("penguins"), "species", PredictionTask.MulticlassClassification,
            Candidate.Named(["baseline", "xgboost"]), folds: 5, seed: 1, onFoldResult: Record, cancellation: cancellation.Token));
        Assert.Equal(2, finished.Count);
    }

    [Fact]
    public void A_missing_label_column_names_the_columns_that_exist()
    {
        var error = Assert.Throws<DataValidationException>(() => CrossValidation.Compare(TestData.Load("penguins"), "Species", PredictionTask.MulticlassClassification,
            Candidate.Named(["baseline"]), folds: 5, seed: 1));
        Assert.Contains("'Species'", error.Message);
        Assert.Contains("species", error.Message);
    }

    [Fact]
    public void Unknown_model_names_are_refused_with_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => Candidate.Named(["xgboost", "catboost"]));
        Assert.Contains("'catboost'", error.Message);
        Assert.Contains("baseline, linear, random-forest, xgboost, mlp, resnet, ft-transformer, tabm", error.Message);
        Assert.Equal(["Random forest", "FT-Transformer"], Candidate.Named(["Random-Forest", "ft-transformer"]).Select(c => c.Name));
    }

    private sealed class Synchronous<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
