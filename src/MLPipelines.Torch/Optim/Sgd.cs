using MLPipelines.Torch.Interop;

namespace MLPipelines.Torch.Optim;

/// <summary>Stochastic gradient descent with momentum (and Nesterov's variant), libtorch's implementation.</summary>
public sealed class Sgd : Optimizer
{
    /// <summary>One group: every parameter with the same learning rate and weight decay.</summary>
    public Sgd(IEnumerable<Tensor> parameters, double learningRate, double momentum = 0.0, double weightDecay = 0.0,
        double dampening = 0.0, bool nesterov = false)
        : this([new ParameterGroup(parameters.ToList(), learningRate, weightDecay)], momentum, dampening, nesterov) { }

    /// <summary>Several groups, each with its learning rate and weight decay.</summary>
    public unsafe Sgd(IReadOnlyList<ParameterGroup> groups, double momentum = 0.0, double dampening = 0.0, bool nesterov = false)
        : base(groups, (parameters, sizes, lrs, wds) =>
        {
            fixed (IntPtr* p = parameters)
            fixed (int* s = sizes)
            fixed (double* l = lrs)
            fixed (double* w = wds)
                return NativeMethods.mlp_sgd_new(p, s, sizes.Length, l, w, momentum, dampening, nesterov ? 1 : 0);
        })
    {
    }
}
