using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data;
using MLPipelines.Data.DataViews;
using MLPipelines.Trainers;

namespace MLPipelines.Tests;

/// <summary>
/// The project's trainers as ML.NET trainers, shown with the baseline (whose predictions are
/// known exactly): ML.NET's output columns, evaluators, cross-validation, PredictionEngine,
/// permutation feature importance, estimator schemas and example weights.
/// </summary>
public sealed class MLNetConventionTests
{
    private readonly MLContext _ml = new(seed: 11);

    [Fact]
    public void A_regression_pipeline_adds_a_Score_that_ML_NET_evaluates()
    {
        var data = TestData.View("concrete");
        var split = _ml.Data.StratifiedTrainTestSplit(data, "compressive_strength", 0.2);
        var model = _ml.Transforms.Featurize("compressive_strength").Append(_ml.Regression.Trainers.Baseline("compressive_strength")).Fit(split.TrainSet);
        var scored = model.Transform(split.TestSet);
        Assert.Equal(NumberDataViewType.Single, scored.Schema["Score"].Type);
        var mean = split.TrainSet.GetColumn<float>("compressive_strength").Average(v => (double)v);
        Assert.All(scored.GetColumn<float>("Score"), s => Assert.Equal((float)mean, s));
        var labels = split.TestSet.GetColumn<float>("compressive_strength").Select(v => (double)v).ToArray();
        var metrics = _ml.Regression.Evaluate(scored, "compressive_strength");
        Assert.Equal(Math.Sqrt(labels.Average(y => (y - (float)mean) * (y - (float)mean))), metrics.RootMeanSquaredError, 5);
        Assert.True(metrics.RSquared <= 0);   // a constant cannot explain variance
        // The input's columns stay; ML.NET's scorer annotations are there.
        Assert.Equal(split.TestSet.Schema.Select(c => c.Name).Append("Features").Append("Score"), scored.Schema.Select(c => c.Name));
        Assert.Equal("Regression", Annotation(scored.Schema["Score"], AnnotationNames.ScoreColumnKind));
    }

    private static string Annotation(DataViewSchema.Column column, string name)
    {
        ReadOnlyMemory<char> value = default;
        column.Annotations.GetValue(name, ref value);
        return value.ToString();
    }

    [Fact]
    public void A_binary_pipeline_adds_Score_Probability_and_a_Boolean_PredictedLabel()
    {
        var (data, label, _) = TestData.Prepared(_ml, "wa_churn");
        Assert.Equal(BooleanDataViewType.Instance, data.Schema[label].Type);
        var scored = _ml.Transforms.Featurize(label).Append(_ml.BinaryClassification.Trainers.Baseline(label)).Fit(data).Transform(data);
        Assert.Equal(BooleanDataViewType.Instance, scored.Schema["PredictedLabel"].Type);
        var yesShare = data.GetColumn<bool>(label).Average(y => y ? 1.0 : 0.0);
        Assert.All(scored.GetColumn<float>("Probability"), p => Assert.Equal(yesShare, p, 5));
        Assert.All(scored.GetColumn<float>("Score"), s => Assert.Equal(Math.Log(yesShare / (1 - yesShare)), s, 5));
        Assert.All(scored.GetColumn<bool>("PredictedLabel"), Assert.False);   // "No" is always the more likely
        var metrics = _ml.BinaryClassification.Evaluate(scored, label);
        Assert.Equal(0.5, metrics.AreaUnderRocCurve, 12);   // every score tied
        Assert.Equal(1 - yesShare, metrics.Accuracy, 9);
    }

