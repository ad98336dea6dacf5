namespace MLPipelines.Torch.NN;

/// <summary>
/// A network or a part of one. A subclass creates its parameters, buffers and submodules in
/// its constructor and registers each once under a name; they are then reachable by dotted
/// path ("blocks.0.linear.weight"), which is what state dictionaries are keyed by, so a
/// checkpoint loads into any module whose names match (a different head, for fine-tuning).
/// The module owns what it registers and disposes it with itself.
/// </summary>
public abstract class Module : IDisposable
{
    private readonly List<(string Name, Tensor Tensor)> _parameters = [];
    private readonly List<(string Name, Tensor Tensor)> _buffers = [];
    private readonly List<(string Name, Module Module)> _children = [];
    private bool _disposed;

    /// <summary>True in training mode (dropout active, batch norm on batch statistics).</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Registers a trainable tensor; it is taken out of any dispose scope and set to require gradients.</summary>
    protected Tensor RegisterParameter(string name, Tensor value)
    {
        ClaimName(name);
        value.DetachFromDisposeScope();
        value.RequiresGrad = true;
        _parameters.Add((name, value));
        return value;
    }

    /// <summary>Registers state that is saved with the module but not trained (running statistics).</summary>
    protected Tensor RegisterBuffer(string name, Tensor value)
    {
        ClaimName(name);
        value.DetachFromDisposeScope();
        _buffers.Add((name, value));
        return value;
    }

