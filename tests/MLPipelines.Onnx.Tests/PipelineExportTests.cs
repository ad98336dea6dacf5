using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;
using MLPipelines.Data.Csv;
using MLPipelines.Data.DataViews;
using MLPipelines.Onnx.Protobuf;
using MLPipelines.Tests;
using MLPipelines.Trainers;
using MLPipelines.Transforms;
using MLPipelines.XGBoost;
using Xunit.Abstractions;

namespace MLPipelines.Onnx.Tests;

/// <summary>What the export takes from a pipeline, what it refuses and why, and what the written file declares.</summary>
public sealed class PipelineExportTests(ITestOutputHelper output)
{
    private readonly MLContext _ml = new(seed: 1);

    [Theory]
    [InlineData("concrete")]
    [InlineData("credit_data")]
    [InlineData("penguins")]
    public void The_baseline_exports_its_constant_prediction(string dataset)
    {
        var (train, score, label, task) = Parity.Data(_ml, dataset, 300, 300);
        var model = _ml.Transforms.Featurize(label).Append(new BaselineTrainer(task, new TrainerColumns(label))).Fit(train);
        Assert.True(Parity.Compare(_ml, model, train, score, task, output) < 1e-6);
    }

    [Fact]
    public void A_label_mapping_before_the_featurizer_is_left_out_because_predictions_do_not_read_it()
    {
        // The user's pipeline: raw rows, the label mapped to a key inside it.
        var raw = TestData.View("penguins");
        var pipeline = _ml.Transforms.Conversion.MapValueToKey("species")
            .Append(_ml.Transforms.Featurize("species", FeaturizerOptions.ForTrees))
            .Append(_ml.MulticlassClassification.Trainers.XGBoost("species"));
        var model = pipeline.Fit(raw);
        var worst = Parity.Compare(_ml, model, raw, raw, PredictionTask.MulticlassClassification, output);
        Assert.True(worst < 1e-5);
    }

