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

namespace MLPipelines.Vision.Tests;

/// <summary>The image trainer on the Fashion-MNIST slice the project ships: learning, frozen parts, model files, ONNX, errors.</summary>
public sealed class ImageTrainerTests : IDisposable
{
    private static readonly string Slice = Path.Combine(TestData.Root, "datasets", "fashion-mnist-slice");
    private readonly MLContext _ml = new(seed: 1);
    private readonly string _folder = TestData.TemporaryDirectory();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static LabeledImages Train(int count) => FashionMnist.Train(Slice).Subset([.. Enumerable.Range(0, count)]);

    private IDataView Keyed(LabeledImages images) =>
        LabelPreparation.Prepare(_ml, images.ToDataView(_ml), "Label", PredictionTask.MulticlassClassification);

    private static double Accuracy(MLContext ml, ITransformer model, IDataView test) =>
        ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;

    [Fact]
    public void A_small_cnn_learns_fashion_mnist_in_seconds_and_its_model_file_predicts_the_same()
    {
        var progress = new List<EpochProgress>();
        var trainer = new ImageClassificationTrainer(new ImageClassificationOptions
            { Architecture = ImageArchitecture.SmallCnn, Epochs = 6, EarlyStoppingPatience = null }, seed: 1) { Progress = new Synchronous<EpochProgress>(progress.Add) };
        var model = trainer.Fit(Keyed(Train(1000)));
        var test = Keyed(FashionMnist.Test(Slice));
        var accuracy = Accuracy(_ml, model, test);
        // Chance is 0.1; a linear model on these 1,000 images reaches about 0.75.
        Assert.True(accuracy > 0.7, $"test accuracy {accuracy:F3}");
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
}
