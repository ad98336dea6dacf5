using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data;
using MLPipelines.Deep.Networks;
using MLPipelines.Deep.Options;
using MLPipelines.Deep.Training;
using MLPipelines.Tests;
using MLPipelines.Torch;
using MLPipelines.Trainers;

namespace MLPipelines.Deep.Tests;

public sealed class TrainerBehaviourTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly MLContext _ml = new(seed: 3);
    private readonly string _directory = TestData.TemporaryDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A dataset's rows featurized for a trainer, ready for it to fit.</summary>
    private IDataView Featurized(IDataView data, DeepTrainer trainer) => _ml.Transforms.FeaturizeFor(trainer).Fit(data).Transform(data);

    private DeepModelParameters Fit(IDataView data, DeepTrainer trainer) => trainer.Fit(Featurized(data, trainer)).Model;

    private static DeepTrainer Trainer(PredictionTask task, DeepModelOptions options, string label, int seed = 1) =>
        new(task, options with { LabelColumnName = label }, seed);

    [Fact]
    public void Mixed_precision_is_on_by_default_only_where_the_model_gains_and_the_cpu_has_bfloat16()
    {
        var hardware = TorchRuntime.CpuHasNativeBFloat16;
        Assert.Equal(hardware, new FTTransformerOptions().TrainsInMixedPrecision(Device.CPU));
        Assert.Equal(hardware, new TabMOptions().TrainsInMixedPrecision(Device.CPU));
        Assert.False(new MlpOptions().TrainsInMixedPrecision(Device.CPU));
        Assert.False(new ResNetOptions().TrainsInMixedPrecision(Device.CPU));
        Assert.True(new MlpOptions { MixedPrecision = true }.TrainsInMixedPrecision(Device.CPU));
        Assert.False(new TabMOptions { MixedPrecision = false }.TrainsInMixedPrecision(Device.CPU));
        Assert.False(new TabMOptions { MixedPrecision = true }.TrainsInMixedPrecision(Device.Cuda()));   // CPU autocast only
        output.WriteLine($"this CPU multiplies bfloat16 in hardware: {hardware}");
    }

    [Fact]
    public void The_model_records_whether_it_trained_in_mixed_precision_and_keeps_it_in_its_file()
    {
        var concrete = TestData.View("concrete");
        var mixed = Trainer(PredictionTask.Regression, new MlpOptions { MaxEpochs = 1, MixedPrecision = true }, "compressive_strength");
        var plain = Trainer(PredictionTask.Regression, new MlpOptions { MaxEpochs = 1, MixedPrecision = false }, "compressive_strength");
        var model = _ml.Transforms.FeaturizeFor(mixed).Append(mixed).Fit(concrete);

        Assert.True(model.LastTransformer.Model.Info.MixedPrecision);
        Assert.False(Fit(concrete, plain).Info.MixedPrecision);
        var path = Path.Combine(_directory, "mixed.zip");
        _ml.Model.Save(model, concrete.Schema, path);
        var loaded = ((IEnumerable<ITransformer>)_ml.Model.Load(path, out _)).OfType<TabularPredictionTransformer<DeepModelParameters>>().Single().Model;
        Assert.True(loaded.Info.MixedPrecision);
    }

    [Fact]
    public void Regression_targets_are_standardized_and_mapped_back_exactly()
    {
        // The same rows with the target a·y + b: the standardized targets are the same, so the
        // network trains the same, and the predictions must be exactly a·ŷ + b.
        var concrete = TestData.View("concrete");
        var shifted = _ml.Transforms.Expression("compressive_strength", "y => y * 1000 + 25000", "compressive_strength").Fit(concrete).Transform(concrete);
        var options = new MlpOptions { MaxEpochs = 15 };
        var original = Trainer(PredictionTask.Regression, options, "compressive_strength");
        var scaled = Trainer(PredictionTask.Regression, options, "compressive_strength");
        var a = _ml.Transforms.FeaturizeFor(original).Append(original).Fit(concrete);
        var b = _ml.Transforms.FeaturizeFor(scaled).Append(scaled).Fit(shifted);
        Assert.Equal(a.LastTransformer.Model.Info.TargetMean * 1000 + 25_000, b.LastTransformer.Model.Info.TargetMean, 2);   // float labels
        Assert.Equal(a.LastTransformer.Model.Info.TargetStandardDeviation * 1000, b.LastTransformer.Model.Info.TargetStandardDeviation, 2);
        var first = a.Transform(concrete).GetColumn<float>("Score").ToArray();
        var second = b.Transform(shifted).GetColumn<float>("Score").ToArray();
        for (var i = 0; i < first.Length; i++) Assert.Equal(first[i] * 1000 + 25_000, second[i], 1e-4 * Math.Abs(second[i]));
        // And the scale is the target's: predictions are near the labels, not near 0.
        var mean = concrete.GetColumn<float>("compressive_strength").Average();
        Assert.InRange(first.Average(), mean - 3, mean + 3);
    }

    public static TheoryData<string, PredictionTask> Models => new()
    {
        { "MLP", PredictionTask.BinaryClassification }, { "ResNet", PredictionTask.BinaryClassification }, { "FT-Transformer", PredictionTask.BinaryClassification },
        { "TabM", PredictionTask.BinaryClassification }, { "MLP+periodic", PredictionTask.Regression }, { "ResNet+piecewise", PredictionTask.MulticlassClassification },
        { "FT-Transformer+periodic", PredictionTask.MulticlassClassification }, { "TabM", PredictionTask.Regression },
        { "MLP TD-S", PredictionTask.Regression }, { "TabM full", PredictionTask.MulticlassClassification },
        { "MLP bagged", PredictionTask.MulticlassClassification }, { "TabM bagged", PredictionTask.Regression },
    };

    private static DeepModelOptions OptionsFor(string model) => model switch
    {
        "MLP" => new MlpOptions { MaxEpochs = 3, MaxOneHotLevels = 4 },
        "ResNet" => new ResNetOptions { MaxEpochs = 3, MaxOneHotLevels = 4 },
        "FT-Transformer" => new FTTransformerOptions { MaxEpochs = 2, Blocks = 1 },
        "TabM" => new TabMOptions { MaxEpochs = 2, EnsembleSize = 4, BlockWidth = 64, MaxOneHotLevels = 4 },
        "MLP+periodic" => new MlpOptions { MaxEpochs = 3, NumericEmbedding = NumericEmbeddingKind.Periodic },
        "MLP TD-S" => MlpOptions.SmallTDS with { MaxEpochs = 3 },
        "MLP bagged" => new MlpOptions { MaxEpochs = 2, BaggingFolds = 3, MaxOneHotLevels = 4 },
        "TabM bagged" => new TabMOptions { MaxEpochs = 2, EnsembleSize = 4, BlockWidth = 64, BaggingFolds = 2 },
        "TabM full" => new TabMOptions { MaxEpochs = 2, EnsembleSize = 4, BlockWidth = 64, Architecture = TabMArchitecture.Full },
        "ResNet+piecewise" => new ResNetOptions { MaxEpochs = 3, NumericEmbedding = NumericEmbeddingKind.PiecewiseLinear },
        _ => new FTTransformerOptions { MaxEpochs = 2, Blocks = 1, NumericEmbedding = NumericEmbeddingKind.Periodic },
    };

    /// <summary>Missing values and categories (some as embeddings: one-hot only up to 4 levels here), every task.</summary>
    [Theory]
    [MemberData(nameof(Models))]
    public void A_saved_and_loaded_model_predicts_bit_identically(string model, PredictionTask task)
    {
        var dataset = task switch { PredictionTask.Regression => "ames", PredictionTask.BinaryClassification => "credit_data", _ => "penguins" };
        var (data, label, _) = TestData.Prepared(_ml, dataset);
        var split = _ml.Data.StratifiedTrainTestSplit(data, label, 0.2);
        var trainer = Trainer(task, OptionsFor(model), label);
        var pipeline = _ml.Transforms.FeaturizeFor(trainer).Append(trainer).Fit(split.TrainSet);
        var path = Path.Combine(_directory, "model.zip");
        _ml.Model.Save(pipeline, data.Schema, path);
        var loaded = _ml.Model.Load(path, out _);
        var column = task == PredictionTask.MulticlassClassification ? "Score" : "Score";
        Assert.Equal(Outputs(pipeline.Transform(split.TestSet), task), Outputs(loaded.Transform(split.TestSet), task));
        var before = pipeline.LastTransformer.Model;
        var after = ((IEnumerable<ITransformer>)loaded).OfType<TabularPredictionTransformer<DeepModelParameters>>().Single().Model;
        Assert.Equivalent(before.Info, after.Info, strict: true);
        if (dataset == "credit_data" && model != "FT-Transformer") Assert.Contains(after.Shape.CategoricalCardinalities, c => c > 5);
    }

    [Fact]
    public void A_full_TabM_from_a_file_written_before_the_design_was_recorded_loads_as_full()
    {
        var (data, label, task) = TestData.Prepared(_ml, "penguins");
        var trainer = Trainer(task, new TabMOptions { MaxEpochs = 1, EnsembleSize = 4, BlockWidth = 32, Architecture = TabMArchitecture.Full }, label);
        var pipeline = _ml.Transforms.FeaturizeFor(trainer).Append(trainer).Fit(data);
        var path = Path.Combine(_directory, "old-tabm.zip");
        _ml.Model.Save(pipeline, data.Schema, path);
        // Such files have no "Architecture" among the options.
        using (var archive = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Update))
        {
            var entry = archive.Entries.Single(e => e.FullName.EndsWith("deep.json", StringComparison.Ordinal));
            System.Text.Json.Nodes.JsonNode state;
            using (var stream = entry.Open()) state = System.Text.Json.Nodes.JsonNode.Parse(stream)!;
            Assert.True(state["Options"]!.AsObject().Remove("Architecture"));
            var name = entry.FullName;
            entry.Delete();
            using var writer = archive.CreateEntry(name).Open();
            System.Text.Json.JsonSerializer.Serialize(writer, state);
        }

        var loaded = _ml.Model.Load(path, out _);

        Assert.Equal(Outputs(pipeline.Transform(data), task), Outputs(loaded.Transform(data), task));
        var model = ((IEnumerable<ITransformer>)loaded).OfType<TabularPredictionTransformer<DeepModelParameters>>().Single().Model;
        Assert.Equal(TabMArchitecture.Full, ((TabMOptions)model.Options).Architecture);
    }

    private static float[][] Outputs(IDataView scored, PredictionTask task) => task == PredictionTask.MulticlassClassification
        ? scored.GetColumn<float[]>("Score").ToArray()
        : scored.GetColumn<float>("Score").Select(s => new[] { s }).ToArray();

    [Fact]
    public void The_same_seed_gives_the_same_model()
    {
        var (data, label, task) = TestData.Prepared(_ml, "penguins");
        float[][] Probabilities(int seed)
        {
            var trainer = Trainer(task, new TabMOptions { MaxEpochs = 3, EnsembleSize = 4, BlockWidth = 64, Seed = seed }, label, seed: 0);
            return _ml.Transforms.FeaturizeFor(trainer).Append(trainer).Fit(data).Transform(data).GetColumn<float[]>("Score").ToArray();
        }
        Assert.Equal(Probabilities(5), Probabilities(5));
        Assert.NotEqual(Probabilities(5), Probabilities(6));
    }

    [Fact]
    public void Progress_is_reported_every_epoch_and_patience_keeps_the_best_epoch()
    {
        var (data, label, task) = TestData.Prepared(_ml, "sklearn_breast_cancer");
        var epochs = new List<EpochProgress>();
        var model = Fit(data, new DeepTrainer(task, new ResNetOptions { LabelColumnName = label, MaxEpochs = 200, Patience = 5 }, 1)
        {
            Progress = new Synchronous<EpochProgress>(epochs.Add),
        });
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
    public void Early_stopping_restores_the_best_epochs_weights()
    {
        // ResNet's schedule does not depend on the epoch count, so a run stopped by patience
        // after its best epoch b must predict exactly as a run of b epochs (the same steps).
        var (data, label, task) = TestData.Prepared(_ml, "sklearn_breast_cancer");
        var stopped = Trainer(task, new ResNetOptions { MaxEpochs = 200, Patience = 3, BatchSize = 64 }, label);
        var stoppedPipeline = _ml.Transforms.FeaturizeFor(stopped).Append(stopped).Fit(data);
        var info = stoppedPipeline.LastTransformer.Model.Info;
        Assert.StartsWith("no improvement", info.StoppedBy);
        Assert.Equal(info.BestEpoch + 3, info.Epochs);
        var exact = Trainer(task, new ResNetOptions { MaxEpochs = info.BestEpoch, Patience = null, BatchSize = 64 }, label);
        var exactPipeline = _ml.Transforms.FeaturizeFor(exact).Append(exact).Fit(data);
        Assert.Equal(info.BestEpoch, exactPipeline.LastTransformer.Model.Info.BestEpoch);
        Assert.Equal(exactPipeline.Transform(data).GetColumn<float>("Score").ToArray(), stoppedPipeline.Transform(data).GetColumn<float>("Score").ToArray());
    }

    [Fact]
    public void A_fit_cut_by_its_time_limit_needs_at_least_the_epochs_its_early_stopping_would_have_run()
    {
        Assert.Equal(54, new MlpOptions().StoppingEpoch(17));              // RealMLP: 2·best + 20
        Assert.Equal(60, new FTTransformerOptions().StoppingEpoch(44));    // rtdl: best + 16
        Assert.Null(MlpOptions.SmallTDS.StoppingEpoch(17));                // TD-S trains all its epochs

        var (data, label, task) = TestData.Prepared(_ml, "concrete");
        var trainer = new DeepTrainer(task, new MlpOptions { LabelColumnName = label, TimeLimit = TimeSpan.FromSeconds(1) }, 1);
        var model = _ml.Transforms.FeaturizeFor(trainer).Append(trainer).Fit(data).LastTransformer.Model;
        var info = model.Info;
        output.WriteLine($"{info.Epochs} epochs, best {info.BestEpoch}: {info.StoppedBy}");
        // Cut by the limit, it would have run to 2·best + 20 at least (its best can still move on), not best + 20.
        Assert.Equal(Math.Min(256, Math.Max(info.Epochs, 2 * info.BestEpoch + 20)), ((IEpochTrainedModel)model).EpochsToConverge);
    }

    [Fact]
    public void RealMLP_stops_at_twice_its_best_epoch_plus_its_patience_and_clamps_to_the_training_range()
    {
        var (data, label, task) = TestData.Prepared(_ml, "concrete");
        var epochs = new List<EpochProgress>();
        // A learning rate 5× the default: validation stops improving early, so the rule must stop it.
        var trainer = new DeepTrainer(task, new MlpOptions { LabelColumnName = label, Patience = 3, MaxEpochs = 256, LearningRate = 1.0 }, 1) { Progress = new Synchronous<EpochProgress>(epochs.Add) };
        var pipeline = _ml.Transforms.FeaturizeFor(trainer).Append(trainer).Fit(data);
        var info = pipeline.LastTransformer.Model.Info;
        output.WriteLine($"{info.Epochs} epochs, best {info.BestEpoch}: {info.StoppedBy}");
        Assert.True(info.Epochs < 256, info.StoppedBy);
        Assert.Equal(2 * info.BestEpoch + 3, info.Epochs);
        Assert.Contains($"3 + 1 x best epoch {info.BestEpoch}", info.StoppedBy);
        Assert.All(epochs.Skip(info.BestEpoch), e => Assert.True(e.ValidationValue >= info.BestValidationValue));
        // Predictions never leave the training targets' range (all rows here are training rows,
        // less the validation split, so the range is at most the data's).
        var labels = data.GetColumn<float>(label).ToArray();
        Assert.InRange(info.TargetMinimum!.Value, labels.Min(), labels.Max());
        Assert.InRange(info.TargetMaximum!.Value, labels.Min(), labels.Max());
        Assert.All(pipeline.Transform(data).GetColumn<float>("Score"), p => Assert.InRange(p, (float)info.TargetMinimum.Value, (float)info.TargetMaximum.Value));
    }

    [Fact]
    public void Training_can_be_cancelled_and_time_limited()
    {
        var (data, label, task) = TestData.Prepared(_ml, "sklearn_breast_cancer");
        using var cancellation = new CancellationTokenSource();
        var trainer = new DeepTrainer(task, new MlpOptions { LabelColumnName = label }, 1)
        {
            Progress = new Synchronous<EpochProgress>(e => { if (e.Epoch == 2) cancellation.Cancel(); }),
            CancellationToken = cancellation.Token,
        };
        Assert.Throws<OperationCanceledException>(() => Fit(data, trainer));

        // A clock that moves one second per reading: the limit of 5 s is reached at the fifth
        // step's check, in the middle of the first epoch (455 training rows, 29 batches of 16).
        var clock = new TickingClock(TimeSpan.FromSeconds(1));
        var timed = new DeepTrainer(task, new MlpOptions { LabelColumnName = label, MaxEpochs = 100_000, BatchSize = 16, TimeLimit = TimeSpan.FromSeconds(5) }, 1) { Clock = clock };
        var model = Fit(data, timed);
        Assert.StartsWith("time limit (5 s)", model.Info.StoppedBy);
        Assert.Equal(5, model.Info.Steps);
        Assert.Equal(1, model.Info.Epochs);
        Assert.Equal(1, model.Info.BestEpoch);
    }

    [Fact]
    public void A_time_limit_that_holds_fewer_epochs_than_planned_gets_a_schedule_over_the_epochs_it_holds()
    {
        // The ticking clock: about 30 s an epoch (29 steps of 16 rows, each checking the limit, and the epoch's own
        // readings), so a limit of 320 s holds about 10 of the 256 epochs planned.
        var (data, label, task) = TestData.Prepared(_ml, "sklearn_breast_cancer");
        DeepModelParameters Timed(bool fitSchedule) => Fit(data, new DeepTrainer(task, new MlpOptions
        {
            LabelColumnName = label, BatchSize = 16, TimeLimit = TimeSpan.FromSeconds(320), FitScheduleToTimeLimit = fitSchedule,
        }, 1) { Clock = new TickingClock(TimeSpan.FromSeconds(1)) });

        var fitted = Timed(fitSchedule: true);
        var cut = Timed(fitSchedule: false);

        var planned = Regex.Match(fitted.Info.StoppedBy, @"^time limit \(320 s\), schedule fitted to (\d+) of 256 epochs$");
        Assert.True(planned.Success, fitted.Info.StoppedBy);
        var epochs = int.Parse(planned.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(epochs, 5, 10);
        // It trained every step of the epochs planned, ending where the schedules end, within the limit.
        Assert.Equal(epochs, fitted.Info.Epochs);
        Assert.Equal(epochs * 29L, fitted.Info.Steps);
        Assert.True(fitted.Info.TrainingTime < TimeSpan.FromSeconds(320), $"{fitted.Info.TrainingTime}");
        // Without it the limit cuts the 256-epoch schedule where it is.
        Assert.Equal("time limit (320 s)", cut.Info.StoppedBy);
        Assert.True(cut.Info.TrainingTime >= TimeSpan.FromSeconds(320), $"{cut.Info.TrainingTime}");
    }

    [Fact]
    public void A_time_limit_that_only_guards_a_fit_which_stops_by_patience_leaves_its_schedule_as_planned()
    {
        // As a repetition's or a refit's limit: a few epochs above where the fit stops by patience, far below the 256 planned.
        var (data, label, task) = TestData.Prepared(_ml, "sklearn_breast_cancer");
        MlpOptions Options(TimeSpan? limit) => new() { LabelColumnName = label, BatchSize = 16, Patience = 3, PatienceGrowth = 0, TimeLimit = limit };
        var free = Fit(data, new DeepTrainer(task, Options(null), 1));
        var guarded = Fit(data, new DeepTrainer(task, Options(TimeSpan.FromSeconds(31 * (free.Info.Epochs + 5))), 1) { Clock = new TickingClock(TimeSpan.FromSeconds(1)) });

        Assert.StartsWith("no improvement for 3 epochs", free.Info.StoppedBy);
        Assert.True(free.Info.Epochs < 100, $"{free.Info.Epochs} epochs");
        Assert.Equal(free.Info.StoppedBy, guarded.Info.StoppedBy);
        Assert.Equal(free.Info.Epochs, guarded.Info.Epochs);
        Assert.Equal(free.Info.BestValidationValue, guarded.Info.BestValidationValue);
    }

    [Theory]
    // 1 epoch in 10 s of 100: 90 s at 10 s an epoch is 9 more, 95% of them 8.55, so 8: 9 planned.
    [InlineData(1, 10, 10, 100, 256, 9)]
    // 3 epochs in 12 s, the first 6 s (warm-up): 3 s an epoch after it, 88 s left hold 29.3, 95% of them 27.9: 3 + 27.
    [InlineData(3, 12, 6, 100, 256, 30)]
    // 5 epochs in 50 s of 1,000: 95 more would fit, more than the 50 planned: 50.
    [InlineData(5, 50, 10, 1000, 50, 50)]
    // No more epoch fits: the fit ends with the one done, rather than start one the limit would cut.
    [InlineData(1, 60, 60, 100, 256, 1)]
    // Nothing trained yet: no pace to project.
    [InlineData(0, 0, 0, 100, 256, 256)]
    public void The_epochs_a_time_limit_holds_are_projected_from_the_pace_after_the_first(int done, double elapsed, double first, double limit, int max, int expected)
    {
        Assert.Equal(expected, TimeLimitedSchedule.Planned(done, TimeSpan.FromSeconds(elapsed), TimeSpan.FromSeconds(first), TimeSpan.FromSeconds(limit), max));
    }

    [Fact]
    public void TabM_predicts_the_mean_of_its_members()
    {
        var (data, label, task) = TestData.Prepared(_ml, "penguins");
        var trainer = Trainer(task, new TabMOptions { MaxEpochs = 3, EnsembleSize = 4, BlockWidth = 64 }, label);
        var featurized = Featurized(data, trainer);
        var model = trainer.Fit(featurized);
        var network = model.Model.Network;
        Assert.Equal(4, network.EnsembleSize);
        var rows = TrainingData.Read(featurized, task, trainer.Columns, _ => CategoricalTreatment.OneHot, "test").Features;
        using var scope = TorchRuntime.NewDisposeScope();
        using var _ = TorchRuntime.NoGrad();
        // The network sees the rows as the model scales them.
        var scaled = rows.Values.ToArray();
        for (var i = 0; i < scaled.Length; i++)
            if (model.Model.InputScalers[i % rows.Width] is { } scaler) scaled[i] = (float)scaler.Transform(scaled[i]);
        var output = network.Forward(new NetworkInput(Tensors.FromArray(scaled, rows.Rows, rows.Width), null));
        Assert.Equal([rows.Rows, 4L, 3L], output.Shape);
        var members = output.Softmax(-1).ToArray<float>();
        var predicted = model.Transform(featurized).GetColumn<float[]>("Score").ToArray();
        for (var row = 0; row < rows.Rows; row++)
            for (var c = 0; c < 3; c++)
                Assert.Equal(Enumerable.Range(0, 4).Average(k => members[(row * 4 + k) * 3 + c]), predicted[row][c], 1e-6);
        // The members differ: the first adapter starts with random signs.
        Assert.NotEqual(members[0], members[3]);
    }

    /// <summary>TabM's published size (32 members × 512) holds 16,384 floats a row per layer: 128 rows a pass keep them at 2²¹.</summary>
    [Fact]
    public void TabM_predicts_in_passes_of_128_rows_as_it_would_all_at_once_and_puts_the_threads_back()
    {
        var (data, label, task) = TestData.Prepared(_ml, "penguins");
        var trainer = Trainer(task, new TabMOptions { MaxEpochs = 1 }, label);
        var featurized = Featurized(data, trainer);
        var model = trainer.Fit(featurized);
        var network = model.Model.Network;
        Assert.Equal(32L * 512, network.WidestActivation);
        Assert.Equal(128, network.PredictionRowsPerPass);
        var rows = TrainingData.Read(featurized, task, trainer.Columns, _ => CategoricalTreatment.OneHot, "test").Features;
        Assert.True(rows.Rows > 2 * 128, "the rows take three passes");

        var threads = (TorchRuntime.NumThreads, TorchRuntime.BlasThreads);
        var predicted = model.Transform(featurized).GetColumn<float[]>("Score").ToArray();
        Assert.Equal(threads, (TorchRuntime.NumThreads, TorchRuntime.BlasThreads));

        using var scope = TorchRuntime.NewDisposeScope();
        using var _ = TorchRuntime.NoGrad();
        var scaled = rows.Values.ToArray();
        for (var i = 0; i < scaled.Length; i++)
            if (model.Model.InputScalers[i % rows.Width] is { } scaler) scaled[i] = (float)scaler.Transform(scaled[i]);
        var all = network.Forward(new NetworkInput(Tensors.FromArray(scaled, rows.Rows, rows.Width), null)).Softmax(-1).Mean(1).ToArray<float>();
        for (var row = 0; row < rows.Rows; row++)
            for (var c = 0; c < 3; c++)
                Assert.Equal(all[row * 3 + c], predicted[row][c], 1e-6);
    }

    [Fact]
    public void A_prediction_sets_its_thread_split_unless_another_prediction_holds_it_and_puts_it_back()
    {
        if (TorchRuntime.BlasThreads is null) return;   // no BLAS thread control: nothing is split
        var before = (TorchRuntime.NumThreads, TorchRuntime.BlasThreads);
        var cores = before.NumThreads * before.BlasThreads!.Value;
        try
        {
            TorchRuntime.SetThreads(cores, 1);
            using (var first = ThreadSplitScope.ForPrediction(new TabMOptions()))
            {
                Assert.NotNull(first);
                Assert.Equal((1, (int?)cores), (TorchRuntime.NumThreads, TorchRuntime.BlasThreads));
                // Another thread's prediction meanwhile leaves the split alone, rather than restoring it under the first one.
                Assert.Null(OnAnotherThread(() => ThreadSplitScope.ForPrediction(new FTTransformerOptions())));
            }
            Assert.Equal((cores, (int?)1), (TorchRuntime.NumThreads, TorchRuntime.BlasThreads));
            using (ThreadSplitScope.ForPrediction(new TabMOptions { Threads = ThreadSplit.Libtorch }))
                Assert.Equal((cores, (int?)1), (TorchRuntime.NumThreads, TorchRuntime.BlasThreads));
            Assert.NotNull(OnAnotherThread(() => { using var scope = ThreadSplitScope.ForPrediction(new MlpOptions()); return scope; }));
        }
        finally
        {
            TorchRuntime.SetThreads(before.NumThreads, before.BlasThreads!.Value);
        }

        static T OnAnotherThread<T>(Func<T> run)
        {
            T result = default!;
            var thread = new Thread(() => result = run());
            thread.Start();
            thread.Join();
            return result;
        }
    }

    [Fact]
    public void Balanced_class_weights_and_example_weights_raise_the_minority_class_probability()
    {
        var (attrition, label, task) = TestData.Prepared(_ml, "attrition");
        // The weight is made from the label, so it is a column only where it is the example weight (as a feature it would leak the label).
        var weighted = _ml.Transforms.Expression("Weight", "y => y ? 5.0f : 1.0f", label).Fit(attrition).Transform(attrition);
        var split = _ml.Data.StratifiedTrainTestSplit(attrition, label, 0.25);
        var weightedSplit = _ml.Data.StratifiedTrainTestSplit(weighted, label, 0.25);
        double MeanProbability(ResNetOptions options, DataOperationsCatalog.TrainTestData rows)
        {
            // All 20 epochs, no best-epoch selection on the (unweighted) validation log-loss, which would pull every model back toward the unweighted one.
            var trainer = Trainer(task, options with { MaxEpochs = 20, ValidationFraction = 0 }, label);
            return _ml.Transforms.FeaturizeFor(trainer).Append(trainer).Fit(rows.TrainSet).Transform(rows.TestSet).GetColumn<float>("Probability").Average();
        }
        // Unweighted, the mean probability of "Yes" is near its share (16%); balanced, "Yes" weighs
        // as much as "No" in the loss, as it does with example weights of 5 on "Yes" rows.
        var plain = MeanProbability(new ResNetOptions(), split);
        var balanced = MeanProbability(new ResNetOptions { ClassWeighting = DeepClassWeighting.Balanced }, split);
        var byWeight = MeanProbability(new ResNetOptions { ExampleWeightColumnName = "Weight" }, weightedSplit);
        output.WriteLine($"mean probability of Yes: unweighted {plain:F3}, balanced {balanced:F3}, example weights {byWeight:F3}");
        Assert.InRange(plain, 0.10, 0.25);
        Assert.True(balanced > plain * 1.2, $"balanced {balanced:F3}, unweighted {plain:F3}");
        Assert.True(byWeight > plain * 1.2, $"example weights {byWeight:F3}, unweighted {plain:F3}");
        Assert.InRange(byWeight, balanced - 0.03, balanced + 0.03);
    }

    [Fact]
    public void A_trained_network_loads_into_one_with_another_head()
    {
        // Transfer learning's first step: a checkpoint from a 3-class model into a 2-class one.
        var (penguins, label, task) = TestData.Prepared(_ml, "penguins");
        var source = Fit(penguins, Trainer(task, new MlpOptions { MaxEpochs = 2 }, label));
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
    public void Missing_feature_values_are_refused_with_the_slot_and_row()
    {
        var (credit, label, task) = TestData.Prepared(_ml, "credit_data");
        var trainer = Trainer(task, new MlpOptions { MaxEpochs = 1 }, label);
        // Featurized for trees: missing values stay NaN, which a network cannot take.
        var raw = _ml.Transforms.Featurize(label, Transforms.FeaturizerOptions.ForTrees).Fit(credit).Transform(credit);
        var error = Assert.Throws<DataValidationException>(() => trainer.Fit(raw));
        Assert.Contains("'Features' slot 'Income' is NaN on row", error.Message);
        Assert.Contains("impute missing values first", error.Message);
    }
}
