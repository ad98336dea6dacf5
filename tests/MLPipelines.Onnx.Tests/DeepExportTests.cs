using Microsoft.ML;
using MLPipelines.Deep.Options;
using MLPipelines.Deep.Training;
using MLPipelines.Trainers;
using MLPipelines.Transforms;
using Xunit.Abstractions;

namespace MLPipelines.Onnx.Tests;

/// <summary>Deep pipelines (featurizer + network) exported and scored by ML.NET's ApplyOnnxModel, against libtorch's predictions.</summary>
public sealed class DeepExportTests(ITestOutputHelper output)
{
    private readonly MLContext _ml = new(seed: 1);

    private static DeepModelOptions Options(string model, int maxOneHotLevels) => model switch
    {
        // A few epochs: parity does not need a good model, only a trained one.
        "mlp" => new MlpOptions { MaxEpochs = 3, MaxOneHotLevels = maxOneHotLevels },
        "mlp-tds" => MlpOptions.SmallTDS with { MaxEpochs = 3, MaxOneHotLevels = maxOneHotLevels },
        "mlp-periodic" => new MlpOptions { MaxEpochs = 3, NumericEmbedding = NumericEmbeddingKind.Periodic, MaxOneHotLevels = maxOneHotLevels },
        "resnet" => new ResNetOptions { MaxEpochs = 3, MaxOneHotLevels = maxOneHotLevels },
        "resnet-ple" => new ResNetOptions { MaxEpochs = 3, NumericEmbedding = NumericEmbeddingKind.PiecewiseLinear, MaxOneHotLevels = maxOneHotLevels },
        "ft-transformer" => new FTTransformerOptions { MaxEpochs = 2, MaxOneHotLevels = maxOneHotLevels },
        "mlp-bagged" => new MlpOptions { MaxEpochs = 2, BaggingFolds = 3, MaxOneHotLevels = maxOneHotLevels },
        "tabm-bagged" => new TabMOptions { MaxEpochs = 1, EnsembleSize = 4, BlockWidth = 64, BaggingFolds = 2, MaxOneHotLevels = maxOneHotLevels },
        _ => new TabMOptions { MaxEpochs = 2, MaxOneHotLevels = maxOneHotLevels },
    };

    /// <summary>
    /// Every row scored (with a missing value in each column in turn and unseen categories) gets
    /// the same label and a score within 1e-5 of libtorch's: the input scalers, numeric
    /// embeddings (PBLD, periodic, piecewise-linear), one-hot and embedded categories
    /// (MaxOneHotLevels 4 embeds diamonds' color and clarity and penguins' none), and each task's output.
    /// </summary>
    [Theory]
    [InlineData("diamonds", "mlp", 600, 1000, 4)]
    [InlineData("credit_data", "mlp", 600, 1200, 32)]
    [InlineData("LetterRecognition", "mlp", 800, 1500, 32)]
    [InlineData("penguins", "mlp", 344, 344, 2)]
    [InlineData("credit_data", "mlp-tds", 600, 1200, 32)]
    [InlineData("diamonds", "mlp-periodic", 600, 1000, 4)]
    [InlineData("diamonds", "resnet", 600, 1000, 4)]
    [InlineData("credit_data", "resnet", 600, 1200, 32)]
    [InlineData("penguins", "resnet-ple", 344, 344, 2)]
    [InlineData("diamonds", "ft-transformer", 400, 800, 4)]
    [InlineData("penguins", "ft-transformer", 344, 344, 32)]
    [InlineData("credit_data", "ft-transformer", 300, 400, 4)]
    [InlineData("diamonds", "tabm", 400, 800, 4)]
    [InlineData("penguins", "tabm", 344, 344, 2)]
    [InlineData("credit_data", "tabm", 300, 400, 32)]
    [InlineData("diamonds", "mlp-bagged", 600, 1000, 4)]
    [InlineData("credit_data", "tabm-bagged", 300, 400, 32)]
    public void Exported_model_scores_every_row_as_the_pipeline_does(string dataset, string model, int trainRows, int scoreRows, int maxOneHotLevels)
    {
        var (train, score, label, task) = Parity.Data(_ml, dataset, trainRows, scoreRows);
        var trainer = new DeepTrainer(task, Options(model, maxOneHotLevels) with { LabelColumnName = label, Device = "cpu" }, 1);
        var pipeline = _ml.Transforms.FeaturizeFor(trainer).Append(trainer).Fit(train);
        var worst = Parity.Compare(_ml, pipeline, train, score, task, output);
        Assert.True(worst < 1e-5, $"largest relative difference {worst:E2}");
    }

    /// <summary>
    /// A network fine-tuned on other columns than its checkpoint's (<see cref="Deep.Transfer.InputMap"/>): an
    /// imputed number and embedded category, and a new number, all in the exported file.
    /// </summary>
    [Fact]
    public void A_model_fine_tuned_on_other_columns_than_its_checkpoint_scores_as_the_pipeline_does()
    {
        var (train, score, label, task) = Parity.Data(_ml, "diamonds", 600, 1000);
        IDataView Without(IDataView data, params string[] columns) => _ml.Transforms.DropColumns(columns).Fit(data).Transform(data);
        var options = new MlpOptions { MaxEpochs = 3, MaxOneHotLevels = 4, LabelColumnName = label, Device = "cpu" };
        var upstream = new DeepTrainer(task, options, 1);
        var upstreamRows = Without(train, "table");
        var pretrained = _ml.Transforms.FeaturizeFor(upstream).Append(upstream).Fit(upstreamRows);
        var checkpoint = Path.Combine(Path.GetTempPath(), $"onnx-fine-tune-{Environment.ProcessId}.zip");
        try
        {
            _ml.Model.Save(pretrained, upstreamRows.Schema, checkpoint);
            var trainer = new DeepTrainer(task, options with { Pretrained = checkpoint }, 1);
            var rows = Without(train, "clarity", "depth");
            var pipeline = _ml.Transforms.FeaturizeFor(trainer).Append(trainer).Fit(rows);
            Assert.Equal(["depth", "clarity"], pipeline.LastTransformer.Model.InputMap!.Imputed);
            var worst = Parity.Compare(_ml, pipeline, rows, Without(score, "clarity", "depth"), task, output);
            Assert.True(worst < 1e-5, $"largest relative difference {worst:E2}");
        }
        finally
        {
            File.Delete(checkpoint);
        }
    }
}
