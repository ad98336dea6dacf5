using MLPipelines.Data;
using MLPipelines.Deep.Networks;
using MLPipelines.Deep.Options;
using MLPipelines.Deep.Training;
using MLPipelines.ModelFiles;
using MLPipelines.Pipelines;
using MLPipelines.Tests;
using MLPipelines.Torch;
using MLPipelines.Trainers;
using MLPipelines.Transforms;

namespace MLPipelines.Deep.Tests;

public sealed class TrainerBehaviourTests : IDisposable
{
    private readonly MLPipelinesContext _ml = new(seed: 3);
    private readonly string _directory = TestData.TemporaryDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private FeaturizedData Featurized(string dataset, FeaturizerOptions options)
    {
        var data = TestData.Load(dataset);
        return _ml.Transforms.Featurize(TestData.Manifest()[dataset].Target, options).Fit(data).Transform(data);
    }

    private static double[] Scores(DataTable predictions) => predictions.Column<NumericColumn>(PredictionColumns.Score).Values.ToArray();

    [Fact]
    public void Regression_targets_are_standardized_and_mapped_back_exactly()
    {
        // The same rows with the target a·y + b: the standardized targets are the same, so the
        // network trains the same, and the predictions must be exactly a·ŷ + b.
        var concrete = TestData.Load("concrete");
        var y = concrete.Column<NumericColumn>("compressive_strength").Values.ToArray();
        var shifted = concrete.WithColumn(new NumericColumn("compressive_strength", y.Select(v => v * 1000 + 25_000).ToArray()));
        var options = new MlpOptions { MaxEpochs = 15 };
        var featurizer = new MlpOptions().RecommendedFeaturization;
        using var original = new DeepTrainer(PredictionTask.Regression, options, 1).Fit(_ml.Transforms.Featurize("compressive_strength", featurizer).Fit(concrete).Transform(concrete));
        using var scaled = new DeepTrainer(PredictionTask.Regression, options, 1).Fit(_ml.Transforms.Featurize("compressive_strength", featurizer).Fit(shifted).Transform(shifted));
        Assert.Equal(original.Info.TargetMean * 1000 + 25_000, scaled.Info.TargetMean, 6);   // mean of the rows left after the validation split
        Assert.Equal(original.Info.TargetStandardDeviation * 1000, scaled.Info.TargetStandardDeviation, 6);
        var a = Scores(original.Transform(_ml.Transforms.Featurize("compressive_strength", featurizer).Fit(concrete).Transform(concrete)));
        var b = Scores(scaled.Transform(_ml.Transforms.Featurize("compressive_strength", featurizer).Fit(shifted).Transform(shifted)));
        for (var i = 0; i < a.Length; i++) Assert.Equal(a[i] * 1000 + 25_000, b[i], 1e-6 * Math.Abs(b[i]));
        // And the scale is the target's: predictions are near the labels, not near 0.
        Assert.InRange(a.Average(), y.Average() - 3, y.Average() + 3);
    }

    public static TheoryData<string> Models => new(["MLP", "ResNet", "FT-Transformer", "TabM", "MLP+periodic", "ResNet+piecewise", "FT-Transformer+periodic"]);

    private static DeepModelOptions OptionsFor(string model) => model switch
    {
        "MLP" => new MlpOptions { MaxEpochs = 3 },
        "ResNet" => new ResNetOptions { MaxEpochs = 3 },
        "FT-Transformer" => new FTTransformerOptions { MaxEpochs = 2, Blocks = 1 },
        "TabM" => new TabMOptions { MaxEpochs = 2, EnsembleSize = 4, BlockWidth = 64 },
        "MLP+periodic" => new MlpOptions { MaxEpochs = 3, NumericEmbedding = NumericEmbeddingKind.Periodic },
        "ResNet+piecewise" => new ResNetOptions { MaxEpochs = 3, NumericEmbedding = NumericEmbeddingKind.PiecewiseLinear },
        _ => new FTTransformerOptions { MaxEpochs = 2, Blocks = 1, NumericEmbedding = NumericEmbeddingKind.Periodic },
    };

