using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data;
using MLPipelines.Data.DataViews;
using MLPipelines.Deep.Networks;
using MLPipelines.Deep.Options;
using MLPipelines.Deep.Training;
using MLPipelines.Deep.Transfer;
using MLPipelines.ModelFiles;
using MLPipelines.Tests;
using MLPipelines.Torch;
using MLPipelines.Trainers;
using MLPipelines.Transforms.Scaling;

namespace MLPipelines.Deep.Tests;

/// <summary>Pretraining, checkpoints, column matching and fine-tuning (<see cref="DeepModelOptions.Pretrained"/>).</summary>
public sealed class TransferTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private static readonly string[] Concrete = ["cement", "blast_furnace_slag", "fly_ash", "water", "superplasticizer", "coarse_aggregate", "fine_aggregate", "age"];
    private const string Strength = "compressive_strength";

    private readonly MLContext _ml = new(seed: 5);
    private readonly string _directory = TestData.TemporaryDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    private static DeepTrainer Trainer(PredictionTask task, DeepModelOptions options, string label) => new(task, options with { LabelColumnName = label }, seed: 2);

    private ITransformer Fit(IDataView data, DeepTrainer trainer) => _ml.Transforms.FeaturizeFor(trainer).Append(trainer).Fit(data);

    private static DeepModelParameters DeepModel(ITransformer model) =>
        ((IEnumerable<ITransformer>)model).OfType<ITabularPredictionTransformer>().Select(t => t.Model).OfType<DeepModelParameters>().Single();

    private static MlpOptions SmallMlp => new() { HiddenLayers = [64, 64], MaxEpochs = 12 };

    // ---- losses and corruption, by hand ----

    [Fact]
    public void Reconstruction_loss_is_the_mean_squared_error_over_members_and_columns()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var output = Tensors.FromArray([1f, 2f, 0f, 4f], 1, 2, 2);   // one row, two members
        var original = Tensors.FromArray([0f, 4f], 1, 2);
        // member 1: (1−0)² + (2−4)² = 5; member 2: 0 + 0 = 0; four values in all.
        Assert.Equal(5.0 / 4, PretrainingLosses.Reconstruction(output, original).ToDouble(), 6);
    }

    [Fact]
    public void InfoNCE_is_the_cross_entropy_of_each_row_picking_its_own_view_by_cosine_over_the_temperature()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var anchors = Tensors.FromArray([2f, 0f, 0f, 3f], 2, 2);      // unit vectors after normalization: (1, 0), (0, 1)
        var positives = Tensors.FromArray([1f, 1f, 0f, 5f], 2, 2);    // (0.7071, 0.7071), (0, 1)
        const double temperature = 0.5;
        var s = Math.Sqrt(0.5) / temperature;
        // Row 0: cosines 0.7071 (own), 0 (other); row 1: 0.7071 (other), 1 (own).
        var row0 = -Math.Log(Math.Exp(s) / (Math.Exp(s) + Math.Exp(0)));
        var row1 = -Math.Log(Math.Exp(1 / temperature) / (Math.Exp(s) + Math.Exp(1 / temperature)));
        Assert.Equal((row0 + row1) / 2, PretrainingLosses.InfoNce(anchors, positives, temperature).ToDouble(), 5);
    }

    [Fact]
    public void Corruption_replaces_values_by_the_same_columns_values_in_other_rows_at_the_rate()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        TorchRuntime.ManualSeed(3);
        var pool = Tensors.FromArray(Enumerable.Range(0, 200).Select(i => (float)(i % 2 == 0 ? i : -i)).ToArray(), 100, 2);   // column 0 even ≥ 0, column 1 odd ≤ 0
        var rows = Tensors.Full([400, 2], 0.5);
        Assert.Equal(rows.ToArray<float>(), PretrainingLosses.Corrupt(rows, pool, 0).ToArray<float>());
        var all = PretrainingLosses.Corrupt(rows, pool, 1).ToArray<float>();
        for (var i = 0; i < all.Length; i += 2)
        {
            Assert.True(all[i] >= 0 && all[i] % 2 == 0, $"column 0 got {all[i]}");
            Assert.True(all[i + 1] < 0 && -all[i + 1] % 2 == 1, $"column 1 got {all[i + 1]}");
        }
        var some = PretrainingLosses.Corrupt(rows, pool, 0.3).ToArray<float>();
        Assert.InRange(some.Count(v => v != 0.5f) / (double)some.Length, 0.25, 0.35);
    }

    // ---- column matching ----

    private static FeatureLayout Layout(params (string Name, FeatureKind Kind)[] columns) =>
        new(columns.Length, columns.Select((c, i) => new LayoutColumn(c.Name, c.Kind, i, i)).ToArray(), []);

    [Fact]
    public void Columns_are_matched_by_name_checkpoints_first_missing_ones_imputed_new_ones_appended()
    {
        NetworkColumn[] checkpoint = [new("a", FeatureKind.Numeric), new("b", FeatureKind.Binary), new("c=x", FeatureKind.OneHot)];
        var target = Layout(("new", FeatureKind.Numeric), ("c=x", FeatureKind.OneHot), ("a", FeatureKind.Binary));
        var map = InputMap.Match(checkpoint, [], target, "MLP");
        Assert.Equal(["a", "b", "c=x", "new"], map.Columns.Select(c => c.Name));
        Assert.Equal([2, -1, 1, 0], map.Sources);
        Assert.Equal(FeatureKind.Numeric, map.Columns[0].Kind);   // the checkpoint's kind: a number that is 0/1 in these rows
        Assert.Equal(["b"], map.Imputed);
        var rows = new FeatureMatrix(target, 2, [10f, 1f, 0f, 20f, 0f, 1f], []);
        Assert.Equal([0f, 0f, 1f, 10f, 1f, 0f, 0f, 20f], map.Apply(rows).UsedValues.ToArray());
    }

    [Fact]
    public void A_column_of_another_kind_an_embedded_category_with_other_levels_or_no_common_column_is_refused_by_name()
    {
        NetworkColumn[] checkpoint = [new("a", FeatureKind.Numeric), new("c=x", FeatureKind.OneHot)];
        var retyped = Assert.Throws<DataValidationException>(() => InputMap.Match(checkpoint, [], Layout(("a", FeatureKind.Numeric), ("c=x", FeatureKind.Numeric)), "MLP"));
        Assert.Contains("'c=x' is a one-hot level, here it is a number", retyped.Message);

        var levels = new FeatureLayout(2, [new LayoutColumn("a", FeatureKind.Numeric, 0, 0)], [new LayoutIndex("city", 1, 40)]);
        var cardinality = Assert.Throws<DataValidationException>(() => InputMap.Match(checkpoint, [new NetworkIndexColumn("city", 51)], levels, "MLP"));
        Assert.Contains("category 'city' has 50 levels, here it has 40", cardinality.Message);

        var none = Assert.Throws<DataValidationException>(() => InputMap.Match(checkpoint, [], Layout(("z", FeatureKind.Numeric)), "MLP"));
        Assert.Contains("none of its 2 columns ('a', 'c=x') is among this fit's feature slots ('z')", none.Message);

        var duplicate = Assert.Throws<DataValidationException>(() => InputMap.Match(checkpoint, [], Layout(("a", FeatureKind.Numeric), ("a", FeatureKind.Numeric)), "MLP"));
        Assert.Contains("'a' names more than one", duplicate.Message);
    }

    // ---- fine-tuning on real rows ----

    /// <summary>Concrete with its columns in another order, without fly_ash, with a new column.</summary>
    private IDataView ConcreteChanged(IDataView concrete)
    {
        var withNew = _ml.Transforms.Expression("age_squared", "a => a * a", "age").Fit(concrete).Transform(concrete);
        string[] kept = [Strength, "age_squared", .. Concrete.Reverse().Where(c => c != "fly_ash")];
        return _ml.Transforms.SelectColumns(kept).Fit(withNew).Transform(withNew);
    }

    [Fact]
    public void Head_only_fine_tuning_keeps_the_pretrained_body_maps_columns_and_saves_and_loads_bit_identically()
    {
        var concrete = TestData.View("concrete");
        var pretrained = Fit(concrete, Trainer(PredictionTask.Regression, SmallMlp, Strength));
        var checkpointPath = PathOf("concrete.zip");
        _ml.Model.Save(pretrained, concrete.Schema, checkpointPath);

        var target = ConcreteChanged(concrete);
        var options = SmallMlp with { Pretrained = checkpointPath, FineTuning = new FineTuningOptions { Mode = FineTuningMode.HeadOnly } };
        var tuned = Fit(target, Trainer(PredictionTask.Regression, options, Strength));
        var model = DeepModel(tuned);
        var source = DeepModel(pretrained);
        var map = model.InputMap!;
        Assert.Equal([.. source.NetworkColumns.Columns.Select(c => c.Name), "age_squared"], map.Columns.Select(c => c.Name));
        Assert.Equal(["fly_ash"], map.Imputed);

        // The body is the checkpoint's, value for value; the first layer's columns moved with their features.
        var before = source.Network.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.ToArray<float>());
        var after = model.Network.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        foreach (var (name, values) in before)
        {
            if (model.Network.IsHead(name)) continue;
            var now = after[name].ToArray<float>();
            // Parameters over the input grew by the new column; the checkpoint's values lead (per-feature ones) or were remapped (hidden0, below).
            if (now.Length > values.Length && name != "hidden0.weight") Assert.Equal(values, now[..values.Length]);
            else if (name != "hidden0.weight") Assert.Equal(values, now);
        }
        // hidden0.weight [64, flat]: the checkpoint's 8 features × 4 PBLD values come first in the same order, the new feature after them.
        var oldFirst = source.Network.NamedParameters().Single(p => p.Name == "hidden0.weight").Parameter;
        var newFirst = after["hidden0.weight"];
        Assert.Equal(oldFirst.ToArray<float>(), newFirst.Narrow(1, 0, oldFirst.Size(1)).Contiguous().ToArray<float>());
        Assert.Equal(oldFirst.Size(1) + PbldEmbeddings.Width, newFirst.Size(1));
        Assert.NotEqual(0f, after["output.weight"].Abs().Sum().ToDouble(), 6);   // the head learned

        var scored = tuned.Transform(target);
        var rmse = _ml.Regression.Evaluate(scored, Strength).RootMeanSquaredError;
        var labels = target.GetColumn<float>(Strength).Select(v => (double)v).ToArray();
        var std = Math.Sqrt(labels.Average(v => (v - labels.Average()) * (v - labels.Average())));
        output.WriteLine($"head-only fine-tuned RMSE {rmse:0.00}, label std {std:0.00}, imputed {string.Join(", ", map.Imputed)}");
        Assert.True(rmse < 0.6 * std, $"RMSE {rmse} vs std {std}");

        var path = PathOf("tuned.zip");
        _ml.Model.Save(tuned, target.Schema, path);
        var loaded = _ml.Model.Load(path, out _);
        Assert.Equal(scored.GetColumn<float>("Score").ToArray(), loaded.Transform(target).GetColumn<float>("Score").ToArray());
        var reloadedMap = DeepModel(loaded).InputMap!;
        Assert.Equal(map.Columns, reloadedMap.Columns);
        Assert.Equal(map.Sources, reloadedMap.Sources);
    }

    /// <summary>
    /// ResNet's body has batch norm: in training mode its running statistics would move to the target's
    /// batches although its weights are frozen, and the head would learn on features the model does not
    /// give at prediction. Frozen parts run as at prediction, so every body tensor stays the checkpoint's.
    /// </summary>
    [Fact]
    public void Head_only_fine_tuning_of_a_network_with_batch_norm_keeps_the_bodys_running_statistics()
    {
        var concrete = TestData.View("concrete");
        var resnet = new ResNetOptions { Blocks = 1, MainWidth = 16, HiddenWidth = 32, MaxEpochs = 4 };
        var pretrained = Fit(concrete, Trainer(PredictionTask.Regression, resnet, Strength));
        var checkpointPath = PathOf("resnet.zip");
        _ml.Model.Save(pretrained, concrete.Schema, checkpointPath);

        var options = resnet with { Pretrained = checkpointPath, FineTuning = new FineTuningOptions { Mode = FineTuningMode.HeadOnly } };
        var tuned = DeepModel(Fit(concrete, Trainer(PredictionTask.Regression, options, Strength))).Network;
        var source = DeepModel(pretrained).Network;

        var before = source.NamedParameters().Concat(source.NamedBuffers()).Where(t => !source.IsHead(t.Item1)).ToDictionary(t => t.Item1, t => Values(t.Item2));
        var after = tuned.NamedParameters().Concat(tuned.NamedBuffers()).ToDictionary(t => t.Item1, t => t.Item2);
        Assert.Contains("head_norm.running_mean", before.Keys);
        foreach (var (name, values) in before)
            Assert.True(values.SequenceEqual(Values(after[name])), $"{name} changed in head-only fine-tuning");
        Assert.NotEqual(0f, after["head.weight"].Abs().Sum().ToDouble(), 6);   // the head learned

        // Buffers include batch norm's Int64 count of batches.
        static double[] Values(Tensor t) => t.To(DType.Float64).ToArray<double>();
    }

    [Fact]
    public void Full_fine_tuning_trains_the_encoder_at_its_factor_and_gradual_unfreezing_opens_one_part_per_epoch_from_the_top()
    {
        var shape = new NetworkShape([FeatureKind.Numeric, FeatureKind.Numeric], [], 3, null);
        var options = new MlpOptions { HiddenLayers = [8, 8], ClassificationLearningRate = 0.01 };
        using var network = new MlpNetwork(shape, options, classification: true);
        var names = network.NamedParameters().ToDictionary(p => (object)p.Parameter, p => p.Name, ReferenceEqualityComparer.Instance);

        using (var full = new Freezing(network, new FineTuningOptions { EncoderLearningRateFactor = 0.25 }))
        using (var optimizer = Recipes.Optimizer(options, network, classification: true, full.LearningRateFactor))
        {
            foreach (var group in optimizer.Groups)
            {
                var heads = group.Parameters.Select(p => network.IsHead(names[p])).Distinct().ToList();
                Assert.Single(heads);
            }
            var weightLearningRates = optimizer.Groups.Where(g => g.Parameters.Any(p => names[p] is "output.weight" or "hidden1.weight"))
                .ToDictionary(g => names[g.Parameters[0]].StartsWith("output", StringComparison.Ordinal), g => g.LearningRate);
            Assert.Equal(0.01, weightLearningRates[true], 12);
            Assert.Equal(0.0025, weightLearningRates[false], 12);
            full.BeginEpoch(1);
            Assert.All(network.NamedParameters(), p => Assert.True(p.Parameter.RequiresGrad));
        }

        using var gradual = new Freezing(network, new FineTuningOptions { Mode = FineTuningMode.GradualUnfreezing });
        Assert.Empty(gradual.TrainingParts(1));
        Assert.Equal(["activation1"], gradual.TrainingParts(2));
        Assert.Equal(["activation1", "hidden1", "activation0", "hidden0", "input", "front_scale"], gradual.TrainingParts(7));
        network.Train();
        gradual.BeginEpoch(3);
        foreach (var (name, parameter) in network.NamedParameters())
            Assert.Equal(name.StartsWith("output", StringComparison.Ordinal) || name.StartsWith("activation1", StringComparison.Ordinal) || name.StartsWith("hidden1", StringComparison.Ordinal),
                parameter.RequiresGrad);
        // The parts still frozen run as at prediction.
        var training = network.NamedChildren().ToDictionary(c => c.Name, c => c.Module.IsTraining);
        Assert.True(training["output"] && training["hidden1"] && training["activation1"]);
        Assert.False(training["activation0"] || training["hidden0"] || training["input"]);
        gradual.Dispose();
        Assert.All(network.NamedParameters(), p => Assert.True(p.Parameter.RequiresGrad));
    }

    public static TheoryData<string> Architectures => new() { "mlp-pbld", "mlp-ple", "resnet", "ft-transformer", "ft-transformer-periodic", "tabm-mini", "tabm-full" };

    private static DeepModelOptions Architecture(string name) => name switch
    {
        "mlp-pbld" => new MlpOptions { HiddenLayers = [16, 16] },
        "mlp-ple" => new MlpOptions { HiddenLayers = [16], NumericEmbedding = NumericEmbeddingKind.PiecewiseLinear, PiecewiseLinearBins = 4 },
        "resnet" => new ResNetOptions { Blocks = 1, MainWidth = 16, HiddenWidth = 32 },
        "ft-transformer" => new FTTransformerOptions { Blocks = 1, TokenSize = 16, Heads = 2 },
        "ft-transformer-periodic" => new FTTransformerOptions { Blocks = 1, TokenSize = 16, Heads = 2, NumericEmbedding = NumericEmbeddingKind.Periodic },
        "tabm-mini" => new TabMOptions { Blocks = 2, BlockWidth = 16, EnsembleSize = 3 },
        _ => new TabMOptions { Blocks = 2, BlockWidth = 16, EnsembleSize = 3, Architecture = TabMArchitecture.Full },
    };

    /// <summary>
    /// Every architecture takes a checkpoint's body into a network with one more number and one more
    /// embedded category: same-shaped parameters equal, per-feature ones lead with the checkpoint's
    /// values, the flat input's columns moved run by run, and the head at zero.
    /// </summary>
    [Theory]
    [MemberData(nameof(Architectures))]
    public void A_checkpoints_body_goes_into_a_network_with_added_columns(string name)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var options = Architecture(name);
        double[][] Bins(int n) => Enumerable.Range(0, n).Select(i => new[] { -1.0, 0, 0.5 + i, 2 + i }).ToArray();
        var before = new NetworkShape([FeatureKind.Numeric, FeatureKind.OneHot, FeatureKind.Numeric], [5], 3, Bins(2));
        var after = new NetworkShape([FeatureKind.Numeric, FeatureKind.OneHot, FeatureKind.Numeric, FeatureKind.Numeric], [5, 7], 2, Bins(3));
        TorchRuntime.ManualSeed(1);
        using var source = Recipes.CreateNetwork(options, before, classification: true);
        using var checkpoint = new PretrainedCheckpoint("test", options, before, [new("a", FeatureKind.Numeric), new("b=x", FeatureKind.OneHot), new("c", FeatureKind.Numeric)],
            [new("city", 5)], new NumericScaler?[3], source.StateDict());
        using var target = Recipes.CreateNetwork(options, after, classification: true);
        WeightTransfer.Load(target, after, options, checkpoint, "test");

        var flat = target.FlatInputParameters.ToDictionary(p => p.Name, p => p.Axis);
        var runs = FlatInput.Runs(before, options);
        var offsets = FlatInput.Runs(after, options).Select((r, i) => (r, i)).ToDictionary(x => (x.r.Part, x.r.Rank),
            x => FlatInput.Runs(after, options).Take(x.i).Sum(r => r.Width));
        var parameters = target.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        foreach (var (parameterName, value) in source.NamedParameters())
        {
            var now = parameters[parameterName];
            if (target.IsHead(parameterName)) Assert.Equal(0, now.Abs().Sum().ToDouble());
            else if (now.Shape.SequenceEqual(value.Shape)) Assert.Equal(value.ToArray<float>(), now.ToArray<float>());
            else if (flat.TryGetValue(parameterName, out var axis))
            {
                var at = 0;
                foreach (var run in runs)
                {
                    Assert.Equal(value.Narrow(axis, at, run.Width).Contiguous().ToArray<float>(), now.Narrow(axis, offsets[(run.Part, run.Rank)], run.Width).Contiguous().ToArray<float>());
                    at += run.Width;
                }
            }
            else
            {
                Assert.True(target.IsPerFeature(parameterName), $"{parameterName} changed shape but is not per feature");
                Assert.Equal(value.ToArray<float>(), now.Narrow(0, 0, value.Size(0)).Contiguous().ToArray<float>());
            }
        }
    }

    /// <summary>A checkpoint of an untrained network on concrete's columns (fast: for the refusals).</summary>
    private string UntrainedCheckpoint(DeepModelOptions options, string name)
    {
        var shape = new NetworkShape(Concrete.Select(_ => FeatureKind.Numeric).ToArray(), [], 1, null);
        using var network = Recipes.CreateNetwork(options, shape, classification: false);
        using var checkpoint = new PretrainedCheckpoint("test", options, shape, Concrete.Select(c => new NetworkColumn(c, FeatureKind.Numeric)).ToArray(), [],
            new NumericScaler?[Concrete.Length], network.StateDict());
        var path = PathOf(name);
        checkpoint.Save(path);
        return path;
    }

    [Fact]
    public void A_checkpoint_of_another_architecture_or_other_layer_sizes_or_no_checkpoint_at_all_is_refused_with_the_reason()
    {
        var concrete = TestData.View("concrete");
        var resnet = UntrainedCheckpoint(new ResNetOptions(), "resnet.ckpt");
        var kind = Assert.Throws<DataValidationException>(() => Fit(concrete, Trainer(PredictionTask.Regression, SmallMlp with { Pretrained = resnet }, Strength)));
        Assert.Contains("it holds a ResNet network; fine-tune it with the ResNet trainer", kind.Message);

        var wide = UntrainedCheckpoint(SmallMlp with { HiddenLayers = [32, 64] }, "wide.ckpt");
        var sizes = Assert.Throws<DataValidationException>(() => Fit(concrete, Trainer(PredictionTask.Regression, SmallMlp with { Pretrained = wide }, Strength)));
        Assert.Contains("'hidden0.weight' is [32, 32] there and [64, 32] here", sizes.Message);

        var missing = Assert.Throws<ModelFileException>(() => Fit(concrete, Trainer(PredictionTask.Regression, SmallMlp with { Pretrained = PathOf("nowhere.zip") }, Strength)));
        Assert.Contains("does not exist", missing.Message);
        File.WriteAllText(PathOf("notes.txt"), "not a checkpoint");
        var text = Assert.Throws<ModelFileException>(() => Fit(concrete, Trainer(PredictionTask.Regression, SmallMlp with { Pretrained = PathOf("notes.txt") }, Strength)));
        Assert.Contains("not a zip", text.Message);
    }

    [Fact]
    public void A_checkpoint_saves_and_loads_bit_identically()
    {
        var path = UntrainedCheckpoint(new TabMOptions { EnsembleSize = 4, BlockWidth = 32 }, "tabm.ckpt");
        using var loaded = PretrainedCheckpoint.Load(path);
        var again = PathOf("again.ckpt");
        loaded.Save(again);
        using var reloaded = PretrainedCheckpoint.Load(again);
        Assert.Equal(loaded.Options, reloaded.Options);
        Assert.Equal(loaded.Columns, reloaded.Columns);
        Assert.Equal(loaded.Weights.Keys, reloaded.Weights.Keys);
        foreach (var name in loaded.Weights.Keys) Assert.Equal(loaded.Weights[name].ToArray<float>(), reloaded.Weights[name].ToArray<float>());
        Assert.False(File.Exists(again + ".partial"));
    }

    // ---- self-supervised pretraining ----

    [Theory]
    [InlineData(PretrainingObjective.MaskedReconstruction)]
    [InlineData(PretrainingObjective.Contrastive)]
    public void Self_supervised_pretraining_lowers_its_held_out_loss_and_its_checkpoint_fine_tunes(PretrainingObjective objective)
    {
        var concrete = TestData.View("concrete");
        var unlabeled = _ml.Transforms.DropColumns(Strength).Fit(concrete).Transform(concrete);
        var architecture = SmallMlp;
        var featurizer = _ml.Transforms.FeaturizeFor(Trainer(PredictionTask.Regression, architecture, Strength)).Fit(unlabeled);
        var epochs = new List<EpochProgress>();
        var pretrainer = new SelfSupervisedPretrainer(architecture, new PretrainingOptions { Objective = objective, MaxEpochs = objective == PretrainingObjective.Contrastive ? 30 : 15 }, seed: 1)
            { Progress = new Synchronous<EpochProgress>(epochs.Add) };
        using (var checkpoint = pretrainer.Pretrain(featurizer.Transform(unlabeled)))
        {
            output.WriteLine($"{objective}: {pretrainer.Summary}; held-out loss by epoch {string.Join(" ", epochs.Select(e => e.ValidationValue!.Value.ToString("0.###")))}");
            var (first, best) = (epochs[0].ValidationValue!.Value, epochs.Min(e => e.ValidationValue!.Value));
            // InfoNCE at temperature 1 over 103 held-out rows starts near ln 103 = 4.63 and cannot go much below
            // ln(1 + 102/e) = 3.65 (other rows at cosine 0): a fall of 0.05 is real learning there.
            if (objective == PretrainingObjective.Contrastive) Assert.True(best < first - 0.05, $"the held-out InfoNCE went from {first} to {best} at best");
            else Assert.True(best < 0.5 * first, $"the held-out reconstruction error went from {first} to {best} at best");
            Assert.Equal(Concrete, checkpoint.Columns.Select(c => c.Name));
            checkpoint.Save(PathOf("ssl.ckpt"));
        }
        var tuned = Fit(concrete, Trainer(PredictionTask.Regression, SmallMlp with { Pretrained = PathOf("ssl.ckpt"), MaxEpochs = 20 }, Strength));
        var rmse = _ml.Regression.Evaluate(tuned.Transform(concrete), Strength).RootMeanSquaredError;
        output.WriteLine($"fine-tuned training RMSE {rmse:0.00}");
        Assert.True(rmse < 10, $"RMSE {rmse}");   // the label's std is 16.7
        Assert.Empty(DeepModel(tuned).InputMap!.Imputed);
    }

    // ---- supervised on several labels ----

    [Fact]
    public void Pretraining_on_two_labels_at_once_learns_both_and_fine_tunes_on_a_third_label_with_them_as_new_columns()
    {
        var diamonds = _ml.Data.TakeRows(TestData.View("diamonds"), 2000);
        var rows = LabelPreparation.Prepare(_ml, diamonds, "cut", PredictionTask.MulticlassClassification);
        var featurizer = new Transforms.FeaturizerEstimator("cut", new MlpOptions().RecommendedFeaturization with { IgnoredColumns = ["price"] });
        var epochs = new List<EpochProgress>();
        var pretrainer = new MultiLabelPretrainer(SmallMlp, new PretrainingOptions { MaxEpochs = 30 }, seed: 1) { Progress = new Synchronous<EpochProgress>(epochs.Add) };
        using (var checkpoint = pretrainer.Pretrain(featurizer.Fit(rows).Transform(rows),
                   [new PretrainingLabel("cut", PredictionTask.MulticlassClassification), new PretrainingLabel("price", PredictionTask.Regression)]))
        {
            output.WriteLine($"{checkpoint.Objective}: {pretrainer.Summary}");
            Assert.Equal("supervised on cut (5 classes), price (regression), 2000 rows", checkpoint.Objective);
            Assert.Equal(6, checkpoint.Shape.Outputs);
            Assert.DoesNotContain(checkpoint.Columns, c => c.Name.StartsWith("cut", StringComparison.Ordinal) || c.Name == "price");
            // The summed loss starts near ln 5 + 1 (cross-entropy of 5 classes, squared error of the standardized price).
            Assert.True(epochs.Min(e => e.ValidationValue!.Value) < 0.6 * epochs[0].ValidationValue!.Value, $"held-out loss {epochs[0].ValidationValue} → {epochs.Min(e => e.ValidationValue)}");
            checkpoint.Save(PathOf("diamonds.ckpt"));
        }

        // Fine-tuned on carat: cut and price are new columns (fresh input weights); carat, a feature of the checkpoint, is imputed.
        var tuned = Fit(diamonds, Trainer(PredictionTask.Regression, SmallMlp with { Pretrained = PathOf("diamonds.ckpt") }, "carat"));
        var map = DeepModel(tuned).InputMap!;
        Assert.Contains("price", map.Columns.Select(c => c.Name));
        Assert.Equal(["carat"], map.Imputed);
        var r2 = _ml.Regression.Evaluate(tuned.Transform(diamonds), "carat").RSquared;
        output.WriteLine($"carat from the pretrained body, training R² {r2:0.000}");
        Assert.True(r2 > 0.9, $"R² {r2}");
    }

    // ---- few labels: letters ----

    [Fact]
    public void A_network_pretrained_on_letters_A_to_M_learns_N_to_Z_from_15_rows_each()
    {
        var view = TestData.View("LetterRecognition");
        var letters = view.GetColumn<ReadOnlyMemory<char>>("lettr").Select(l => l.ToString()).ToArray();
        var first = Enumerable.Range(0, letters.Length).Where(i => letters[i][0] <= 'M').Take(3000).ToArray();
        var second = Enumerable.Range(0, letters.Length).Where(i => letters[i][0] > 'M').ToArray();
        var labeled = second.GroupBy(i => letters[i]).SelectMany(g => g.Take(15)).ToArray();
        var test = second.Except(labeled).Take(1500).ToArray();
        IDataView Rows(int[] rows) => LabelPreparation.Prepare(_ml, RowSubsetView.Of(view, rows), "lettr", PredictionTask.MulticlassClassification);

        var upstream = Fit(Rows(first), Trainer(PredictionTask.MulticlassClassification, SmallMlp with { MaxEpochs = 15 }, "lettr"));
        var path = PathOf("a-m.zip");
        _ml.Model.Save(upstream, Rows(first).Schema, path);

        double Accuracy(DeepModelOptions options)
        {
            var model = Fit(Rows(labeled), Trainer(PredictionTask.MulticlassClassification, options, "lettr"));
            return _ml.MulticlassClassification.Evaluate(model.Transform(Rows(test)), "lettr").MicroAccuracy;
        }
        var tuned = Accuracy(SmallMlp with { Pretrained = path, MaxEpochs = 30 });
        var gradual = Accuracy(SmallMlp with { Pretrained = path, MaxEpochs = 30, FineTuning = new FineTuningOptions { Mode = FineTuningMode.GradualUnfreezing } });
        var scratch = Accuracy(SmallMlp with { MaxEpochs = 30 });
        output.WriteLine($"N–Z from 15 rows each: fine-tuned {tuned:0.000}, gradually unfrozen {gradual:0.000}, from scratch {scratch:0.000}");
        Assert.True(tuned > 0.5, $"fine-tuned accuracy {tuned}");
        Assert.True(gradual > 0.5, $"gradually unfrozen accuracy {gradual}");
    }
}
