using MLPipelines.Torch.Interop;

namespace MLPipelines.Torch.Optim;

/// <summary>Gradient clipping, between the backward pass and the optimizer step.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales the gradients of <paramref name="parameters"/> so their joint norm is at most
    /// <paramref name="maxNorm"/> (as PyTorch's clip_grad_norm_). Returns the norm before clipping.
    /// </summary>
    public static unsafe double ClipGradNorm(IReadOnlyList<Tensor> parameters, double maxNorm, double normType = 2.0)
    {
        using var handles = Tensor.Handles(parameters);
        double total;
        fixed (IntPtr* p = handles.Pointers)
            Native.Check(NativeMethods.mlp_clip_grad_norm(p, parameters.Count, maxNorm, normType, out total));
        return total;
    }
}
