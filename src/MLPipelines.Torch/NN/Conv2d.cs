namespace MLPipelines.Torch.NN;

/// <summary>
/// A 2-d convolution over [N, C, H, W] inputs, with PyTorch's initialization: weight and bias
/// ~ U(-1/√fanIn, 1/√fanIn), fanIn = (in / groups) · kH · kW.
/// </summary>
public sealed class Conv2d : Module<Tensor, Tensor>
{
    /// <summary>[out, in / groups, kH, kW].</summary>
    public Tensor Weight { get; }

    /// <summary>[out], or null without bias.</summary>
    public Tensor? Bias { get; }

    public Size2d Stride { get; }
    public Size2d Padding { get; }
    public Size2d Dilation { get; }
    public long Groups { get; }

    public Conv2d(long inputChannels, long outputChannels, Size2d kernelSize, Size2d? stride = null, Size2d? padding = null,
        Size2d? dilation = null, long groups = 1, bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 1);
        if (inputChannels < 1 || outputChannels < 1 || inputChannels % groups != 0 || outputChannels % groups != 0)
            throw new ArgumentException($"channels {inputChannels} → {outputChannels} must be positive multiples of groups ({groups})");
        if (kernelSize.Height < 1 || kernelSize.Width < 1)
            throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "the kernel must be at least 1 × 1");
        (Stride, Padding, Dilation, Groups) = (stride ?? 1, padding ?? 0, dilation ?? 1, groups);

        var fanIn = inputChannels / groups * kernelSize.Height * kernelSize.Width;
        var bound = 1.0 / Math.Sqrt(fanIn);
        using var _ = TorchRuntime.NoGrad();
        Weight = RegisterParameter("weight",
            Tensors.Empty([outputChannels, inputChannels / groups, kernelSize.Height, kernelSize.Width]).UniformInPlace(-bound, bound));
        if (bias) Bias = RegisterParameter("bias", Tensors.Empty([outputChannels]).UniformInPlace(-bound, bound));
    }

    public override Tensor Forward(Tensor input) => Functional.Conv2d(input, Weight, Bias, Stride, Padding, Dilation, Groups);
}
