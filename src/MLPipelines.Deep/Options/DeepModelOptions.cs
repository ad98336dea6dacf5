using System.Text.Json.Serialization;
using MLPipelines.Torch;
using MLPipelines.Trainers;
using MLPipelines.Transforms;

namespace MLPipelines.Deep.Options;

/// <summary>How numeric features enter a network.</summary>
public enum NumericEmbeddingKind
{
    /// <summary>As they are (after the featurizer's scaling).</summary>
    None,

    /// <summary>
    /// PLR (Gorishniy et al. 2022): per feature, k learned frequencies c, the vector
    /// [sin 2πcx, cos 2πcx], a linear layer to <see cref="DeepModelOptions.NumericEmbeddingSize"/>, ReLU.
    /// </summary>
    Periodic,

    /// <summary>
    /// Piecewise-linear encoding on quantile bins of the training rows (Gorishniy et al. 2022),
    /// then a per-feature linear layer and ReLU.
    /// </summary>
    PiecewiseLinear,

    /// <summary>
    /// PBLD, RealMLP's (Holzmüller et al. 2024): per feature, 16 frequencies w ~ N(0, 0.1²) and phases
    /// b ~ U[−π, π], cos(2πwx + b), a linear layer to 3 values (no activation), and x itself beside
    /// them: 4 values per feature. For MLP-style models (the width is fixed by the method).
    /// </summary>
    Pbld,
}

/// <summary>How a deep fit or prediction spreads its cores over libtorch's intra-op threads and OpenBLAS's threads (their product stays the cores it was given).</summary>
public enum ThreadSplit
{
    /// <summary>The split the benchmarks found fastest: for training the model's (<see cref="DeepModelOptions.FastestThreadSplit"/>), for predicting <see cref="Blas"/>.</summary>
    Auto,

    /// <summary>All cores to libtorch's intra-op threads, OpenBLAS on one: element-wise work and small matrix products in parallel.</summary>
    Libtorch,

    /// <summary>One libtorch thread, all cores to OpenBLAS: large matrix products in parallel, element-wise work on one core.</summary>
    Blas,
}

/// <summary>How classes are weighted in the training loss.</summary>
public enum DeepClassWeighting
{
    None,

    /// <summary>Class c weighs n / (k · n_c).</summary>
    Balanced,
}

/// <summary>
/// Settings every deep model shares: the training loop and the optional embeddings. Each model's
/// options record (<see cref="MlpOptions"/>, <see cref="ResNetOptions"/>,
/// <see cref="FTTransformerOptions"/>, <see cref="TabMOptions"/>) sets its published defaults.
/// Plain data: comparable, printable, serializable (it is saved with the model).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "architecture")]
[JsonDerivedType(typeof(MlpOptions), "mlp")]
[JsonDerivedType(typeof(ResNetOptions), "resnet")]
[JsonDerivedType(typeof(FTTransformerOptions), "ft-transformer")]
[JsonDerivedType(typeof(TabMOptions), "tabm")]
public abstract record DeepModelOptions : TrainerOptions
{
    /// <summary>Epochs at most.</summary>
    public abstract int MaxEpochs { get; init; }

    /// <summary>Rows per training step.</summary>
    public abstract int BatchSize { get; init; }

    /// <summary>Base learning rate of AdamW; null for the model's published default (<see cref="DefaultLearningRate"/>).</summary>
    public double? LearningRate { get; init; }

    /// <summary>The model's published learning rate for a task.</summary>
    public abstract double DefaultLearningRate(bool classification);

    /// <summary>The learning rate training uses for a task.</summary>
    public double LearningRateFor(bool classification) => LearningRate ?? DefaultLearningRate(classification);

    /// <summary>AdamW's decoupled weight decay (not applied to biases, normalization and embedding parameters).</summary>
    public abstract double WeightDecay { get; init; }

    /// <summary>
    /// Stop after this many epochs without a better validation score (plus
    /// <see cref="PatienceGrowth"/> × the best epoch); null trains all epochs. The best epoch's
    /// weights are restored either way.
    /// </summary>
    public abstract int? Patience { get; init; }

