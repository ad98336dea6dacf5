using MLPipelines.Transforms;

namespace MLPipelines.Deep.Options;

/// <summary>
/// ResNet for tabular data (Gorishniy et al. 2021), the rtdl baseline configuration: 2 blocks,
/// main width 128, hidden width 256, dropout 0.2 inside the block and 0 on the residual branch;
/// AdamW lr 1e-3, weight decay 1e-5, batch 256, early stopping after 16 epochs without
/// improvement. Preprocessing: quantile-to-normal numbers (inside the model), one-hot categories.
/// </summary>
public sealed record ResNetOptions : DeepModelOptions
{
    public override int MaxEpochs { get; init; } = 200;
    public override int BatchSize { get; init; } = 256;
    public override double DefaultLearningRate(bool classification) => 1e-3;
    public override double WeightDecay { get; init; } = 1e-5;
    public override int? Patience { get; init; } = 16;

    public int Blocks { get; init; } = 2;
    public int MainWidth { get; init; } = 128;
    public int HiddenWidth { get; init; } = 256;
    public double HiddenDropout { get; init; } = 0.2;
    public double ResidualDropout { get; init; }

    public override string Name => "ResNet";

    /// <summary>
    /// Blas: an epoch on diamonds took 0.55 s on 1 libtorch × 2 OpenBLAS threads against 0.69–0.77 s on 2 × 1 (best of 12 epochs,
    /// two runs of <c>scripts/benchmark.sh deep --models resnet --rounds 3</c>, 2 cores; PyTorch's the same way, 0.81–0.86 against 1.00–1.09).
    /// </summary>
    public override ThreadSplit FastestThreadSplit => ThreadSplit.Blas;

    public override NumericScaling NumericScaling { get; init; } = NumericScaling.QuantileNormal;
}
