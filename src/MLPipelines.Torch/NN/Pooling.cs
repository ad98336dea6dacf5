namespace MLPipelines.Torch.NN;

// Pooling over [N, C, H, W] inputs and the flattening after it, as modules for Sequential.

/// <summary>The maximum of each window; the stride defaults to the kernel size.</summary>
public sealed class MaxPool2d(Size2d kernelSize, Size2d? stride = null, Size2d? padding = null, Size2d? dilation = null,
    bool ceilMode = false) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor input) => Functional.MaxPool2d(input, kernelSize, stride, padding, dilation, ceilMode);
}

/// <summary>The mean of each window; the stride defaults to the kernel size.</summary>
public sealed class AvgPool2d(Size2d kernelSize, Size2d? stride = null, Size2d? padding = null, bool ceilMode = false,
    bool countIncludePad = true) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor input) => Functional.AvgPool2d(input, kernelSize, stride, padding, ceilMode, countIncludePad);
}

/// <summary>Averages each channel down to <c>outputSize</c> (1: global average pooling).</summary>
public sealed class AdaptiveAvgPool2d(Size2d outputSize) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor input) => Functional.AdaptiveAvgPool2d(input, outputSize);
}

/// <summary>Flattens dimensions <c>startDim</c>..<c>endDim</c> into one ([N, C, H, W] → [N, C·H·W] by default).</summary>
public sealed class Flatten(long startDim = 1, long endDim = -1) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor input) => input.Flatten(startDim, endDim);
}
