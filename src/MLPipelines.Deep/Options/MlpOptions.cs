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
/// The MLP, RealMLP-TD by default (Holzmüller et al. 2024, "Better by default: strong pre-tuned
/// MLPs and boosted trees on tabular data", as its reference code pytabkit implements it): robust
/// scaling with smooth clipping; PBLD embeddings of the numeric features; a front scaling layer;
/// 3 × 256 NTK-parametrized layers initialized from the data ("std" weights, "he+5" biases),
/// parametric SELU (classification) or Mish (regression), dropout 0.15 with the flat-cos schedule;
/// Adam (β₂ = 0.95) with decoupled weight decay 0.02 on the flat-cos schedule and the coslog₄
/// learning-rate schedule over 256 epochs, learning rate 0.04 (classification) or 0.2
/// (regression), per-group factors (front scale 6×, biases, activations and embeddings 0.1×);
/// label smoothing 0.1; regression predictions clamped to the training targets' range. It keeps
/// the best validation epoch and stops at epoch 2·best + 20 (pytabkit's early-stopping rule).
/// <see cref="SmallTDS"/> is the simpler TD-S configuration.
/// </summary>
public sealed record MlpOptions : DeepModelOptions
{
    public override int MaxEpochs { get; init; } = 256;
    public override int BatchSize { get; init; } = 256;

    public double ClassificationLearningRate { get; init; } = 0.04;

    public double RegressionLearningRate { get; init; } = 0.2;

    public override double DefaultLearningRate(bool classification) => classification ? ClassificationLearningRate : RegressionLearningRate;

    /// <summary>Decoupled weight decay, scheduled flat-cos. Default 0.02.</summary>
    public override double WeightDecay { get; init; } = 0.02;

    /// <summary>
    /// 20 epochs plus the best epoch (<see cref="PatienceGrowth"/> 1): pytabkit's early stopping
    /// (additive patience 20, multiplicative 2). The schedules stay those of 256 epochs.
    /// </summary>
    public override int? Patience { get; init; } = 20;

    public override double PatienceGrowth { get; init; } = 1;

    public override double LabelSmoothing { get; init; } = 0.1;

    public override NumericEmbeddingKind NumericEmbedding { get; init; } = NumericEmbeddingKind.Pbld;

    public int[] HiddenLayers { get; init; } = [256, 256, 256];

    public MlpActivation Activation { get; init; } = MlpActivation.ByTask;

    /// <summary>Parametric activations x + α(σ(x) − x), one α per neuron starting at 1. Default true.</summary>
    public bool ParametricActivations { get; init; } = true;

    /// <summary>Dropout after each hidden activation, scheduled flat-cos. Default 0.15.</summary>
    public double Dropout { get; init; } = 0.15;

    /// <summary>
    /// RealMLP's data-dependent initialization: each layer's weights scaled so that its
    /// pre-activations have unit standard deviation on the training rows, and each bias placing
    /// the neuron's kink at a random convex combination of 5 training rows ("he+5"). When false,
    /// TD-S's: weights and biases N(0, 1), the output layer zero. Default true.
    /// </summary>
    public bool DataDependentInitialization { get; init; } = true;

    /// <summary>Regression: clamp predictions to the training targets' range. Default true.</summary>
    public bool ClampPredictions { get; init; } = true;

    /// <summary>Learning-rate factor of the front scaling layer. Default 6.</summary>
    public double ScaleLearningRateFactor { get; init; } = 6;

    /// <summary>Learning-rate factor of the biases. Default 0.1.</summary>
    public double BiasLearningRateFactor { get; init; } = 0.1;

    /// <summary>Learning-rate factor of the parametric activations and the numeric embeddings. Default 0.1.</summary>
    public double ActivationAndEmbeddingLearningRateFactor { get; init; } = 0.1;

    /// <summary>Adam's β₂. Default 0.95.</summary>
    public double Beta2 { get; init; } = 0.95;

    public override string Name => "MLP";

    /// <summary>Libtorch: at batch 256 its 256-wide products are small, and the element-wise work (embeddings, activations, dropout) gains more from 2 intra-op threads (scripts/benchmark.sh deep: 0.91 s/epoch 2×1 vs 1.41 s 1×2 on diamonds).</summary>
    public override ThreadSplit FastestThreadSplit => ThreadSplit.Libtorch;

    /// <summary>RealMLP's: robust scaling with smooth clipping.</summary>
    public override NumericScaling NumericScaling { get; init; } = NumericScaling.RobustSmoothClip;

    /// <summary>One-hot up to 9 levels (RealMLP's limit), embeddings above.</summary>
    public override int MaxOneHotLevels { get; init; } = 9;

    /// <summary>
    /// RealMLP-TD-S, the paper's simplified configuration: no numeric embeddings, weight decay,
    /// dropout or parametric activations; N(0, 1) initialization with a zero output layer;
    /// regression learning rate 0.07; no clamping; all 256 epochs (the best one kept).
    /// </summary>
    public static MlpOptions SmallTDS => new()
    {
        RegressionLearningRate = 0.07, WeightDecay = 0, Dropout = 0, ParametricActivations = false, NumericEmbedding = NumericEmbeddingKind.None,
        DataDependentInitialization = false, ClampPredictions = false, Patience = null, PatienceGrowth = 0,
    };
}