    [Fact]
    public void A_stage_that_changes_a_column_the_model_reads_is_refused_by_name()
    {
        var raw = TestData.View("penguins");
        var pipeline = _ml.Transforms.Conversion.MapValueToKey("species")
            .Append(_ml.Transforms.NormalizeMinMax("bill_length_mm"))
            .Append(_ml.Transforms.Featurize("species", FeaturizerOptions.ForTrees))
            .Append(_ml.MulticlassClassification.Trainers.XGBoost("species"));
        var model = pipeline.Fit(raw);
        var error = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(model, raw.Schema));
        Assert.Contains("NormalizingTransformer", error.Message);
        Assert.Contains("'bill_length_mm'", error.Message);
    }

    /// <summary>
    /// ML.NET's linear models, as the experiment's Linear candidate trains them, on the default
    /// featurization; also after a save and load. Up to float rounding of the dot product, summed in another order.
    /// </summary>
    [Theory]
    [InlineData("concrete", "ridge")]
    [InlineData("diamonds", "sdca")]
    [InlineData("credit_data", "lbfgs")]
    [InlineData("penguins", "maximum-entropy")]
    [InlineData("penguins", "one-versus-all")]
    public void MLNET_linear_models_export_as_ML_NET_computes_them(string dataset, string trainer)
    {
        var (train, score, label, task) = Parity.Data(_ml, dataset, 800, 1200);
        IEstimator<ITransformer> model = trainer switch
        {
            "ridge" => _ml.Regression.Trainers.Ridge(label),
            "sdca" => _ml.Regression.Trainers.Sdca(label),
            "lbfgs" => _ml.BinaryClassification.Trainers.LbfgsLogisticRegression(label),
            "maximum-entropy" => _ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(label),
            _ => _ml.MulticlassClassification.Trainers.OneVersusAll(_ml.BinaryClassification.Trainers.LbfgsLogisticRegression(label), labelColumnName: label),
        };
        var fitted = _ml.Transforms.Featurize(label).Append(model).Fit(train);
        Assert.True(Parity.Compare(_ml, fitted, train, score, task, output) < 1e-5);
        var path = Path.Combine(TestData.TemporaryDirectory(), "linear.zip");
        _ml.Model.Save(fitted, train.Schema, path);
        Assert.True(Parity.Compare(_ml, _ml.Model.Load(path, out _), train, score, task, output) < 1e-5);
    }

    /// <summary>
    /// ML.NET's tree ensembles with their defaults, for each task, set up as the experiment's candidates are (featurized for trees:
    /// missing values reach the trees; categories as one-hot slot ranges, which LightGbm splits
    /// on as sets); also after a save and load. Credit_data and penguins have
    /// missing values in their training rows (LightGbm learns where they go), and every model
    /// scores rows with one feature blanked in turn. Up to float rounding of the leaf sums.
    /// </summary>
    [Theory]
    [InlineData("concrete", "fasttree")]
    [InlineData("diamonds", "fastforest")]
    [InlineData("diamonds", "lightgbm")]
    [InlineData("diamonds", "lightgbm-category-splits")]
    [InlineData("credit_data", "fasttree")]
    [InlineData("credit_data", "fastforest")]
    [InlineData("credit_data", "fastforest-calibrated")]
    [InlineData("credit_data", "lightgbm")]
    [InlineData("penguins", "fasttree")]
    [InlineData("penguins", "fastforest")]
    [InlineData("penguins", "lightgbm")]
    public void MLNET_tree_ensembles_export_as_ML_NET_computes_them(string dataset, string trainer)
    {
        var (train, score, label, task) = Parity.Data(_ml, dataset, 800, 1200);
        var binary = _ml.BinaryClassification.Trainers;
        IEstimator<ITransformer> model = (task, trainer) switch
        {
            (PredictionTask.Regression, "fasttree") => _ml.Regression.Trainers.FastTree(label),
            (PredictionTask.Regression, "fastforest") => _ml.Regression.Trainers.FastForest(label),
            // LightGbm splits on category sets by itself only above 50,000 rows.
            (PredictionTask.Regression, "lightgbm-category-splits") => _ml.Regression.Trainers.LightGbm(
                new LightGbmRegressionTrainer.Options { LabelColumnName = label, UseCategoricalSplit = true }),
            (PredictionTask.Regression, _) => _ml.Regression.Trainers.LightGbm(label),
            (PredictionTask.BinaryClassification, "fasttree") => binary.FastTree(label),
            (PredictionTask.BinaryClassification, "fastforest") => binary.FastForest(label),
            // The experiment's FastForest candidate: Platt's calibrator after the forest adds the Probability column.
            (PredictionTask.BinaryClassification, "fastforest-calibrated") => binary.FastForest(label).Append(_ml.BinaryClassification.Calibrators.Platt(label)),
            (PredictionTask.BinaryClassification, _) => binary.LightGbm(label),
            // One-versus-all as the experiment builds it: FastTree's calibrated probabilities scaled to sum to 1, FastForest's raw scores.
            (_, "fasttree") => _ml.MulticlassClassification.Trainers.OneVersusAll(binary.FastTree(label), labelColumnName: label),
            (_, "fastforest") => _ml.MulticlassClassification.Trainers.OneVersusAll(binary.FastForest(label), labelColumnName: label, useProbabilities: false),
            _ => _ml.MulticlassClassification.Trainers.LightGbm(label),
        };
        var fitted = _ml.Transforms.Featurize(label, FeaturizerOptions.ForTrees).Append(model).Fit(train);
        Assert.True(Parity.Compare(_ml, fitted, train, score, task, output) < 1e-5);
        var path = Path.Combine(TestData.TemporaryDirectory(), "trees.zip");
        _ml.Model.Save(fitted, train.Schema, path);
        Assert.True(Parity.Compare(_ml, _ml.Model.Load(path, out _), train, score, task, output) < 1e-5);
    }

    /// <summary>
    /// concrete with a date column (from 1850 to 2149, a third with a time of day, every 25th missing): the exported graph
    /// computes the featurizer's calendar parts as the featurizer does, so a ridge regression, which weighs every slot,
    /// scores every row as in ML.NET.
    /// </summary>
    [Fact]
    public void The_calendar_parts_of_a_date_column_export_as_the_featurizer_computes_them()
    {
        var random = new Random(7);
        string Date(int row) => row % 25 == 0 ? ""
            : new DateTime(1850, 1, 1).AddDays(random.Next(0, 300 * 365)).AddMinutes(row % 3 == 0 ? random.Next(0, 1440) : 0).ToString("yyyy-MM-dd HH:mm");
        var path = TestData.EditedCopy("concrete", "concrete-dated.csv", (line, i) => $"{(i == 0 ? "cast" : Date(i))},{line}");
        var table = CsvReader.Read(path);
        var train = new DataTableView(table, Enumerable.Range(0, 700).ToArray());

        var model = _ml.Transforms.Featurize("compressive_strength").Append(_ml.Regression.Trainers.Ridge("compressive_strength")).Fit(train);

        Assert.Contains("cast.weekday", ((FeaturizerTransformer)model.First()).SlotNames);
        Assert.True(Parity.Compare(_ml, model, train, new DataTableView(table), PredictionTask.Regression, output) < 1e-5);
    }

    [Fact]
    public void FastTree_Tweedie_regression_is_refused_with_what_is_exported()
    {
        var (train, _, label, _) = Parity.Data(_ml, "concrete", 300, 300);
        var model = _ml.Transforms.Featurize(label, FeaturizerOptions.ForTrees).Append(_ml.Regression.Trainers.FastTreeTweedie(label)).Fit(train);
        var error = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(model, train.Schema));
        Assert.Contains("RegressionPredictionTransformer<FastTreeTweedieModelParameters>", error.Message);
        Assert.Contains("its tree ensembles (LightGbm, FastTree, FastForest; not Tweedie regression)", error.Message);
    }

    [Fact]
    public void A_key_column_read_by_the_featurizer_is_refused_with_what_to_do()
    {
        var raw = TestData.View("penguins");
        var pipeline = _ml.Transforms.Conversion.MapValueToKey("island")
            .Append(_ml.Transforms.Conversion.MapValueToKey("species"))
            .Append(_ml.Transforms.Featurize("species", FeaturizerOptions.ForTrees))
            .Append(_ml.MulticlassClassification.Trainers.XGBoost("species"));
        var model = pipeline.Fit(raw);
        // The key mapping writes a column the featurizer reads: refused at that stage, before the key itself matters.
        var error = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(model, raw.Schema));
        Assert.Contains("'island'", error.Message);

        // Given keys as raw input, the featurizer's column is refused with the fix.
        var keyed = _ml.Transforms.Conversion.MapValueToKey("island").Fit(raw).Transform(raw);
        var onKeys = _ml.Transforms.Conversion.MapValueToKey("species").Append(_ml.Transforms.Featurize("species", FeaturizerOptions.ForTrees))
            .Append(_ml.MulticlassClassification.Trainers.XGBoost("species")).Fit(keyed);
        var keyError = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(onKeys, keyed.Schema));
        Assert.Contains("column 'island'", keyError.Message);
        Assert.Contains("MapKeyToValue", keyError.Message);
    }

    [Fact]
    public void The_file_declares_its_opsets_inputs_outputs_and_metadata_and_passes_the_structural_check()
    {
        var raw = TestData.View("penguins");
        var model = _ml.Transforms.Conversion.MapValueToKey("species")
            .Append(_ml.Transforms.Featurize("species", FeaturizerOptions.ForTrees))
            .Append(_ml.MulticlassClassification.Trainers.XGBoost("species")).Fit(raw);
        var onnx = OnnxExporter.Export(model, raw.Schema);

        Assert.Equal(OnnxGraph.Opset, onnx.OpsetImport.Single(o => o.Domain == "").Version);
        Assert.Equal(OnnxGraph.MLOpset, onnx.OpsetImport.Single(o => o.Domain == OnnxGraph.MLDomain).Version);
        Assert.Equal("MLPipelines", onnx.ProducerName);
        // One input per raw feature column, [N, 1], with the symbolic batch dimension.
        Assert.Equal(["island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex", "year"], onnx.Graph.Input.Select(i => i.Name));
        Assert.All(onnx.Graph.Input.Concat(onnx.Graph.Output), v => Assert.Equal(OnnxGraph.BatchDimension, v.Type.TensorType.Shape.Dim[0].DimParam));
        Assert.Equal((int)TensorProto.Types.DataType.String, onnx.Graph.Input[0].Type.TensorType.ElemType);
        Assert.Equal(["Score", "PredictedLabel"], onnx.Graph.Output.Select(o => o.Name));
        var metadata = onnx.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("MulticlassClassification", metadata["mlpipelines.task"]);
        Assert.Equal("[\"Adelie\",\"Gentoo\",\"Chinstrap\"]", metadata["mlpipelines.classes"]);   // the label's keys, in order of appearance
        OnnxCheck.Graph(onnx.Graph);
    }

    [Fact]
    public void The_structural_check_names_an_undefined_input_and_a_value_defined_twice()
    {
        var graph = new GraphProto { Name = "g" };
        graph.Input.Add(new ValueInfoProto { Name = "x" });
        graph.Node.Add(new NodeProto { Name = "add", OpType = "Add", Input = { "x", "y" }, Output = { "z" } });
        var undefined = Assert.Throws<InvalidOperationException>(() => OnnxCheck.Graph(graph));
        Assert.Contains("node 'add' (Add) reads 'y', which nothing before it defines", undefined.Message);

        graph.Node[0].Input[1] = "x";
        graph.Node.Add(new NodeProto { Name = "again", OpType = "Neg", Input = { "x" }, Output = { "z" } });
        var twice = Assert.Throws<InvalidOperationException>(() => OnnxCheck.Graph(graph));
        Assert.Contains("defines 'z' twice", twice.Message);

        graph.Node.RemoveAt(1);
        graph.Output.Add(new ValueInfoProto { Name = "w" });
        Assert.Contains("output 'w' is not defined", Assert.Throws<InvalidOperationException>(() => OnnxCheck.Graph(graph)).Message);
    }
}

