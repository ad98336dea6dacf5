using System.Runtime.InteropServices;

namespace MLPipelines.Torch.Interop;

/// <summary>
/// Owns one native <c>at::Tensor*</c>. A SafeHandle, so that the runtime keeps it alive for
/// the duration of every native call that receives it (a temporary tensor cannot be
/// finalized while libtorch is still reading it), and frees it if a tensor is never disposed.
/// </summary>
internal sealed class TensorHandle : SafeHandle
{
    /// <summary>Passed for an optional tensor argument that is absent (C++ nullptr).</summary>
    internal static readonly TensorHandle None = new();

    public TensorHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    internal TensorHandle(IntPtr native) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(native);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.mlp_tensor_free(handle);
        return true;
    }
}

/// <summary>Owns one native libtorch optimizer.</summary>
internal sealed class OptimizerHandle : SafeHandle
{
    public OptimizerHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    internal OptimizerHandle(IntPtr native) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(native);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.mlp_optimizer_free(handle);
        return true;
    }
}