    /// <summary>
    /// Patience that grows with the best epoch: training stops at epoch
    /// best + <see cref="Patience"/> + growth × best. 0 (rtdl's fixed patience) by default;
    /// RealMLP uses 1 (stop at 2·best + 20).
    /// </summary>
    public virtual double PatienceGrowth { get; init; }

    /// <summary>
    /// The epoch at which early stopping ends a fit whose best epoch so far is <paramref name="bestEpoch"/>:
    /// best + <see cref="Patience"/> + <see cref="PatienceGrowth"/> × best, rounded up; null without early stopping.
    /// </summary>
    public int? StoppingEpoch(int bestEpoch) =>
        Patience is { } patience ? bestEpoch + (int)Math.Ceiling(patience + PatienceGrowth * bestEpoch) : null;

    /// <summary>Fraction of the training rows held out to pick the best epoch (stratified for classification). Default 0.2.</summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>
    /// Bagging over validation folds, as pytabkit's <c>n_cv</c> and AutoGluon's bagged models do: with
    /// k ≥ 2, the training rows are split into k folds (stratified for classification), k networks
    /// are trained, each on all folds but one and early-stopped on that one (seeds Seed, Seed + 1, …),
    /// and the model predicts their mean (of probabilities for classification). Every row trains
    /// k − 1 networks and no row is only held out; predicting takes k times as long. A
    /// <see cref="TimeLimit"/> covers the whole fit: each network gets an equal share of what is
    /// left when it starts. <see cref="ValidationFraction"/> then does not apply (each fold holds
    /// 1/k of the rows). Default 1: one network, validated on <see cref="ValidationFraction"/> of the rows.
    /// </summary>
    public int BaggingFolds { get; init; } = 1;

    /// <summary>Gradient clipping by global norm; null for none.</summary>
    public double? GradientClipNorm { get; init; }

    /// <summary>Label smoothing for classification (0 = none).</summary>
    public virtual double LabelSmoothing { get; init; }

    public DeepClassWeighting ClassWeighting { get; init; } = DeepClassWeighting.None;

    /// <summary>Numeric-feature embeddings (periodic and piecewise-linear for every model, PBLD for MLP-style ones). Default none.</summary>
    public virtual NumericEmbeddingKind NumericEmbedding { get; init; } = NumericEmbeddingKind.None;

    /// <summary>Embedding width per numeric feature (for MLP-style models; FT-Transformer uses its token size). Default 16.</summary>
    public int NumericEmbeddingSize { get; init; } = 16;

    /// <summary>Periodic embeddings: frequencies per feature. Default 48.</summary>
    public int PeriodicFrequencies { get; init; } = 48;

    /// <summary>Periodic embeddings: standard deviation of the initial frequencies. Default 0.01.</summary>
    public double PeriodicScale { get; init; } = 0.01;

    /// <summary>Piecewise-linear embeddings: quantile bins per feature. Default 48.</summary>
    public int PiecewiseLinearBins { get; init; } = 48;

    /// <summary>
    /// Categorical features (ML.NET's categorical slot ranges) with at most this many levels
    /// enter as their one-hot slots; those with more as a learned embedding of
    /// <see cref="CategoricalEmbeddingSize"/>. Default 32.
    /// </summary>
    public virtual int MaxOneHotLevels { get; init; } = 32;

    /// <summary>One-hot slots up to <see cref="MaxOneHotLevels"/> levels, an embedding index above.</summary>
    public CategoricalTreatment CategoricalTreatmentOf(int levels) => levels <= MaxOneHotLevels ? CategoricalTreatment.OneHot : CategoricalTreatment.Index;

    /// <summary>Width of the learned embedding of each categorical feature with more than <see cref="MaxOneHotLevels"/> levels. Default 8.</summary>
    public int CategoricalEmbeddingSize { get; init; } = 8;

    /// <summary>"cpu", "cuda" or "cuda:N"; default CUDA when available, else the CPU.</summary>
    public string? Device { get; init; }

    /// <summary>How training and prediction spread their cores over libtorch's and OpenBLAS's threads. Default <see cref="ThreadSplit.Auto"/>.</summary>
    public ThreadSplit Threads { get; init; } = ThreadSplit.Auto;

