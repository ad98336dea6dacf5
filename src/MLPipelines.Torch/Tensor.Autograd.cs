using MLPipelines.Torch.Interop;

namespace MLPipelines.Torch;

/// <summary>Automatic differentiation.</summary>
public sealed partial class Tensor
{
    /// <summary>Whether operations on this tensor are recorded for <see cref="Backward"/>. Only floating-point leaves can be set.</summary>
    public bool RequiresGrad
    {
        get => NativeMethods.mlp_tensor_requires_grad(Handle) != 0;
        set => Native.Check(NativeMethods.mlp_tensor_set_requires_grad(Handle, value ? 1 : 0));
    }

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor.</summary>
    public Tensor RequiresGradient(bool requiresGrad = true)
    {
        RequiresGrad = requiresGrad;
        return this;
    }

    /// <summary>True for a tensor created by the user rather than computed by a recorded operation.</summary>
    public bool IsLeaf => NativeMethods.mlp_tensor_is_leaf(Handle) != 0;

    /// <summary>
    /// Computes the gradient of this tensor (a scalar, unless <paramref name="gradient"/> is
    /// given) with respect to every leaf that requires one, adding it to their <see cref="Grad"/>.
    /// </summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false) =>
        Native.Check(NativeMethods.mlp_backward(Handle, Native.Optional(gradient), retainGraph ? 1 : 0));

    /// <summary>The accumulated gradient, or null when none has been computed since it was last cleared.</summary>
    public Tensor? Grad
    {
        get
        {
            Native.Check(NativeMethods.mlp_tensor_grad(Handle, out var gradient));
            return gradient == IntPtr.Zero ? null : Native.Tensor(gradient);
        }
    }

    /// <summary>Releases the accumulated gradient (the next backward pass starts from none).</summary>
    public void ClearGrad() => Native.Check(NativeMethods.mlp_tensor_clear_grad(Handle));
}
