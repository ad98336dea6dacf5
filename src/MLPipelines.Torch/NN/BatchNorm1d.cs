namespace MLPipelines.Torch.NN;

/// <summary>
/// Batch normalization of [N, C] (or [N, C, L]) inputs. Training uses the batch's statistics
/// and updates running ones (exponential average with <c>momentum</c>); evaluation uses the
/// running ones. Buffers: running_mean, running_var, num_batches_tracked, as in PyTorch.
/// </summary>
public sealed class BatchNorm1d : Module<Tensor, Tensor>
{
    private readonly double _eps;
    private readonly double _momentum;

    /// <summary>The ε added to the variance.</summary>
    public double Epsilon => _eps;

    public Tensor? Weight { get; }
    public Tensor? Bias { get; }
    public Tensor RunningMean { get; }
    public Tensor RunningVar { get; }
    public Tensor BatchesTracked { get; }

    public BatchNorm1d(long features, double eps = 1e-5, double momentum = 0.1, bool affine = true)
    {
        _eps = eps;
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

    public override Tensor Forward(Tensor input)
    {
        if (IsTraining) BatchesTracked.AddInPlace(1);
        return Functional.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, IsTraining, _momentum, _eps);
    }
}
