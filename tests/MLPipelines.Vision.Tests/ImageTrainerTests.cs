using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Deep.Tests;
using MLPipelines.Deep.Training;
using MLPipelines.Tests;
using MLPipelines.Torch;
using MLPipelines.Trainers;
using MLPipelines.Vision.Data;
using MLPipelines.Vision.Networks;
using MLPipelines.Vision.Options;
using MLPipelines.Vision.Training;
using Xunit.Abstractions;

namespace MLPipelines.Vision.Tests;

/// <summary>The image trainer on the Fashion-MNIST slice the project ships: learning, frozen parts, model files, ONNX, errors.</summary>
public sealed class ImageTrainerTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string Slice = Path.Combine(TestData.Root, "datasets", "fashion-mnist-slice");
    private readonly MLContext _ml = new(seed: 1);
    private readonly string _folder = TestData.TemporaryDirectory();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static LabeledImages Train(int count) => FashionMnist.Train(Slice).Subset([.. Enumerable.Range(0, count)]);

    private IDataView Keyed(LabeledImages images) =>
        LabelPreparation.Prepare(_ml, images.ToDataView(), "Label", PredictionTask.MulticlassClassification);

    private static double Accuracy(MLContext ml, ITransformer model, IDataView test) =>
        ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;

    [Fact]
    public void A_small_cnn_learns_fashion_mnist_in_seconds_and_its_model_file_predicts_the_same()
    {
        var progress = new List<EpochProgress>();
        var trainer = new ImageClassificationTrainer(new ImageClassificationOptions
            { Architecture = ImageArchitecture.SmallCnn, Epochs = 6, MinimumSteps = 0, EarlyStoppingPatience = null }, seed: 1) { Progress = new Synchronous<EpochProgress>(progress.Add) };
        var model = trainer.Fit(Keyed(Train(1000)));
        var test = Keyed(FashionMnist.Test(Slice));
        var accuracy = Accuracy(_ml, model, test);
        // Chance is 0.1.
        output.WriteLine($"small CNN, 1,000 images, 6 epochs: test accuracy {accuracy:F3}");
        Assert.True(accuracy > 0.6, $"test accuracy {accuracy:F3}");
        Assert.Equal(6, progress.Count);
        Assert.True(progress[^1].TrainLoss < progress[0].TrainLoss, "the training loss should fall");

        var path = Path.Combine(_folder, "cnn.zip");
        _ml.Model.Save(model, test.Schema, path);
        var loaded = _ml.Model.Load(path, out _);
        var before = model.Transform(test).GetColumn<float[]>("Score").ToList();
        var after = loaded.Transform(test).GetColumn<float[]>("Score").ToList();
        Assert.Equal(before.Count, after.Count);
        for (var i = 0; i < before.Count; i++) Assert.Equal(before[i], after[i]);
    }

    /// <summary>A pretrained ResNet fitted briefly on 32 × 32 copies of a few images: enough to move every trained weight.</summary>
    private (ImageModelParameters Model, ITransformer Transformer) FitPretrained(ImageFineTuning fineTuning, int images = 200, int epochs = 2)
    {
        var trainer = _ml.MulticlassClassification.Trainers.ImageClassification(new ImageClassificationOptions
            { FineTuning = fineTuning, ResizeTo = 32, Epochs = epochs, MinimumSteps = 0, EarlyStoppingPatience = null, LearningRate = 1e-2 });
        var transformer = trainer.Fit(Keyed(Train(images)));
        return (transformer.Model, transformer);
    }

    [Fact]
    public void Small_sets_train_the_minimum_steps_before_early_stopping_may_end_them()
    {
        var progress = new List<EpochProgress>();
        // 400 images, a quarter held out (10 a class): 300 train in 3 batches a epoch, so 10 steps take 4 epochs although
        // 1 is asked, and patience 1 waits for them.
        var trainer = new ImageClassificationTrainer(new ImageClassificationOptions
        {
            Architecture = ImageArchitecture.SmallCnn, Epochs = 1, BatchSize = 100, MinimumSteps = 10, EarlyStoppingPatience = 1,
            ValidationSetFraction = 0.25, Augmentation = false,
        }, seed: 1) { Progress = new Synchronous<EpochProgress>(progress.Add) };
        var model = trainer.Fit(Keyed(Train(400))).Model;
        Assert.Equal(4, progress.Count);
        Assert.All(progress, p => Assert.Equal(4, p.MaxEpochs));
        Assert.Equal(4, model.Info.Epochs);
        Assert.NotNull(model.Info.BestValidationLogLoss);
    }

    [Fact]
    public void Fine_tuning_a_pretrained_body_trains_on_every_image_by_default()
    {
        Assert.Equal(0, new ImageClassificationOptions().EffectiveValidationSetFraction);
        Assert.Equal(0, new ImageClassificationOptions { FineTuning = ImageFineTuning.LastStage }.EffectiveValidationSetFraction);
        Assert.Equal(0.1, new ImageClassificationOptions { FineTuning = ImageFineTuning.Frozen }.EffectiveValidationSetFraction);
        Assert.Equal(0.1, new ImageClassificationOptions { Architecture = ImageArchitecture.SmallCnn }.EffectiveValidationSetFraction);
        Assert.Equal(0.3, new ImageClassificationOptions { ValidationSetFraction = 0.3 }.EffectiveValidationSetFraction);
    }

    [Fact]
    public void Too_few_images_to_choose_epochs_by_train_the_full_schedule_on_all_of_them()
    {
        // 40 images would hold out 4: fewer than 10 a class.
        var model = new ImageClassificationTrainer(new ImageClassificationOptions
            { Architecture = ImageArchitecture.SmallCnn, Epochs = 2, MinimumSteps = 0 }, seed: 1).Fit(Keyed(Train(40))).Model;
        Assert.Null(model.Info.BestValidationLogLoss);
        Assert.Equal((2, 2), (model.Info.Epochs, model.Info.BestEpoch));
        Assert.Contains("too few images to hold out a validation split", model.Info.StoppedBy);
    }

    [Theory]
    [InlineData(ImageFineTuning.Frozen)]
    [InlineData(ImageFineTuning.LastStage)]
    public void Frozen_parts_keep_their_pretrained_weights_and_statistics(ImageFineTuning fineTuning)
    {
        using var pretrained = Pretrained.PretrainedResNet.Load();
        var (model, _) = FitPretrained(fineTuning);
        using var trained = model.Network.Classifier.StateDict();
        var (kept, changed) = (new List<string>(), new List<string>());
        foreach (var (name, weights) in pretrained.Body)
        {
            if (name.EndsWith("num_batches_tracked", StringComparison.Ordinal)) continue;
            var same = weights.ToArray<float>().SequenceEqual(trained[name].ToArray<float>());
            (same ? kept : changed).Add(name);
        }
        if (fineTuning == ImageFineTuning.Frozen) Assert.Empty(changed);
        else
        {
            Assert.All(changed, name => Assert.StartsWith(ResNet.LastStageName + ".", name));
            Assert.Contains("layer4.1.conv2.weight", changed);
            Assert.Contains("layer4.0.bn1.running_mean", changed);
            Assert.DoesNotContain(kept, name => name.StartsWith(ResNet.LastStageName + ".", StringComparison.Ordinal) && name.EndsWith("weight", StringComparison.Ordinal));
        }
        Assert.True(trained["fc.weight"].Abs().Sum().ToDouble() > 0, "the head should have trained");
    }

    [Fact]
    public void The_model_exports_to_onnx_and_onnx_runtime_gives_its_probabilities()
    {
        // The pretrained ResNet exercises every preparation step: grey to three channels, blue first, resizing 28 → 32.
        var (model, transformer) = FitPretrained(ImageFineTuning.Full, images: 100, epochs: 1);
        var test = Keyed(FashionMnist.Test(Slice).Subset([.. Enumerable.Range(0, 20)]));
        var expected = transformer.Transform(test).GetColumn<float[]>("Score").SelectMany(s => s).ToArray();

        var graph = new Onnx.OnnxGraph("image");
        var pixels = graph.Input("pixels", Onnx.Protobuf.TensorProto.Types.DataType.Float, 784);
        graph.Output("probabilities", model.WriteOnnx(graph, pixels, null), Onnx.Protobuf.TensorProto.Types.DataType.Float, 10);
        var path = Path.Combine(_folder, "image.onnx");
        File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(graph.ToModel("test", new Dictionary<string, string>())));
        var features = test.GetColumn<float[]>("Features").SelectMany(f => f).ToArray();
        var actual = OnnxReference.Run(path, features, [20, 784]);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        output.WriteLine($"largest probability difference, ONNX Runtime vs libtorch: {worst:E2}");
        Assert.True(worst < 1e-4, $"probabilities differ by up to {worst:E2}");
    }

    [Fact]
    public void Wrong_shapes_and_settings_are_refused_with_what_would_fit()
    {
        var notSquare = Assert.Throws<ArgumentException>(() => new ImageClassificationTrainer(new ImageClassificationOptions
            { Architecture = ImageArchitecture.SmallCnn, ImageChannels = 3 }, 1).Fit(Keyed(Train(20))));
        Assert.Contains("784 values per row, which are not colour square images: set ImageChannels, ImageHeight and ImageWidth", notSquare.Message);
        var wrongSize = Assert.Throws<ArgumentException>(() => new ImageClassificationTrainer(new ImageClassificationOptions
            { Architecture = ImageArchitecture.SmallCnn, ImageHeight = 28, ImageWidth = 27 }, 1).Fit(Keyed(Train(20))));
        Assert.Contains("784 values per row, which are not grey or colour images of 28 × 27", wrongSize.Message);
        var scratch = Assert.Throws<ArgumentException>(() => new ImageClassificationTrainer(new ImageClassificationOptions
            { Architecture = ImageArchitecture.ResNet18, FineTuning = ImageFineTuning.Frozen }, 1));
        Assert.Contains("only ResNet18Pretrained takes FineTuning = Frozen", scratch.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageClassificationTrainer(new ImageClassificationOptions { ResizeTo = 16 }, 1));
    }

    [Theory]
    [InlineData(784, null, null, null, "1 × 28 × 28")]
    [InlineData(3 * 784, null, null, null, "3 × 28 × 28")]
    [InlineData(3 * 20 * 10, null, 20, 10, "3 × 20 × 10")]
    [InlineData(3 * 784, 1, null, null, null)]
    [InlineData(3 * 784, 1, 84, 28, "1 × 84 × 28")]
    [InlineData(100, 3, null, null, null)]
    public void The_image_shape_is_read_from_the_vector_length_when_channels_or_sides_are_not_given(int length, int? channels, int? height, int? width, string? expected)
    {
        if (expected is null)
            Assert.Throws<ArgumentException>(() => ImageShape.Of(length, channels, height, width, "Pixels"));
        else
            Assert.Equal(expected, ImageShape.Of(length, channels, height, width, "Pixels").ToString());
    }
}