    [Fact]
    public void A_multiclass_pipeline_adds_a_Score_vector_named_by_class_and_a_key_PredictedLabel()
    {
        var penguins = TestData.View("penguins");
        var pipeline = _ml.Transforms.Conversion.MapValueToKey("species")
            .Append(_ml.Transforms.Featurize("species"))
            .Append(_ml.MulticlassClassification.Trainers.Baseline("species"))
            .Append(_ml.Transforms.Conversion.MapKeyToValue("PredictedSpecies", "PredictedLabel"));
        // ML.NET checks the whole chain's output schema before fitting: the trainer's says that
        // PredictedLabel has the label's key values, or MapKeyToValue would refuse it.
        var scored = pipeline.Fit(penguins).Transform(penguins);
        Assert.Equal(TextDataViewType.Instance, scored.Schema["PredictedSpecies"].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), scored.Schema["Score"].Type);
        Assert.Equal(new KeyDataViewType(typeof(uint), 3), scored.Schema["PredictedLabel"].Type);
        VBuffer<ReadOnlyMemory<char>> names = default;
        scored.Schema["Score"].GetSlotNames(ref names);
        Assert.Equal(["Adelie", "Gentoo", "Chinstrap"], names.DenseValues().Select(n => n.ToString()));   // the key's order: first seen first
        Assert.All(scored.GetColumn<ReadOnlyMemory<char>>("PredictedSpecies"), s => Assert.Equal("Adelie", s.ToString()));
        var metrics = _ml.MulticlassClassification.Evaluate(scored, "species");
        Assert.Equal(152 / 344.0, metrics.MicroAccuracy, 12);   // the largest class, Adelie
        var priors = scored.GetColumn<float[]>("Score").First();
        Assert.Equal(1f, priors.Sum(), 5);
    }

    [Fact]
    public void Rows_whose_key_label_has_a_class_never_seen_are_still_predicted()
    {
        // The model reads features only: a label value the key mapping never saw (key 0) does not stop prediction.
        var penguins = TestData.View("penguins");
        var model = _ml.Transforms.Conversion.MapValueToKey("species")
            .Append(_ml.Transforms.Featurize("species"))
            .Append(_ml.MulticlassClassification.Trainers.Baseline("species"))
            .Append(_ml.Transforms.Conversion.MapKeyToValue("PredictedSpecies", "PredictedLabel")).Fit(penguins);
        var emperors = new DataTableView(TestData.Load("penguins").Select([0, 1, 2]).WithColumn(CategoricalColumn.FromValues("species", ["Emperor", "Emperor", "Adelie"])));
        var scored = model.Transform(emperors);
        Assert.Equal([0u, 0u, 1u], scored.GetColumn<uint>("species"));
        Assert.All(scored.GetColumn<ReadOnlyMemory<char>>("PredictedSpecies"), p => Assert.Equal("Adelie", p.ToString()));
    }

    [Fact]
    public void ML_NET_cross_validation_runs_the_pipeline_on_its_folds()
    {
        var data = TestData.View("concrete");
        var pipeline = _ml.Transforms.Featurize("compressive_strength").Append(_ml.Regression.Trainers.Baseline("compressive_strength"));
        var results = _ml.Regression.CrossValidate(data, pipeline, numberOfFolds: 4, labelColumnName: "compressive_strength");
        Assert.Equal(4, results.Count);
        Assert.All(results, r => Assert.InRange(r.Metrics.RootMeanSquaredError, 14, 19));   // the strength's standard deviation is 16.7
    }

    [Fact]
    public void PredictionEngine_predicts_single_objects_as_the_pipeline_predicts_views()
    {
        var penguins = TestData.View("penguins");
        var model = _ml.Transforms.Conversion.MapValueToKey("species")
            .Append(_ml.Transforms.Featurize("species"))
            .Append(_ml.MulticlassClassification.Trainers.Baseline("species"))
            .Append(_ml.Transforms.Conversion.MapKeyToValue("PredictedSpecies", "PredictedLabel")).Fit(penguins);
        var engine = _ml.Model.CreatePredictionEngine<Penguin, PenguinPrediction>(model);
        var first = engine.Predict(new Penguin { species = "Gentoo", island = "Biscoe", bill_length_mm = 47, bill_depth_mm = 15, flipper_length_mm = 215, body_mass_g = 5000, sex = "male", year = 2008 });
        var second = engine.Predict(new Penguin { species = "Adelie", island = "Dream", bill_length_mm = 38, bill_depth_mm = 18, flipper_length_mm = 190, body_mass_g = 3700, sex = "", year = 2009 });
        var expected = model.Transform(penguins).GetColumn<float[]>("Score").First();
        Assert.Equal(expected, first.Score);
        Assert.Equal(expected, second.Score);
        Assert.Equal("Adelie", first.PredictedSpecies);
    }

    private sealed class Penguin
    {
        public string species { get; set; } = "";
        public string island { get; set; } = "";
        public float bill_length_mm { get; set; }
        public float bill_depth_mm { get; set; }
        public float flipper_length_mm { get; set; }
        public float body_mass_g { get; set; }
        public string sex { get; set; } = "";
        public float year { get; set; }
    }

    private sealed class PenguinPrediction
    {
        public string PredictedSpecies { get; set; } = "";
        public float[] Score { get; set; } = [];
    }

    [Fact]
    public void Permutation_feature_importance_finds_the_prediction_transformer_and_names_the_slots()
    {
        var data = TestData.View("concrete");
        var model = _ml.Transforms.Featurize("compressive_strength").Append(_ml.Regression.Trainers.Baseline("compressive_strength")).Fit(data);
        var scored = model.Transform(data);
        var importance = _ml.Regression.PermutationFeatureImportance(model, scored, labelColumnName: "compressive_strength");
        Assert.Equal(((Transforms.FeaturizerTransformer)model.First()).SlotNames.Order(), importance.Keys.Order());
        Assert.All(importance.Values, v => Assert.Equal(0, v.RootMeanSquaredError.Mean));   // the baseline ignores its features
        var single = _ml.Regression.PermutationFeatureImportance(model.LastTransformer, scored, labelColumnName: "compressive_strength");
        Assert.Equal(importance.Count, single.Length);
    }

    [Fact]
    public void Example_weights_weigh_the_rows()
    {
        var data = _ml.Data.LoadFromEnumerable(new[]
        {
            new WeightedRow { X = 1, Y = 10, W = 1 }, new WeightedRow { X = 2, Y = 20, W = 3 }, new WeightedRow { X = 3, Y = 40, W = 0 },
        });
        var model = _ml.Transforms.Featurize("Y", exampleWeightColumnName: "W")
            .Append(_ml.Regression.Trainers.Baseline("Y", exampleWeightColumnName: "W")).Fit(data);
        Assert.Equal(17.5f, model.Transform(data).GetColumn<float>("Score").First());   // (10 + 3·20) / 4
        Assert.DoesNotContain("W", ((Transforms.FeaturizerTransformer)model.First()).SlotNames);
        var negative = _ml.Data.LoadFromEnumerable(new[] { new WeightedRow { X = 1, Y = 1, W = -1 }, new WeightedRow { X = 2, Y = 3, W = 1 } });
        Assert.Contains("finite and not negative", Assert.Throws<DataValidationException>(() =>
            _ml.Transforms.Featurize("Y", exampleWeightColumnName: "W").Append(_ml.Regression.Trainers.Baseline("Y", exampleWeightColumnName: "W")).Fit(negative)).Message);
    }

    private sealed class WeightedRow
    {
        public float X { get; set; }
        public float Y { get; set; }
        public float W { get; set; }
    }

    [Fact]
    public void Stratified_splits_keep_each_class_in_proportion_and_folds_cover_every_row_once()
    {
        var (data, label, _) = TestData.Prepared(_ml, "wa_churn");
        var split = _ml.Data.StratifiedTrainTestSplit(data, label, 0.2, seed: 1);
        double YesShare(IDataView view) => view.GetColumn<bool>(label).Average(y => y ? 1.0 : 0.0);
        Assert.Equal(1409, split.TestSet.GetColumn<bool>(label).Count());   // round(7043 · 0.2)
        Assert.InRange(YesShare(split.TestSet), YesShare(data) - 0.002, YesShare(data) + 0.002);

        var folds = _ml.Data.StratifiedCrossValidationSplit(data, label, 5, seed: 1);
        var tested = folds.SelectMany(f => f.TestSet.GetColumn<float>("tenure").Zip(f.TestSet.GetColumn<float>("monthly_charges"))).ToList();
        Assert.Equal(7043, tested.Count);
        Assert.Equal(data.GetColumn<float>("tenure").Zip(data.GetColumn<float>("monthly_charges")).Order(), tested.Order());
    }
}
