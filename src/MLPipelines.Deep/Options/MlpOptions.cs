using MLPipelines.Transforms;

namespace MLPipelines.Deep.Options;

/// <summary>The MLP's activation: chosen by task (RealMLP's default), or fixed.</summary>
public enum MlpActivation
{
    /// <summary>SELU for classification, Mish for regression (RealMLP's tuned choice).</summary>
    ByTask,
    Selu,
    Mish,
}

/// <summary>
/// The MLP, RealMLP-style by default (Holzmüller et al. 2024, "Better by default: strong
/// pre-tuned MLPs and boosted trees on tabular data", configuration TD-S): robust scaling with
/// smooth clipping, a front scaling layer, 3 × 256 NTK-parametrized layers, SELU or Mish, label
/// smoothing 0.1 for classification, Adam (β₂ = 0.95) with the "coslog4" learning-rate schedule
/// over 256 epochs, learning rate 0.04 (classification) or 0.07 (regression), the best
/// validation epoch kept. Numbers are scaled by the model (<see cref="NumericScaling"/>).
/// </summary>
public sealed record MlpOptions : DeepModelOptions
{
    public override int MaxEpochs { get; init; } = 256;
    public override int BatchSize { get; init; } = 256;

    /// <summary>0.04 for classification, 0.07 for regression (RealMLP TD-S).</summary>
    public override double DefaultLearningRate(bool classification) => classification ? 0.04 : 0.07;

    public override double WeightDecay { get; init; }

    /// <summary>RealMLP trains all epochs (its schedule needs them) and keeps the best one.</summary>
    public override int? Patience { get; init; }

    public override double LabelSmoothing { get; init; } = 0.1;

    public int[] HiddenLayers { get; init; } = [256, 256, 256];

    public MlpActivation Activation { get; init; } = MlpActivation.ByTask;

    /// <summary>Learning-rate factor of the front scaling layer. Default 6.</summary>
    public double ScaleLearningRateFactor { get; init; } = 6;

    /// <summary>Learning-rate factor of the biases. Default 0.1.</summary>
    public double BiasLearningRateFactor { get; init; } = 0.1;

    /// <summary>Adam's β₂. Default 0.95.</summary>
    public double Beta2 { get; init; } = 0.95;

    public override string Name => "MLP";

    /// <summary>RealMLP's: robust scaling with smooth clipping.</summary>
    public override NumericScaling NumericScaling { get; init; } = NumericScaling.RobustSmoothClip;

    /// <summary>One-hot up to 9 levels (RealMLP's limit), embeddings above.</summary>
    public override int MaxOneHotLevels { get; init; } = 9;
}
