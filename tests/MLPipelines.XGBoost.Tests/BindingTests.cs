using MLPipelines.XGBoost;

namespace MLPipelines.XGBoost.Tests;

/// <summary>The plain float-matrix API over XGBoost's C API.</summary>
public sealed class BindingTests
{
    private const int Rows = 400, Columns = 4;

    /// <summary>y = 3·x0 + x1·x2 (x3 is noise-free irrelevant), rows of uniform features.</summary>
    private static (float[] X, float[] Y) Data(int seed)
    {
        var random = new Random(seed);
        var x = Enumerable.Range(0, Rows * Columns).Select(_ => (float)random.NextDouble()).ToArray();
        var y = Enumerable.Range(0, Rows).Select(r => 3 * x[r * Columns] + x[r * Columns + 1] * x[r * Columns + 2]).ToArray();
        return (x, y);
    }

    private static Booster Train(float[] x, float[] y, int rounds = 30, int seed = 0, double subsample = 1, int threads = 2)
    {
        using var matrix = DMatrix.FromDense(x, Rows, Columns);
        matrix.SetLabels(y);
        var booster = Booster.Create(matrix);
        booster.SetParameters(new Dictionary<string, string>
        {
            ["objective"] = "reg:squarederror", ["tree_method"] = "hist", ["eval_metric"] = "rmse", ["seed"] = seed.ToString(),
            ["subsample"] = subsample.ToString(System.Globalization.CultureInfo.InvariantCulture), ["nthread"] = threads.ToString(),
        });
        booster.SetFeatureNames(["a", "b", "c", "d"]);
        for (var i = 0; i < rounds; i++) booster.Update(i, matrix);
        return booster;
    }

    [Fact]
    public void Trains_evaluates_and_predicts_through_a_matrix_and_in_place_alike()
    {
        var (x, y) = Data(1);
        using var booster = Train(x, y);
        using var matrix = DMatrix.FromDense(x, Rows, Columns);
        matrix.SetLabels(y);
        var evaluation = booster.Evaluate(29, [("train", matrix)]);
        Assert.StartsWith("[29]\ttrain-rmse:", evaluation);
        Assert.InRange(Booster.ParseMetric(evaluation), 0, 0.1);
        var predictions = booster.Predict(matrix);
        Assert.Equal(Rows, predictions.Length);
        var single = new float[1];
        for (var r = 0; r < 10; r++)
        {
            Assert.Equal(1, booster.PredictDense(x.AsSpan(r * Columns, Columns), 1, Columns, single));
            Assert.Equal(predictions[r], single[0]);
        }
        Assert.Equal(30, booster.BoostedRounds);
        Assert.Equal(Columns, booster.FeatureCount);
        Assert.Matches(@"^1\.7\.\d+$", Booster.LibraryVersion);
    }

    [Fact]
    public void Saved_bytes_reload_into_identical_predictions()
    {
        var (x, y) = Data(2);
        using var booster = Train(x, y);
        using var matrix = DMatrix.FromDense(x, Rows, Columns);
        using var reloaded = Booster.Load(booster.Save());
        Assert.Equal(booster.Predict(matrix), reloaded.Predict(matrix));
        Assert.Equal(booster.Save(), reloaded.Save());
    }

    [Fact]
    public void Feature_importance_is_reported_by_name()
    {
        var (x, y) = Data(3);
        using var booster = Train(x, y);
        var gain = booster.FeatureScores("gain");
        var weight = booster.FeatureScores("weight");
        Assert.True(gain["a"] > gain.GetValueOrDefault("d"), "the feature the target depends on most has the most gain");
        Assert.All(weight.Values, w => Assert.True(w >= 1));
        Assert.Subset(new HashSet<string> { "a", "b", "c", "d" }, gain.Keys.ToHashSet());
    }

    [Fact]
    public void The_same_seed_gives_the_same_model_and_the_thread_count_is_applied()
    {
        var (x, y) = Data(4);
        using var first = Train(x, y, seed: 7, subsample: 0.5, threads: 1);
        using var second = Train(x, y, seed: 7, subsample: 0.5, threads: 1);
        using var other = Train(x, y, seed: 8, subsample: 0.5, threads: 1);
        Assert.Equal(first.Save(), second.Save());
        Assert.NotEqual(first.Save(), other.Save());
        Assert.Contains("\"nthread\":\"1\"", first.Configuration.Replace(" ", ""));
        using var three = Train(x, y, threads: 3);
        Assert.Contains("\"nthread\":\"3\"", three.Configuration.Replace(" ", ""));
        Assert.Contains("\"seed\":\"7\"", first.Configuration.Replace(" ", ""));
    }

    // ---- bad input: clear exceptions ----

    [Fact]
    public void An_empty_or_ill_shaped_matrix_is_refused()
    {
        Assert.Contains("empty matrix", Assert.Throws<ArgumentException>(() => DMatrix.FromDense([], 0, 3)).Message);
        Assert.Contains("cannot fill", Assert.Throws<ArgumentException>(() => DMatrix.FromDense(new float[5], 2, 3)).Message);
    }

    [Fact]
    public void Non_finite_labels_and_negative_weights_are_named()
    {
        using var matrix = DMatrix.FromDense(new float[6], 3, 2);
        Assert.Contains("label 1 is NaN", Assert.Throws<ArgumentException>(() => matrix.SetLabels([1f, float.NaN, 2f])).Message);
        Assert.Contains("label 2 is Infinity", Assert.Throws<ArgumentException>(() => matrix.SetLabels([1f, 0f, float.PositiveInfinity])).Message);
        Assert.Contains("weight 0 is -1", Assert.Throws<ArgumentException>(() => matrix.SetWeights([-1f, 1f, 1f])).Message);
        Assert.Contains("2 labels for 3 rows", Assert.Throws<ArgumentException>(() => matrix.SetLabels([1f, 2f])).Message);
    }

    [Fact]
    public void A_class_index_out_of_range_is_xgboosts_error_as_an_exception()
    {
        var (x, _) = Data(5);
        using var matrix = DMatrix.FromDense(x, Rows, Columns);
        matrix.SetLabels(Enumerable.Range(0, Rows).Select(r => (float)(r % 4)).ToArray());
        using var booster = Booster.Create(matrix);
        booster.SetParameters(new Dictionary<string, string> { ["objective"] = "multi:softprob", ["num_class"] = "3" });
        var error = Assert.Throws<XGBoostException>(() => booster.Update(0, matrix));
        Assert.Contains("label must be in [0, num_class)", error.Message);
        Assert.DoesNotContain("Stack trace", error.Message);
    }

    [Fact]
    public void A_prediction_with_the_wrong_feature_count_is_xgboosts_error_as_an_exception()
    {
        var (x, y) = Data(6);
        using var booster = Train(x, y, rounds: 2);
        var output = new float[1];
        var error = Assert.Throws<XGBoostException>(() => booster.PredictDense(new float[3], 1, 3, output));
        Assert.Contains("Number of columns in data must equal to trained model", error.Message);
        // Through a matrix XGBoost itself would treat the absent column as missing; the binding refuses.
        using var narrow = DMatrix.FromDense(new float[6], 2, 3);
        Assert.Contains("trained on 4 features but the matrix has 3 columns", Assert.Throws<ArgumentException>(() => booster.Predict(narrow)).Message);
        Assert.Throws<XGBoostException>(() => Booster.Load([1, 2, 3, 4]));
    }
}
