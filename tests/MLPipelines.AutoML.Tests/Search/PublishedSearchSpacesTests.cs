using MLPipelines.AutoML.Search;
using MLPipelines.Deep.Options;

namespace MLPipelines.AutoML.Tests.Search;

/// <summary>How a point of a published space sets a deep model's options, and the space of a network fine-tuned from a checkpoint.</summary>
public sealed class PublishedSearchSpacesTests
{
    private static Configuration Point(params (string Name, object Value)[] values) => new(values.ToDictionary(v => v.Name, v => v.Value));

    private static readonly Configuration MlpPoint = Point(("learning_rate", 0.05), ("hidden_layers", "64x5"), ("activation", "selu"), ("label_smoothing", "0"),
        ("weight_decay", "0"), ("dropout", "0.3"), ("numeric_embedding", "none"));

    [Fact]
    public void A_point_of_the_mlp_space_sets_its_shape_and_its_training()
    {
        var mlp = (MlpOptions)PublishedSearchSpaces.Deep(new MlpOptions(), MlpPoint);

        Assert.Equal([64, 64, 64, 64, 64], mlp.HiddenLayers);
        Assert.Equal(MlpActivation.Selu, mlp.Activation);
        Assert.Equal(NumericEmbeddingKind.None, mlp.NumericEmbedding);
        Assert.Equal(0.05, mlp.LearningRate);
        Assert.Equal(0.3, mlp.Dropout);
        Assert.Equal(0.0, mlp.WeightDecay);
        Assert.Equal(0.0, mlp.LabelSmoothing);
    }

    [Fact]
    public void A_fine_tuned_network_is_tuned_in_its_training_and_fine_tuning_and_keeps_the_checkpoints_shape()
    {
        Assert.Equal(["learning_rate", "label_smoothing", "weight_decay", "dropout", "fine_tuning", "encoder_learning_rate_factor"],
            PublishedSearchSpaces.FineTuningSpace(new MlpOptions()).Parameters.Select(p => p.Name));
        Assert.Equal(["hidden_dropout", "residual_dropout", "learning_rate", "weight_decay", "fine_tuning", "encoder_learning_rate_factor"],
            PublishedSearchSpaces.FineTuningSpace(new ResNetOptions()).Parameters.Select(p => p.Name));
        Assert.Equal(["learning_rate", "weight_decay", "dropout", "fine_tuning", "encoder_learning_rate_factor"],
            PublishedSearchSpaces.FineTuningSpace(new TabMOptions()).Parameters.Select(p => p.Name));

        var architecture = new MlpOptions { HiddenLayers = [32, 32], Activation = MlpActivation.Mish, Pretrained = "letters.ckpt" };
        var point = Point(("learning_rate", 0.05), ("label_smoothing", "0"), ("weight_decay", "0"), ("dropout", "0.3"),
            ("fine_tuning", "gradual_unfreezing"), ("encoder_learning_rate_factor", 0.5));
        PublishedSearchSpaces.FineTuningSpace(architecture).Validate(point);
        var tuned = (MlpOptions)PublishedSearchSpaces.FineTuned(architecture, point);

        Assert.Equal([32, 32], tuned.HiddenLayers);
        Assert.Equal(MlpActivation.Mish, tuned.Activation);
        Assert.Equal(architecture.NumericEmbedding, tuned.NumericEmbedding);
        Assert.Equal("letters.ckpt", tuned.Pretrained);
        Assert.Equal(0.05, tuned.LearningRate);
        Assert.Equal(0.3, tuned.Dropout);
        Assert.Equal(new FineTuningOptions { Mode = FineTuningMode.GradualUnfreezing, EncoderLearningRateFactor = 0.5 }, tuned.FineTuning);
        Assert.Same(architecture, PublishedSearchSpaces.FineTuned(architecture, null));
    }
}