/// <summary>Weighted ensembles of whole pipelines (what an experiment ships when its verdict picks one) and label decoding after the model.</summary>
public sealed class EnsembleExportTests(ITestOutputHelper output)
{
    private readonly MLContext _ml = new(seed: 1);

    [Theory]
    [InlineData("diamonds", 600, 1200)]
    [InlineData("credit_data", 600, 1200)]
    [InlineData("penguins", 344, 344)]
    public void A_weighted_ensemble_of_trees_and_an_mlp_scores_every_row_as_it_does(string dataset, int trainRows, int scoreRows)
    {
        var (train, score, label, task) = Parity.Data(_ml, dataset, trainRows, scoreRows);
        var trees = new XGBoost.Training.GradientBoostedTreesTrainer(task, new XGBoost.Training.GradientBoostedTreesOptions { LabelColumnName = label, MaxRounds = 50 }, 1);
        var mlp = new Deep.Training.DeepTrainer(task, new Deep.Options.MlpOptions { LabelColumnName = label, MaxEpochs = 2, Device = "cpu" }, 1);
        // ML.NET's trees too; FastForest's binary model has no probability, so the blend takes its score.
        IEstimator<ITransformer> forest = task switch
        {
            PredictionTask.Regression => _ml.Regression.Trainers.FastForest(label),
            PredictionTask.BinaryClassification => _ml.BinaryClassification.Trainers.FastForest(label),
            _ => _ml.MulticlassClassification.Trainers.LightGbm(label),
        };
        var members = new ITransformer[]
        {
            _ml.Transforms.FeaturizeFor(trees).Append(trees).Fit(train),
            _ml.Transforms.FeaturizeFor(mlp).Append(mlp).Fit(train),
            _ml.Transforms.Featurize(label, FeaturizerOptions.ForTrees).Append(forest).Fit(train),
        };
        var ensemble = new Ensembles.WeightedEnsembleTransformer(task, members, [0.5, 0.3, 0.2]);
        Assert.True(Parity.Compare(_ml, ensemble, train, score, task, output) < 1e-5);
    }

