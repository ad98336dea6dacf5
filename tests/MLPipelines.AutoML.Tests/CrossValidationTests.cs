using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data;
using MLPipelines.Data.DataViews;
using MLPipelines.Deep.Options;
using MLPipelines.Tests;
using MLPipelines.Trainers;

namespace MLPipelines.AutoML.Tests;

public sealed class CrossValidationTests
{
    private readonly MLContext _ml = new(seed: 42);

    private ComparisonResult Compare(string dataset, IReadOnlyList<Candidate> candidates, int folds = 5, int seed = 42, TimeSpan? timeLimit = null,
        IProgress<ComparisonProgress>? progress = null, Action<FoldResult>? onFoldResult = null, CancellationToken cancellation = default)
    {
        var (_, label, task) = TestData.Prepared(_ml, dataset);
        return CrossValidation.Compare(_ml, TestData.View(dataset), new ComparisonSettings(label, task, folds, seed, FitTimeLimit: timeLimit), candidates,
            progress, onFoldResult, cancellation);
    }

    /// <summary>A candidate that records the prices of the rows each fit is given, then fits the baseline.</summary>
    private sealed class Recording(List<float[]> seen) : IEstimator<ITransformer>
    {
        public ITransformer Fit(IDataView input)
        {
            seen.Add(input.GetColumn<float>("Price").ToArray());
            return new Transforms.FeaturizerEstimator("Status").Append(new BaselineTrainer(PredictionTask.BinaryClassification, new TrainerColumns("Status"))).Fit(input);
        }

        public SchemaShape GetOutputSchema(SchemaShape inputSchema) => inputSchema;
    }

    [Fact]
    public void Every_candidate_trains_on_the_same_seeded_stratified_folds_and_every_row_is_held_out_once()
    {
        List<float[]> first = [], second = [];
        var result = Compare("credit_data", [Candidate.FromEstimator("a", ModelFamily.Baseline, new Recording(first)), Candidate.FromEstimator("b", ModelFamily.Baseline, new Recording(second))]);

        Assert.Equal(10, result.Results.Count);
        Assert.All(result.Results, r => Assert.False(r.Failed, r.Note));
        Assert.Equal(5, first.Count);
        Assert.Equal(first, second);
        // The folds are the library's seeded stratified split of the rows, nothing private to the comparison.
        var data = TestData.View("credit_data");
        var prepared = LabelPreparation.Prepare(_ml, data, "Status", PredictionTask.BinaryClassification);
        var folds = DataCatalogExtensions.StratifiedFolds(prepared, "Status", 5, 42);
        var prices = data.GetColumn<float>("Price").ToArray();
        for (var fold = 0; fold < 5; fold++) Assert.Equal(folds[fold].TrainRows.Select(r => prices[r]), first[fold]);
        Assert.Equal(Enumerable.Range(0, prices.Length), folds.SelectMany(f => f.TestRows).Order());
    }

    [Fact]
    public void A_fold_result_is_the_metric_of_that_fold_refitted_by_hand()
    {
        var xgboost = Candidate.Named(["xgboost"]);
        var result = Compare("credit_data", xgboost);

        var data = LabelPreparation.Prepare(_ml, TestData.View("credit_data"), "Status", PredictionTask.BinaryClassification);
        var fold = DataCatalogExtensions.StratifiedFolds(data, "Status", 5, 42)[2];
        var settings = new CandidateSettings(_ml, PredictionTask.BinaryClassification, "Status", 42, Environment.ProcessorCount, null, null, CancellationToken.None);
        var model = xgboost[0].CreatePipeline(settings).Fit(RowSubsetView.Of(data, fold.TrainRows));
        var auc = _ml.BinaryClassification.EvaluateNonCalibrated(model.Transform(RowSubsetView.Of(data, fold.TestRows)), "Status").AreaUnderRocCurve;

        Assert.Equal(auc, result.Results.Single(r => r.Fold == 3).Metric);
        Assert.InRange(auc, 0.80, 0.90);   // credit_data's AUC with boosted trees (5-fold mean 0.84)
    }

