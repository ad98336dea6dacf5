using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using MLPipelines.Data;
using MLPipelines.Trainers;

namespace MLPipelines.Tests;

/// <summary>Ridge regression by Cholesky: the weights it should find, the weights' meaning, ML.NET's model files, and its errors.</summary>
public sealed class RidgeRegressionTests
{
    private readonly MLContext _ml = new(seed: 5);

    private sealed class Row
    {
        [VectorType(8)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }

        public float Weight { get; set; } = 1;
    }

    private static (float[] Weights, float Bias) Coefficients(RegressionPredictionTransformer<LinearRegressionModelParameters> model) =>
        (model.Model.Weights.ToArray(), model.Model.Bias);

    private static void AssertClose(double expected, double actual, double relative, double absolute = 0) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Abs(expected) + absolute, $"expected {expected:R}, got {actual:R}");

    [Fact]
    public void It_recovers_the_coefficients_that_made_the_data()
    {
        // y = 3 + Σ βᵢxᵢ + noise (σ 0.01), the features far from 0 (means 1000) to show that the
        // one-pass centering keeps the digits the textbook XᵀX − n·x̄x̄ᵀ would lose.
        double[] beta = [2, -1, 0.5, 0, 4, -3, 0.25, 1];
        var random = new Random(11);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var rows = Enumerable.Range(0, 5000).Select(_ =>
        {
            var x = beta.Select((_, i) => (float)(1000 + (i + 1) * Normal())).ToArray();
            return new Row { Features = x, Label = (float)(3 + beta.Select((b, i) => b * (x[i] - 1000)).Sum() + 0.01 * Normal()) };
        }).ToList();
        var model = _ml.Regression.Trainers.Ridge(l2: 0).Fit(_ml.Data.LoadFromEnumerable(rows));
        var (weights, bias) = Coefficients(model);
        for (var i = 0; i < beta.Length; i++) AssertClose(beta[i], weights[i], 0, 1e-3);
        // The intercept at the features' origin is 3 − 1000·Σβ: checked where the data are, at x = 1000.
        AssertClose(3, bias + 1000 * weights.Sum(w => (double)w), 0, 0.05);
    }

    /// <summary>concrete's 8 raw features and strength, with example weights 1, 2, 3, 1, 2, 3, … by row.</summary>
    private IDataView Concrete()
    {
        var view = TestData.View("concrete");
        string[] features = ["cement", "blast_furnace_slag", "fly_ash", "water", "superplasticizer", "coarse_aggregate", "fine_aggregate", "age"];
        var columns = features.Select(f => view.GetColumn<float>(f).ToArray()).ToArray();
        var label = view.GetColumn<float>("compressive_strength").ToArray();
        return _ml.Data.LoadFromEnumerable(label.Select((y, r) => new Row { Features = columns.Select(c => c[r]).ToArray(), Label = y, Weight = 1 + r % 3 }).ToList());
    }

    public static TheoryData<double, bool, double, double[]> ScikitLearn => new()
    {
        // Printed by: /usr/bin/python3 tests/MLPipelines.Tests/References/ridge.py (python3-sklearn 1.2.1, Ridge(solver="cholesky")).
        { 1.0, false, -23.32960571531359, [0.11980439874493305, 0.10386586716487195, 0.08793477354408925, -0.14992238836276173, 0.2922038167659197, 0.018085577041339878, 0.02019011357173821, 0.1142220508249454] },
        { 1e6, false, 0.4043663757906657, [0.097479346304266, 0.0702313998155587, 0.056899034348005875, -0.06892302186792476, 0.01974571133135653, 0.00048704520881307195, 0.010512216011692655, 0.07704880227419875] },
        { 1.0, true, -37.602859606471156, [0.12390692350928863, 0.10918888245657134, 0.09465729854659441, -0.12195312187953393, 0.3267884787104404, 0.02146472144123593, 0.025042330990588852, 0.11642504503805312] },
    };

    [Theory]
    [MemberData(nameof(ScikitLearn))]
    public void It_finds_scikit_learns_Ridge_weights_on_concrete(double l2, bool weighted, double intercept, double[] coefficients)
    {
        var model = _ml.Regression.Trainers.Ridge("Label", exampleWeightColumnName: weighted ? "Weight" : null, l2: l2).Fit(Concrete());
        var (weights, bias) = Coefficients(model);
        // Single precision weights: seven digits; the intercept is a difference of terms near 100.
        for (var i = 0; i < coefficients.Length; i++) AssertClose(coefficients[i], weights[i], 1e-5);
        AssertClose(intercept, bias, 0, 1e-3);
    }

    [Fact]
    public void An_example_weight_counts_as_that_many_copies_of_the_row()
    {
        var rows = _ml.Data.CreateEnumerable<Row>(Concrete(), reuseRowObject: false).Take(300).ToList();
        var copied = rows.SelectMany(r => Enumerable.Repeat(new Row { Features = r.Features, Label = r.Label }, (int)r.Weight)).ToList();
        var weighted = Coefficients(_ml.Regression.Trainers.Ridge(exampleWeightColumnName: "Weight").Fit(_ml.Data.LoadFromEnumerable(rows)));
        var repeated = Coefficients(_ml.Regression.Trainers.Ridge().Fit(_ml.Data.LoadFromEnumerable(copied)));
        for (var i = 0; i < 8; i++) AssertClose(repeated.Weights[i], weighted.Weights[i], 1e-4);
        AssertClose(repeated.Bias, weighted.Bias, 1e-4);

        // Weight 0 is the same as leaving the row out.
        var zeroed = rows.Select((r, i) => new Row { Features = r.Features, Label = r.Label, Weight = i % 2 }).ToList();
        var odd = rows.Where((_, i) => i % 2 == 1).ToList();
        var withZeros = Coefficients(_ml.Regression.Trainers.Ridge(exampleWeightColumnName: "Weight").Fit(_ml.Data.LoadFromEnumerable(zeroed)));
        var without = Coefficients(_ml.Regression.Trainers.Ridge().Fit(_ml.Data.LoadFromEnumerable(odd)));
        for (var i = 0; i < 8; i++) AssertClose(without.Weights[i], withZeros.Weights[i], 1e-4);
    }

    [Fact]
    public void A_featurized_pipeline_is_ML_NETs_linear_model_that_saves_loads_and_explains_itself()
    {
        var (data, label, _) = TestData.Prepared(_ml, "concrete");
        var split = _ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);
        var model = _ml.Transforms.Featurize(label).Append(_ml.Regression.Trainers.Ridge(label)).Fit(split.TrainSet);
        var metrics = _ml.Regression.Evaluate(model.Transform(split.TestSet), label);
        // A linear model explains about 60% of concrete strength's variance (its mixtures act non-linearly).
        Assert.InRange(metrics.RSquared, 0.5, 0.75);

        var path = Path.Combine(TestData.TemporaryDirectory(), "ridge.zip");
        _ml.Model.Save(model, data.Schema, path);
        var loaded = new MLContext().Model.Load(path, out _);
        var steps = ((IEnumerable<ITransformer>)loaded).ToList();
        Assert.IsType<RegressionPredictionTransformer<LinearRegressionModelParameters>>(steps[^1]);
        Assert.Equal(model.Transform(split.TestSet).GetColumn<float>("Score"), loaded.Transform(split.TestSet).GetColumn<float>("Score"));
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);

        // Permutation feature importance finds ML.NET's linear predictor as it finds SDCA's.
        var featurized = model.Take(1).Single().Transform(split.TestSet);
        var importance = _ml.Regression.PermutationFeatureImportance(model.LastTransformer, featurized, label, permutationCount: 1);
        Assert.Equal(8, importance.Length);
    }

    [Fact]
    public void Collinear_features_without_a_penalty_are_solved_with_jitter_and_a_warning()
    {
        var warnings = new List<string>();
        _ml.Log += (_, e) => { if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Warning) warnings.Add(e.Message); };
        // Slot 1 is twice slot 0; slot 2 is constant.
        var rows = Enumerable.Range(0, 50).Select(i => new Row { Features = [i, 2 * i, 7, 0, 0, 0, 0, 0], Label = 1 + 3 * i }).ToList();
        var model = _ml.Regression.Trainers.Ridge(l2: 0).Fit(_ml.Data.LoadFromEnumerable(rows));
        var scores = model.Transform(_ml.Data.LoadFromEnumerable(rows)).GetColumn<float>("Score").ToArray();
        for (var i = 0; i < rows.Count; i++) AssertClose(rows[i].Label, scores[i], 1e-4, 1e-3);
        Assert.Contains(warnings, w => w.Contains("not positive definite") && w.Contains("added to its diagonal"));
    }

    [Fact]
    public void Bad_input_is_named()
    {
        var concrete = Concrete();
        var noLabel = Assert.Throws<DataValidationException>(() => _ml.Regression.Trainers.Ridge("strength").Fit(concrete));
        Assert.Contains("Ridge reads the label column 'strength', but the data has no such column (columns: Features, Label, Weight)", noLabel.Message);
        // ML.NET checks the schema before fitting a chain: the same message, before any work.
        Assert.Contains("no such column", Assert.Throws<DataValidationException>(() =>
            _ml.Transforms.CopyColumns("Copy", "Label").Append(_ml.Regression.Trainers.Ridge("strength")).Fit(concrete)).Message);

        var missing = new[] { new Row { Features = [1, 2, 3, 4, 5, 6, 7, 8], Label = 1 }, new Row { Features = [1, float.NaN, 3, 4, 5, 6, 7, 8], Label = 2 } };
        Assert.Contains("'Features' is NaN in slot 'Features[1]' on row 2 of the training data",
            Assert.Throws<DataValidationException>(() => _ml.Regression.Trainers.Ridge().Fit(_ml.Data.LoadFromEnumerable(missing))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Regression.Trainers.Ridge(l2: -1));
    }
}