    /// <summary>credit_data: missing values, categories (some as embeddings: one-hot only up to 4 levels here).</summary>
    [Theory]
    [MemberData(nameof(Models))]
    public void A_saved_and_loaded_model_predicts_bit_identically(string model)
    {
        var options = OptionsFor(model);
        var credit = TestData.Load("credit_data");
        var (train, test) = _ml.Data.TrainTestSplit(credit, 0.2, stratifyBy: "Status");
        var trainer = new DeepTrainer(PredictionTask.BinaryClassification, options, 1);
        var pipeline = _ml.Transforms.Featurize("Status", trainer.RecommendedFeaturization with { MaxOneHotLevels = 4 }).Append(trainer).Fit(train);
        var path = Path.Combine(_directory, "model.zip");
        pipeline.Save(path);
        var loaded = _ml.Model.Load(path);
        var before = pipeline.Transform(test).Column<NumericColumn>(PredictionColumns.Probability("good")).Values.ToArray();
        var after = loaded.Transform(test).Column<NumericColumn>(PredictionColumns.Probability("good")).Values.ToArray();
        Assert.Equal(before, after);
        Assert.Equivalent(((DeepModel)pipeline.Stages[1]).Info, ((DeepModel)loaded.Stages[1]).Info, strict: true);
        Assert.Contains(((DeepModel)loaded.Stages[1]).Shape.CategoricalCardinalities, c => c > 1);
    }

    [Fact]
    public void The_same_seed_gives_the_same_model()
    {
        var data = Featurized("penguins", new TabMOptions().RecommendedFeaturization);
        double[] Probabilities(int seed)
        {
            using var model = new DeepTrainer(PredictionTask.MulticlassClassification, new TabMOptions { MaxEpochs = 3, EnsembleSize = 4, BlockWidth = 64, Seed = seed }, 0).Fit(data);
            return model.Transform(data).Column<NumericColumn>(PredictionColumns.Probability("Adelie")).Values.ToArray();
        }
        Assert.Equal(Probabilities(5), Probabilities(5));
        Assert.NotEqual(Probabilities(5), Probabilities(6));
    }

    [Fact]
    public void Progress_is_reported_every_epoch_and_patience_keeps_the_best_epoch()
    {
        var data = Featurized("sklearn_breast_cancer", new ResNetOptions().RecommendedFeaturization);
        var epochs = new List<EpochProgress>();
        using var model = new DeepTrainer(PredictionTask.BinaryClassification, new ResNetOptions { MaxEpochs = 200, Patience = 5 }, 1)
        {
            Progress = new Synchronous<EpochProgress>(epochs.Add),
        }.Fit(data);
        Assert.Equal(Enumerable.Range(1, epochs.Count), epochs.Select(e => e.Epoch));
        Assert.Equal(model.Info.Epochs, epochs.Count);
        Assert.True(model.Info.Epochs < 200, "patience should have stopped training");
        Assert.Equal(model.Info.Epochs - 5, model.Info.BestEpoch);
        Assert.Equal("no improvement for 5 epochs", model.Info.StoppedBy);
        Assert.Equal(epochs.Min(e => e.ValidationValue), model.Info.BestValidationValue);
        Assert.All(epochs, e => Assert.Equal("log-loss", e.Metric));
        Assert.All(epochs, e => Assert.True(double.IsFinite(e.TrainLoss)));
    }

    [Fact]
    public void Training_can_be_cancelled_and_time_limited()
    {
        var data = Featurized("sklearn_breast_cancer", new MlpOptions().RecommendedFeaturization);
        using var cancellation = new CancellationTokenSource();
        var trainer = new DeepTrainer(PredictionTask.BinaryClassification, new MlpOptions(), 1)
        {
            Progress = new Synchronous<EpochProgress>(e => { if (e.Epoch == 2) cancellation.Cancel(); }),
            CancellationToken = cancellation.Token,
        };
        Assert.Throws<OperationCanceledException>(() => trainer.Fit(data));

        using var limited = new DeepTrainer(PredictionTask.BinaryClassification, new MlpOptions { MaxEpochs = 100_000, TimeLimit = TimeSpan.FromSeconds(1) }, 1).Fit(data);
        Assert.StartsWith("time limit", limited.Info.StoppedBy);
        Assert.InRange(limited.Info.TrainingTime.TotalSeconds, 1, 10);
    }

    [Fact]
    public void TabM_predicts_the_mean_of_its_members()
    {
        var data = Featurized("penguins", new TabMOptions().RecommendedFeaturization);
        using var model = new DeepTrainer(PredictionTask.MulticlassClassification, new TabMOptions { MaxEpochs = 3, EnsembleSize = 4, BlockWidth = 64 }, 1).Fit(data);
        var network = model.Network;
        Assert.Equal(4, network.EnsembleSize);
        using var scope = TorchRuntime.NewDisposeScope();
        using var _ = TorchRuntime.NoGrad();
        var output = network.Forward(new NetworkInput(Tensors.FromArray(data.Features, data.RowCount, data.FeatureCount), null));
        Assert.Equal([data.RowCount, 4L, 3L], output.Shape);
        var members = output.Softmax(-1).ToArray<float>();
        var predicted = model.Transform(data).Column<NumericColumn>(PredictionColumns.Probability("Gentoo")).Values;
        for (var row = 0; row < data.RowCount; row++)
        {
            var mean = Enumerable.Range(0, 4).Average(k => members[(row * 4 + k) * 3 + 2]);
            Assert.Equal(mean, predicted[row], 1e-6);
        }
        // The members differ: the first adapter starts with random signs.
        Assert.NotEqual(members[0], members[3]);
    }

