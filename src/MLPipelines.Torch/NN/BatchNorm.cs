namespace MLPipelines.Torch.NN;

/// <summary>
/// Batch normalization over dimension 1 (the features or channels). Training uses the batch's
/// statistics and updates running ones (exponential average with <c>momentum</c>); evaluation
/// uses the running ones. Buffers: running_mean, running_var, num_batches_tracked, as in PyTorch.
/// </summary>
public abstract class BatchNorm : Module<Tensor, Tensor>
{
    private readonly double _momentum;

    /// <summary>The ε added to the variance.</summary>
    public double Epsilon { get; }

    public Tensor? Weight { get; }
    public Tensor? Bias { get; }
    public Tensor RunningMean { get; }
    public Tensor RunningVar { get; }
    public Tensor BatchesTracked { get; }

    private protected BatchNorm(long features, double eps, double momentum, bool affine)
    {
        Epsilon = eps;
        _momentum = momentum;
        if (affine)
        {
            Weight = RegisterParameter("weight", Tensors.Ones([features]));
            Bias = RegisterParameter("bias", Tensors.Zeros([features]));
        }
        RunningMean = RegisterBuffer("running_mean", Tensors.Zeros([features]));
        RunningVar = RegisterBuffer("running_var", Tensors.Ones([features]));
        BatchesTracked = RegisterBuffer("num_batches_tracked", Tensors.Zeros([], DType.Int64));
    }

    /// <summary>Whether an input of <paramref name="rank"/> dimensions is what this layer normalizes.</summary>
    private protected abstract bool AcceptsRank(long rank);

    private protected abstract string ExpectedShape { get; }

    public override Tensor Forward(Tensor input)
    {
        if (!AcceptsRank(input.Dim))
            throw new ArgumentException($"{GetType().Name} expects {ExpectedShape} inputs, got [{string.Join(", ", input.Shape)}]", nameof(input));
        if (IsTraining) BatchesTracked.AddInPlace(1);
        return Functional.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, IsTraining, _momentum, Epsilon);
    }
}

/// <summary>Batch normalization of [N, C] or [N, C, L] inputs.</summary>
public sealed class BatchNorm1d(long features, double eps = 1e-5, double momentum = 0.1, bool affine = true)
    : BatchNorm(features, eps, momentum, affine)
{
    private protected override bool AcceptsRank(long rank) => rank is 2 or 3;
    private protected override string ExpectedShape => "[N, C] or [N, C, L]";
}

/// <summary>Batch normalization of [N, C, H, W] images, per channel.</summary>
public sealed class BatchNorm2d(long channels, double eps = 1e-5, double momentum = 0.1, bool affine = true)
    : BatchNorm(channels, eps, momentum, affine)
{
    private protected override bool AcceptsRank(long rank) => rank == 4;
    private protected override string ExpectedShape => "[N, C, H, W]";
}
