namespace MLPipelines.Torch;

/// <summary>
/// Releases the native memory of every tensor created on this thread while the scope is
/// open, when the scope is disposed. Wrap each training step in one:
/// <code>
/// using (TorchRuntime.NewDisposeScope()) { var loss = ...; loss.Backward(); optimizer.Step(); }
/// </code>
/// A tensor that must outlive the scope is taken out with
/// <see cref="Tensor.MoveToOuterDisposeScope"/> or <see cref="Tensor.DetachFromDisposeScope"/>.
/// Scopes nest and must be disposed innermost first. Parameters and buffers of modules
/// never belong to a scope.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? current;

    private readonly DisposeScope? _outer;
    private readonly List<Tensor> _tensors = [];
    private readonly int _threadId;
    private bool _disposed;

    private DisposeScope()
    {
        _outer = current;
        _threadId = Environment.CurrentManagedThreadId;
        current = this;
    }

    /// <summary>The innermost open scope of this thread, if any.</summary>
    internal static DisposeScope? Current => current;

    internal static DisposeScope Open() => new();

    /// <summary>The scope this one is nested in.</summary>
    internal DisposeScope? Outer => _outer;

    /// <summary>How many tensors this scope will dispose.</summary>
    public int Count => _tensors.Count;

    internal void Add(Tensor tensor) => _tensors.Add(tensor);

    internal void Remove(Tensor tensor)
    {
        // The tensor moved out is usually one of the last created: search from the end.
        var index = _tensors.LastIndexOf(tensor);
        if (index >= 0) _tensors.RemoveAt(index);
    }

    /// <summary>Disposes every tensor still owned by the scope and closes it.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        if (Environment.CurrentManagedThreadId != _threadId)
            throw new InvalidOperationException("a dispose scope must be disposed on the thread that opened it");
        if (current != this)
            throw new InvalidOperationException("dispose scopes must be disposed innermost first");
        _disposed = true;
        foreach (var tensor in _tensors) tensor.DisposeOwnedByScope();
        _tensors.Clear();
        current = _outer;
    }
}
