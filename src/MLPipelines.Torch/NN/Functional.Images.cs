using MLPipelines.Torch.Interop;

namespace MLPipelines.Torch.NN;

// Convolution and pooling over [N, C, H, W] images.
public static partial class Functional
{
    /// <summary>
    /// 2-d cross-correlation, as PyTorch's conv2d: weight is [out, in / groups, kH, kW], bias [out] or null.
    /// </summary>
    public static unsafe Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null,
        Size2d? stride = null, Size2d? padding = null, Size2d? dilation = null, long groups = 1)
    {
        var (s, p, d) = ((stride ?? 1).ToArray(), (padding ?? 0).ToArray(), (dilation ?? 1).ToArray());
        fixed (long* sp = s, pp = p, dp = d)
            return Native.Tensor(NativeMethods.mlp_conv2d(input.Handle, weight.Handle, Native.Optional(bias), sp, pp, dp, groups));
    }

    /// <summary>The maximum of each window; <paramref name="stride"/> defaults to the kernel size.</summary>
    public static unsafe Tensor MaxPool2d(Tensor input, Size2d kernelSize, Size2d? stride = null, Size2d? padding = null,
        Size2d? dilation = null, bool ceilMode = false)
    {
        var (k, s, p, d) = (kernelSize.ToArray(), (stride ?? kernelSize).ToArray(), (padding ?? 0).ToArray(), (dilation ?? 1).ToArray());
        fixed (long* kp = k, sp = s, pp = p, dp = d)
            return Native.Tensor(NativeMethods.mlp_max_pool2d(input.Handle, kp, sp, pp, dp, ceilMode ? 1 : 0));
    }

    /// <summary>The mean of each window; <paramref name="stride"/> defaults to the kernel size.</summary>
    public static unsafe Tensor AvgPool2d(Tensor input, Size2d kernelSize, Size2d? stride = null, Size2d? padding = null,
        bool ceilMode = false, bool countIncludePad = true)
    {
        var (k, s, p) = (kernelSize.ToArray(), (stride ?? kernelSize).ToArray(), (padding ?? 0).ToArray());
        fixed (long* kp = k, sp = s, pp = p)
            return Native.Tensor(NativeMethods.mlp_avg_pool2d(input.Handle, kp, sp, pp, ceilMode ? 1 : 0, countIncludePad ? 1 : 0));
    }

    /// <summary>Averages over windows chosen so that the output is <paramref name="outputSize"/> (1 = global average pooling).</summary>
    public static unsafe Tensor AdaptiveAvgPool2d(Tensor input, Size2d outputSize)
    {
        var o = outputSize.ToArray();
        fixed (long* op = o)
            return Native.Tensor(NativeMethods.mlp_adaptive_avg_pool2d(input.Handle, op));
    }

    /// <summary>Bilinear resizing of [N, C, H, W] to <paramref name="size"/> (PyTorch's interpolate, align_corners false: ONNX Resize's half_pixel).</summary>
    public static unsafe Tensor ResizeBilinear(Tensor input, Size2d size)
    {
        var s = size.ToArray();
        fixed (long* sp = s)
            return Native.Tensor(NativeMethods.mlp_upsample_bilinear2d(input.Handle, sp, 0));
    }

    /// <summary>
    /// Pads with a constant: <paramref name="pads"/> holds (before, after) pairs from the last dimension backwards,
    /// as torch.nn.functional.pad ([left, right, top, bottom] pads an image's width, then its height).
    /// </summary>
    public static unsafe Tensor Pad(Tensor input, long[] pads, double value = 0)
    {
        fixed (long* p = pads)
            return Native.Tensor(NativeMethods.mlp_constant_pad(input.Handle, p, pads.Length, value));
    }
}
