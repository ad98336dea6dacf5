namespace MLPipelines.Torch.NN;

/// <summary>y = x · Wᵀ + b, with PyTorch's initialization: W and b ~ U(-1/√in, 1/√in).</summary>
public sealed class Linear : Module<Tensor, Tensor>
{
    /// <summary>[out, in].</summary>
    public Tensor Weight { get; }

    /// <summary>[out], or null without bias.</summary>
    public Tensor? Bias { get; }

    public Linear(long inputFeatures, long outputFeatures, bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputFeatures, 1);
        var bound = 1.0 / Math.Sqrt(inputFeatures);
        using var _ = TorchRuntime.NoGrad();
        Weight = RegisterParameter("weight", Tensors.Empty([outputFeatures, inputFeatures]).UniformInPlace(-bound, bound));
        if (bias) Bias = RegisterParameter("bias", Tensors.Empty([outputFeatures]).UniformInPlace(-bound, bound));
    }

    public override Tensor Forward(Tensor input) => Functional.Linear(input, Weight, Bias);
}