    /// <summary>The split that <c>scripts/benchmark.sh deep</c> measured fastest for this model on diamonds (2 cores).</summary>
    [JsonIgnore]
    public abstract ThreadSplit FastestThreadSplit { get; }

    /// <summary>
    /// Trains the forward pass in bfloat16 on the CPU (libtorch's autocast, as
    /// <c>torch.autocast("cpu", dtype=torch.bfloat16)</c>): matrix products in bfloat16 through
    /// oneDNN on libtorch's threads; weights, gradients, the optimizer and every prediction stay
    /// float32. Null (the default): on where the model gains from it (<see cref="MixedPrecisionPays"/>)
    /// and the CPU multiplies bfloat16 in hardware (<see cref="TorchRuntime.CpuHasNativeBFloat16"/>);
    /// without that hardware it is slower than float32.
    /// </summary>
    public bool? MixedPrecision { get; init; }

    /// <summary>
    /// Whether an epoch of this model takes clearly less time in mixed precision on a CPU with
    /// AVX-512 BF16, at the same validation quality after the same epochs
    /// (<c>scripts/benchmark.sh deep --precision bf16</c>, <c>scripts/benchmark.sh same-epochs</c>).
    /// </summary>
    [JsonIgnore]
    public virtual bool MixedPrecisionPays => false;

    /// <summary>Whether a fit on <paramref name="device"/> trains in mixed precision (<see cref="MixedPrecision"/>).</summary>
    internal bool TrainsInMixedPrecision(Device device) =>
        device.Type == DeviceType.CPU && (MixedPrecision ?? (MixedPrecisionPays && TorchRuntime.CpuHasNativeBFloat16));

    /// <summary>Stop training (keeping the best epoch so far) when this much time has passed; null for no limit.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>
    /// Where the <see cref="TimeLimit"/> binds — it holds fewer epochs than <see cref="MaxEpochs"/>,
    /// as the epochs so far project them, and fewer than the stopping rule could end the fit at,
    /// as the best epoch stands — plan the schedules over the epochs it holds from then on, so
    /// that the fit completes an annealed schedule instead of being cut where the learning rate is
    /// still high ("budgeted training", Li, Yumer and Ramanan 2020: a schedule fitted to the budget
    /// beats a truncated one). A limit that only guards a fit which stops by patience leaves it as
    /// it was. Only schedules that depend on the planned length change (the MLP's coslog₄ learning
    /// rate and flat-cos weight decay and dropout); constant ones are the same either way. The fit
    /// still counts as stopped by its time limit. Default true.
    /// </summary>
    public bool FitScheduleToTimeLimit { get; init; } = true;

    /// <summary>
    /// A pretrained network to fine-tune instead of training from scratch: a checkpoint written by
    /// <see cref="Transfer.PretrainedCheckpoint.Save"/> (<c>mlpipelines pretrain</c>), or a model file
    /// holding one of this project's deep models. Its columns are matched to this fit's feature
    /// slots by name (<see cref="Transfer.InputMap"/>); its network must have this trainer's
    /// architecture; the head is new. Null (the default) trains from scratch.
    /// </summary>
    public string? Pretrained { get; init; }

    /// <summary>How <see cref="Pretrained"/> is fine-tuned.</summary>
    public FineTuningOptions FineTuning { get; init; } = new();

    /// <summary>The name in messages and leaderboards.</summary>
    [JsonIgnore]
    public abstract string Name { get; }

    /// <summary>
    /// How the model rescales its numeric features, fitted on its training rows: the
    /// architecture's published preprocessing, inside the model so that any feature vector
    /// works (raw ML.NET columns, or the featurizer's). Flags and one-hot slots stay as they
    /// are. Quantile and robust scaling do not depend on an earlier monotone or affine scaling.
    /// </summary>
    public abstract NumericScaling NumericScaling { get; init; }

    /// <summary>The featurization for a network: missing values imputed with indicators; the model scales numbers itself.</summary>
    [JsonIgnore]
    public FeaturizerOptions RecommendedFeaturization => new() { NumericScaling = NumericScaling.None };
}