    [Fact]
    public void MapKeyToValue_of_the_predicted_label_after_the_model_becomes_an_output_of_class_names()
    {
        var raw = TestData.View("penguins");
        var model = _ml.Transforms.Conversion.MapValueToKey("species")
            .Append(_ml.Transforms.Featurize("species", FeaturizerOptions.ForTrees))
            .Append(_ml.MulticlassClassification.Trainers.XGBoost("species"))
            .Append(_ml.Transforms.Conversion.MapKeyToValue("PredictedSpecies", "PredictedLabel")).Fit(raw);
        var path = Path.Combine(TestData.TemporaryDirectory(), "decoded.onnx");
        _ml.Model.ExportOnnx(model, raw.Schema, path);
        var onnx = _ml.Transforms.ApplyOnnxModel(path).Fit(raw).Transform(raw);
        var expected = _ml.Data.CreateEnumerable<Decoded>(model.Transform(raw), reuseRowObject: false).Select(r => r.PredictedSpecies).ToList();
        var actual = _ml.Data.CreateEnumerable<DecodedOnnx>(onnx, reuseRowObject: false).Select(r => r.PredictedSpecies.Single()).ToList();
        Assert.Equal(expected, actual);
        Assert.Equal(3, expected.Distinct().Count());
    }

    [Fact]
    public void A_binary_models_predicted_class_after_it_becomes_an_output_of_the_labels_text_for_a_single_model_and_an_ensemble()
    {
        var raw = TestData.View("credit_data");
        var classes = LabelPreparation.BinaryClasses(raw, "Status")!.Value;
        var data = LabelPreparation.Prepare(_ml, raw, "Status", PredictionTask.BinaryClassification);
        var trees = _ml.Transforms.Featurize("Status", FeaturizerOptions.ForTrees).Append(_ml.BinaryClassification.Trainers.XGBoost("Status")).Fit(data);
        var forest = _ml.Transforms.Featurize("Status", FeaturizerOptions.ForTrees).Append(_ml.BinaryClassification.Trainers.FastForest("Status")).Fit(data);
        var ensemble = new Ensembles.WeightedEnsembleTransformer(PredictionTask.BinaryClassification, [trees, forest], [0.6, 0.4]);
        foreach (var model in new ITransformer[] { trees, ensemble })
        {
            var named = model.Append(LabelPreparation.PredictedClass(_ml, classes).Fit(model.Transform(data)));
            var scored = _ml.Data.CreateEnumerable<NamedBinary>(named.Transform(data), reuseRowObject: false).ToList();
            Assert.All(scored, r => Assert.Equal(r.PredictedLabel ? classes.True : classes.False, r.PredictedClass));

            var path = Path.Combine(TestData.TemporaryDirectory(), "named.onnx");
            _ml.Model.ExportOnnx(named, data.Schema, path);
            var onnx = _ml.Data.CreateEnumerable<NamedBinaryOnnx>(_ml.Transforms.ApplyOnnxModel(path).Fit(data).Transform(data), reuseRowObject: false).ToList();
            Assert.Equal(scored.Select(r => r.PredictedClass), onnx.Select(r => r.PredictedClass.Single()));
            Assert.Equal(["bad", "good"], onnx.Select(r => r.PredictedClass.Single()).Distinct().Order());
        }
    }

    private sealed class NamedBinary
    {
        public bool PredictedLabel { get; set; }
        public string PredictedClass { get; set; } = "";
    }

    private sealed class NamedBinaryOnnx
    {
        public string[] PredictedClass { get; set; } = [];
    }

    private sealed class Decoded
    {
        public string PredictedSpecies { get; set; } = "";
    }

    private sealed class DecodedOnnx
    {
        public string[] PredictedSpecies { get; set; } = [];
    }
}