    [Fact]
    public void Balanced_class_weights_raise_the_minority_class_share_of_predictions()
    {
        var attrition = TestData.Load("attrition");
        var (train, test) = _ml.Data.TrainTestSplit(attrition, 0.25, stratifyBy: "Attrition");
        int PredictedYes(DeepClassWeighting weighting)
        {
            var trainer = new DeepTrainer(PredictionTask.BinaryClassification, new ResNetOptions { MaxEpochs = 20, ClassWeighting = weighting }, 1);
            var predictions = _ml.Transforms.Featurize("Attrition", trainer.RecommendedFeaturization).Append(trainer).Fit(train).Transform(test);
            return Enumerable.Range(0, test.RowCount).Count(r => predictions[PredictionColumns.PredictedLabel].Format(r) == "Yes");
        }
        var plain = PredictedYes(DeepClassWeighting.None);
        var balanced = PredictedYes(DeepClassWeighting.Balanced);
        Assert.True(balanced > plain * 1.5, $"balanced weights predicted {balanced} 'Yes', unweighted {plain}");
    }

    [Fact]
    public void A_trained_network_loads_into_one_with_another_head()
    {
        // Transfer learning's first step: a checkpoint from a 3-class model into a 2-class one.
        var penguins = Featurized("penguins", new MlpOptions().RecommendedFeaturization);
        using var source = new DeepTrainer(PredictionTask.MulticlassClassification, new MlpOptions { MaxEpochs = 2 }, 1).Fit(penguins);
        var shape = source.Shape with { Outputs = 2 };
        using var target = new MlpNetwork(shape, new MlpOptions(), classification: true);
        using var state = source.Network.StateDict();
        foreach (var head in new[] { "output.weight", "output.bias" }) state.Remove(head).Dispose();
        var result = target.LoadStateDict(state, strict: false);
        Assert.Equal(["output.weight", "output.bias"], result.MissingKeys);
        Assert.Equal(state["hidden0.weight"].ToArray<float>(), target.NamedParameters().Single(p => p.Name == "hidden0.weight").Parameter.ToArray<float>());
    }

    // ---- bad input ----

    [Fact]
    public void Zero_rows_a_nan_target_and_unseen_label_classes_are_clear_errors()
    {
        var concrete = TestData.Load("concrete");
        var empty = concrete.Select([]);
        var trainer = new DeepTrainer(PredictionTask.Regression, new MlpOptions { MaxEpochs = 1 }, 1);
        Assert.Contains("no rows", Assert.Throws<DataValidationException>(() => _ml.Transforms.Featurize("compressive_strength").Append(trainer).Fit(empty)).Message);

        var y = concrete.Column<NumericColumn>("compressive_strength").Values.ToArray();
        y[7] = double.NaN;
        var withNaN = concrete.WithColumn(new NumericColumn("compressive_strength", y));
        var nan = Assert.Throws<DataValidationException>(() => _ml.Transforms.Featurize("compressive_strength").Append(trainer).Fit(withNaN));
        Assert.Contains("line 9", nan.Message);

        var penguins = TestData.Load("penguins");
        var classifier = new DeepTrainer(PredictionTask.MulticlassClassification, new MlpOptions { MaxEpochs = 1 }, 1);
        var model = _ml.Transforms.Featurize("species").Append(classifier).Fit(penguins);
        var renamed = penguins.Select([0, 1]).WithColumn(CategoricalColumn.FromValues("species", ["Adelie", "Emperor"]));
        Assert.Contains("'Emperor'", Assert.Throws<DataValidationException>(() => model.Transform(renamed)).Message);
    }

    [Fact]
    public void Rows_featurized_differently_are_refused()
    {
        var penguins = TestData.Load("penguins");
        var data = _ml.Transforms.Featurize("species", new MlpOptions().RecommendedFeaturization).Fit(penguins).Transform(penguins);
        using var model = new DeepTrainer(PredictionTask.MulticlassClassification, new MlpOptions { MaxEpochs = 1 }, 1).Fit(data);
        var other = _ml.Transforms.Featurize("species", new FTTransformerOptions().RecommendedFeaturization).Fit(penguins).Transform(penguins);
        Assert.Contains("featurize them with the pipeline's own featurizer", Assert.Throws<DataValidationException>(() => model.Transform(other)).Message);
        var regression = new DeepTrainer(PredictionTask.Regression, new MlpOptions { MaxEpochs = 1 }, 1);
        Assert.Contains("regression trainer", Assert.Throws<DataValidationException>(() => regression.Fit(data)).Message);
    }

    private sealed class Synchronous<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