    [Fact]
    public void ML_NET_trainers_are_candidates_beside_the_projects_and_the_leaderboard_ranks_in_the_metrics_direction()
    {
        var regression = Compare("concrete", Candidate.Named(["baseline", "linear", "lightgbm", "fasttree", "fastforest", "xgboost"]), folds: 3, seed: 1);
        Assert.All(regression.Results, r => Assert.False(r.Failed, r.Note));
        var board = regression.Leaderboard.Select(r => (r.Candidate, r.Mean!.Value)).ToList();
        Assert.Equal("Baseline", board[^1].Candidate);                       // RMSE: lower is better
        Assert.InRange(board[^1].Value, 15.0, 18.0);                         // the strength's standard deviation is 16.7
        Assert.All(board.Where(b => b.Candidate is "LightGbm" or "FastTree" or "XGBoost"), b => Assert.InRange(b.Value, 3.5, 6.0));
        Assert.InRange(board.Single(b => b.Candidate == "Linear").Value, 9.5, 11.5);   // ridge, close to ordinary least squares: 10.5

        var classification = Compare("penguins", Candidate.Named(["baseline", "lightgbm", "fasttree", "fastforest", "linear"]), folds: 3, seed: 1);
        Assert.All(classification.Results, r => Assert.False(r.Failed, r.Note));
        Assert.Equal("Baseline", classification.Leaderboard[^1].Candidate);   // accuracy: higher is better
        Assert.InRange(classification.Leaderboard[^1].Mean!.Value, 0.43, 0.45);   // the largest class, Adelie: 152 of 344
        Assert.All(classification.Leaderboard.SkipLast(1), r => Assert.InRange(r.Mean!.Value, 0.93, 1.0));

        var binary = Compare("credit_data", Candidate.Named(["lightgbm", "fastforest", "linear"]), folds: 2, seed: 1);
        Assert.All(binary.Results, r => Assert.InRange(r.Metric!.Value, 0.78, 0.9));
    }

    [Fact]
    public void The_binary_FastForest_candidate_gives_probabilities_calibrated_from_its_score()
    {
        // ML.NET's forest alone gives a score (an ensemble would blend it with other members' probabilities) and no probability.
        var data = LabelPreparation.Prepare(_ml, TestData.View("credit_data"), "Status", PredictionTask.BinaryClassification);
        var fold = DataCatalogExtensions.StratifiedFolds(data, "Status", 3, 42)[0];
        var settings = new CandidateSettings(_ml, PredictionTask.BinaryClassification, "Status", 42, Environment.ProcessorCount, null, null, CancellationToken.None);
        var scored = Candidate.Named(["fastforest"])[0].CreatePipeline(settings).Fit(RowSubsetView.Of(data, fold.TrainRows)).Transform(RowSubsetView.Of(data, fold.TestRows));

        var metrics = _ml.BinaryClassification.Evaluate(scored, "Status");   // needs the Probability column
        var positives = scored.GetColumn<bool>("Status").Average(s => s ? 1.0 : 0.0);
        var priorLogLoss = -(positives * Math.Log2(positives) + (1 - positives) * Math.Log2(1 - positives));
        Assert.InRange(metrics.LogLoss, 0.3, 0.9 * priorLogLoss);   // better than the class rates alone (0.85 bits)
        Assert.InRange(scored.GetColumn<float>("Probability").Average(), positives - 0.05, positives + 0.05);
        Assert.Equal(metrics.AreaUnderRocCurve, _ml.BinaryClassification.EvaluateNonCalibrated(scored, "Status").AreaUnderRocCurve, 3);   // Platt is monotone
    }

    [Fact]
    public void Any_ML_NET_estimator_of_the_user_is_a_candidate()
    {
        var mine = _ml.Transforms.ReplaceMissingValues("Income")
            .Append(_ml.Transforms.Concatenate("Features", "Income", "Age", "Seniority", "Amount"))
            .Append(_ml.BinaryClassification.Trainers.FastTree(labelColumnName: "Status", numberOfLeaves: 8, numberOfTrees: 50));
        var result = Compare("credit_data", [Candidate.FromEstimator("Mine", ModelFamily.Classical, mine), .. Candidate.Named(["baseline"])], folds: 3);
        var row = result.Leaderboard[0];
        Assert.Equal("Mine", row.Candidate);
        Assert.InRange(row.Mean!.Value, 0.7, 0.85);
    }