    /// <summary>Registers a submodule, whose own names are then prefixed with <paramref name="name"/>.</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        ClaimName(name);
        _children.Add((name, module));
        return module;
    }

    private void ClaimName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new ArgumentException($"'{name}' is not a valid name: it must be non-empty and contain no '.'", nameof(name));
        if (_parameters.Exists(p => p.Name == name) || _buffers.Exists(b => b.Name == name) || _children.Exists(c => c.Name == name))
            throw new ArgumentException($"{GetType().Name} already has a member named '{name}'", nameof(name));
    }

    // ---- traversal ----

    /// <summary>Every parameter of this module and its submodules, by dotted path, in registration order.</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters() => Collect(m => m._parameters);

    /// <summary>Every buffer of this module and its submodules, by dotted path.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers() => Collect(m => m._buffers);

    /// <summary>Every parameter, in the order of <see cref="NamedParameters"/>.</summary>
    public IReadOnlyList<Tensor> Parameters() => NamedParameters().Select(p => p.Parameter).ToList();

    /// <summary>The direct submodules.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren() => _children;

    /// <summary>This module ("") and every submodule, by dotted path.</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules()
    {
        yield return ("", this);
        foreach (var (childName, child) in _children)
            foreach (var (name, module) in child.NamedModules())
                yield return (name.Length == 0 ? childName : childName + "." + name, module);
    }

    private IEnumerable<(string, Tensor)> Collect(Func<Module, List<(string Name, Tensor Tensor)>> members)
    {
        foreach (var (prefix, module) in NamedModules())
            foreach (var (name, tensor) in members(module))
                yield return (prefix.Length == 0 ? name : prefix + "." + name, tensor);
    }

    /// <summary>The number of trainable values.</summary>
    public long ParameterCount => Parameters().Sum(p => p.NumberOfElements);

    // ---- modes and devices ----

    /// <summary>Sets training mode on this module and every submodule.</summary>
    public Module Train(bool training = true)
    {
        foreach (var (_, module) in NamedModules()) module.IsTraining = training;
        return this;
    }

    /// <summary>Sets evaluation mode (dropout off, batch norm on running statistics).</summary>
    public Module Eval() => Train(false);

    /// <summary>Releases every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ClearGrad();
    }

    /// <summary>Moves parameters and buffers to <paramref name="device"/>, keeping their identity (optimizers see the move).</summary>
    public Module To(Device device)
    {
        foreach (var (_, t) in NamedParameters().Concat(NamedBuffers())) Move(t, t.DType, device);
        return this;
    }

    /// <summary>Converts floating-point parameters and buffers to <paramref name="dtype"/>, keeping their identity.</summary>
    public Module To(DType dtype)
    {
        foreach (var (_, t) in NamedParameters().Concat(NamedBuffers()))
            if (t.DType.IsFloatingPoint()) Move(t, dtype, t.Device);
        return this;
    }

    /// <summary>
    /// Lays out every 4-d parameter and buffer (convolution weights) channels-last, keeping their identity, as
    /// PyTorch's <c>module.to(memory_format=torch.channels_last)</c>: with channels-last inputs, convolutions then
    /// keep that layout through the network. Whether it is faster depends on the CPU and libtorch: measure it
    /// (<c>scripts/benchmark.sh images --parts epoch --layouts contiguous,channels-last</c>).
    /// </summary>
    public Module ToChannelsLast()
    {
        using var _ = TorchRuntime.NoGrad();
        foreach (var (_, t) in NamedParameters().Concat(NamedBuffers()))
            if (t.Dim == 4)
            {
                using var relaid = t.ToChannelsLast().DetachFromDisposeScope();
                t.SetData(relaid);
            }
        return this;
    }

    private static void Move(Tensor tensor, DType dtype, Device device)
    {
        using var moved = tensor.To(dtype, device).DetachFromDisposeScope();
        tensor.SetData(moved);
    }

    // ---- state ----

    /// <summary>A snapshot: a detached copy of every parameter and buffer, by dotted path.</summary>
    public StateDict StateDict()
    {
        var state = new StateDict();
        using var _ = TorchRuntime.NoGrad();
        foreach (var (name, tensor) in NamedParameters().Concat(NamedBuffers()))
        {
            using var detached = tensor.Detach();
            state.Add(name, detached.Clone().DetachFromDisposeScope());
        }
        return state;
    }

    /// <summary>
    /// Copies values by name into this module's parameters and buffers (in place: optimizers
    /// holding them keep working). With <paramref name="strict"/>, a name missing on either
    /// side is an error; without, the names that did not match are reported (a new head's
    /// parameters are "missing" and keep their initial values). A shape mismatch is always an error.
    /// </summary>
    public StateDictLoadResult LoadStateDict(StateDict state, bool strict = true)
    {
        var own = NamedParameters().Concat(NamedBuffers()).ToList();
        var missing = own.Where(o => !state.ContainsKey(o.Item1)).Select(o => o.Item1).ToList();
        var ownNames = own.Select(o => o.Item1).ToHashSet();
        var unexpected = state.Keys.Where(k => !ownNames.Contains(k)).ToList();
        if (strict && (missing.Count > 0 || unexpected.Count > 0))
            throw new InvalidOperationException($"the state dictionary does not match {GetType().Name}: " +
                (missing.Count > 0 ? $"missing {string.Join(", ", missing)}" : "") +
                (missing.Count > 0 && unexpected.Count > 0 ? "; " : "") +
                (unexpected.Count > 0 ? $"unexpected {string.Join(", ", unexpected)}" : ""));

        foreach (var (name, tensor) in own)
        {
            if (!state.TryGetValue(name, out var value)) continue;
            var expected = tensor.Shape;
            var actual = value.Shape;
            if (!expected.AsSpan().SequenceEqual(actual))
                throw new InvalidOperationException($"'{name}' has shape {Tensor.ShapeText(actual)} in the state dictionary but {Tensor.ShapeText(expected)} in {GetType().Name}");
        }
        using (TorchRuntime.NoGrad())
            foreach (var (name, tensor) in own)
                if (state.TryGetValue(name, out var value)) tensor.CopyFrom(value);
        return new StateDictLoadResult(missing, unexpected);
    }

    /// <summary>Releases every parameter, buffer and submodule.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var (_, p) in _parameters) p.Dispose();
        foreach (var (_, b) in _buffers) b.Dispose();
        foreach (var (_, c) in _children) c.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A module with a forward pass from <typeparamref name="TInput"/> to <typeparamref name="TOutput"/>.</summary>
public abstract class Module<TInput, TOutput> : Module
{
    /// <summary>Computes the output. Tensors it creates belong to the caller's dispose scope.</summary>
    public abstract TOutput Forward(TInput input);
}

/// <summary>What <see cref="Module.LoadStateDict"/> could not match by name.</summary>
public sealed record StateDictLoadResult(IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys);
