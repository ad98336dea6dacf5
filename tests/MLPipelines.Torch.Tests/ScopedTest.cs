using MLPipelines.Torch;

namespace MLPipelines.Torch.Tests;

/// <summary>A test class whose tests' tensors are released by one dispose scope per test (xunit makes an instance per test).</summary>
public abstract class ScopedTest : IDisposable
{
    private readonly DisposeScope _scope = TorchRuntime.NewDisposeScope();

    public virtual void Dispose()
    {
        _scope.Dispose();
        GC.SuppressFinalize(this);
    }
}