    [Fact]
    public void The_mean_and_standard_deviation_are_over_the_folds()
    {
        var result = Compare("concrete", Candidate.Named(["linear"]), folds: 4, seed: 3);
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
        var result = Compare("penguins", [broken, .. Candidate.Named(["baseline"])], folds: 3, seed: 1);

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
        var result = Compare("credit_data", Candidate.Named(["resnet"]), folds: 2, seed: 1, timeLimit: TimeSpan.FromMilliseconds(1));
        Assert.All(result.Results, r => Assert.Equal("1 epoch, best 1 (time limit (0.001 s))", r.Note));
        Assert.All(result.Results, r => Assert.InRange(r.Metric!.Value, 0.0, 1.0));   // stopped after its first batch, and still scored

        // A fit in mixed precision says so: its figures differ from a float32 fit's of the same options.
        var mixed = Compare("credit_data", [Candidate.Deep(new ResNetOptions { MixedPrecision = true })], folds: 2, seed: 1, timeLimit: TimeSpan.FromMilliseconds(1));
        Assert.All(mixed.Results, r => Assert.Equal("1 epoch, best 1 (time limit (0.001 s)); bfloat16 autocast", r.Note));
    }

    [Fact]
    public void The_bagged_MLP_runs_by_name_only_and_its_bags_share_the_folds_time_limit()
    {
        Assert.DoesNotContain(Candidate.Defaults, c => c.Name == "MLP bagged");
        Assert.DoesNotContain(Candidate.Portfolio, c => c.Name == "MLP bagged");
        var result = Compare("credit_data", Candidate.Named(["mlp-bagged"]), folds: 2, seed: 1, timeLimit: TimeSpan.FromMilliseconds(1));
        // Each of the 5 bags stopped after its first batch, and the whole reads as stopped by the limit.
        Assert.All(result.Results, r => Assert.Equal("5 epochs, best 1 (time limit (0.001 s) for 5 bags: 5 cut)", r.Note));
        Assert.All(result.Results, r => Assert.InRange(r.Metric!.Value, 0.0, 1.0));
    }

    [Fact]
    public void Progress_reports_folds_and_epochs_in_order()
    {
        var events = new List<ComparisonProgress>();
        Compare("penguins", [.. Candidate.Named(["baseline"]), Candidate.Deep(new ResNetOptions { MaxEpochs = 3, Patience = null })], folds: 2, seed: 1,
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
        Assert.ThrowsAny<OperationCanceledException>(() => Compare("penguins", Candidate.Named(["baseline", "xgboost"]), onFoldResult: Record, cancellation: cancellation.Token));
        Assert.Equal(2, finished.Count);
    }

    [Fact]
    public void A_missing_label_column_names_the_columns_that_exist()
    {
        var error = Assert.Throws<DataValidationException>(() => CrossValidation.Compare(_ml, TestData.View("penguins"),
            new ComparisonSettings("Species", PredictionTask.MulticlassClassification), Candidate.Named(["baseline"])));
        Assert.Contains("'Species'", error.Message);
        Assert.Contains("species", error.Message);
    }

    [Fact]
    public void Unknown_model_names_are_refused_with_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => Candidate.Named(["xgboost", "catboost"]));
        Assert.Contains("'catboost'", error.Message);
        Assert.Contains("baseline, linear, lightgbm, fasttree, fastforest, xgboost, xgboost-forest, mlp, resnet, ft-transformer, tabm, mlp-bagged", error.Message);
        Assert.Equal(["XGBoost forest", "FT-Transformer"], Candidate.Named(["XGBoost-Forest", "ft-transformer"]).Select(c => c.Name));
    }

    private sealed class Synchronous<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
