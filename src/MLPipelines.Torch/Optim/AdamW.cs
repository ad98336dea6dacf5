using MLPipelines.Torch.Interop;

namespace MLPipelines.Torch.Optim;

/// <summary>Adam with decoupled weight decay (Loshchilov and Hutter), libtorch's implementation.</summary>
public sealed class AdamW : Optimizer
{
    /// <summary>One group: every parameter with the same learning rate and weight decay.</summary>
    public AdamW(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double weightDecay = 0.01,
        double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, bool amsgrad = false)
        : this([new ParameterGroup(parameters.ToList(), learningRate, weightDecay)], beta1, beta2, eps, amsgrad) { }

    /// <summary>Several groups, each with its learning rate and weight decay.</summary>
    public unsafe AdamW(IReadOnlyList<ParameterGroup> groups, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, bool amsgrad = false)
        : base(groups, (parameters, sizes, lrs, wds) =>
        {
            fixed (IntPtr* p = parameters)
            fixed (int* s = sizes)
            fixed (double* l = lrs)
            fixed (double* w = wds)
                return NativeMethods.mlp_adamw_new(p, s, sizes.Length, l, w, beta1, beta2, eps, amsgrad ? 1 : 0);
        })
    {
    }
}
