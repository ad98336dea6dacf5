using MLPipelines.Torch.Interop;

namespace MLPipelines.Torch.Optim;

/// <summary>
/// An optimizer over parameter groups, running libtorch's own implementation. Each group's
/// learning rate can be changed between steps (<see cref="LearningRateScheduler"/> does that).
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly OptimizerHandle _handle;
    private readonly double[] _learningRates;
    private readonly double[] _weightDecays;

    private protected delegate IntPtr Create(IntPtr[] parameters, int[] groupSizes, double[] learningRates, double[] weightDecays);

    private protected Optimizer(IReadOnlyList<ParameterGroup> groups, Create create)
    {
        if (groups.Count == 0) throw new ArgumentException("an optimizer needs at least one parameter group", nameof(groups));
        foreach (var g in groups)
        {
            if (g.LearningRate < 0 || double.IsNaN(g.LearningRate)) throw new ArgumentOutOfRangeException(nameof(groups), g.LearningRate, "a learning rate is non-negative");
            if (g.WeightDecay < 0 || double.IsNaN(g.WeightDecay)) throw new ArgumentOutOfRangeException(nameof(groups), g.WeightDecay, "a weight decay is non-negative");
        }
        Groups = groups;
        _learningRates = groups.Select(g => g.LearningRate).ToArray();
        _weightDecays = groups.Select(g => g.WeightDecay).ToArray();
        var all = groups.SelectMany(g => g.Parameters).ToList();
        using var handles = Tensor.Handles(all);
        var native = create(handles.Pointers, groups.Select(g => g.Parameters.Count).ToArray(), _learningRates,
            groups.Select(g => g.WeightDecay).ToArray());
        if (native == IntPtr.Zero) throw Native.LastError();
        _handle = new OptimizerHandle(native);
    }

    /// <summary>The groups as configured (their initial learning rates).</summary>
    public IReadOnlyList<ParameterGroup> Groups { get; }

    /// <summary>The current learning rate of a group.</summary>
    public double LearningRate(int group) => _learningRates[group];

    /// <summary>Sets the learning rate of one group from the next step on.</summary>
    public void SetLearningRate(int group, double learningRate)
    {
        Native.Check(NativeMethods.mlp_optimizer_set_lr(_handle, group, learningRate));
        _learningRates[group] = learningRate;
    }

    /// <summary>The current weight decay of a group.</summary>
    public double WeightDecay(int group) => _weightDecays[group];

    /// <summary>Sets the weight decay of one group from the next step on.</summary>
    public void SetWeightDecay(int group, double weightDecay)
    {
        if (weightDecay < 0 || double.IsNaN(weightDecay)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "a weight decay is non-negative");
        Native.Check(NativeMethods.mlp_optimizer_set_weight_decay(_handle, group, weightDecay));
        _weightDecays[group] = weightDecay;
    }

    /// <summary>Updates every parameter from its gradient.</summary>
    public void Step() => Native.Check(NativeMethods.mlp_optimizer_step(_handle));

    /// <summary>Releases every parameter's gradient before the next backward pass.</summary>
    public void ZeroGrad() => Native.Check(NativeMethods.mlp_optimizer_zero_grad(_handle));

    /// <summary>Releases the optimizer's state (moments, momentum buffers).</summary>
    public void Dispose()
    {
        _handle.Dispose();
        GC.SuppressFinalize(this);
    }
}
