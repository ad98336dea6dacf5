using MLPipelines.Torch;
using static MLPipelines.Torch.Tests.TensorOperationTests;

namespace MLPipelines.Torch.Tests;

public sealed class AutogradTests : ScopedTest
{
    [Fact]
    public void Backward_computes_and_accumulates_gradients()
    {
        var x = Tensors.FromArray([1.0, 2.0, 3.0]).RequiresGradient();
        Assert.True(x.IsLeaf);
        Assert.Null(x.Grad);
        var y = (x * x).Sum();
        Assert.False(y.IsLeaf);
        y.Backward();
        AssertValues([2, 4, 6], x.Grad!);
        (x * x).Sum().Backward();
        AssertValues([4, 8, 12], x.Grad!);
        x.ClearGrad();
        Assert.Null(x.Grad);
    }

    [Fact]
    public void Backward_of_a_non_scalar_takes_an_explicit_gradient()
    {
        var x = Tensors.FromArray([1.0, 2.0]).RequiresGradient();
        (x * 3.0).Backward(Tensors.FromArray([1.0, 10.0]));
        AssertValues([3, 30], x.Grad!);
    }

    [Fact]
    public void Retain_graph_allows_a_second_backward_pass()
    {
        var x = Tensors.FromArray([2.0]).RequiresGradient();
        var y = (x * x).Sum();
        y.Backward(retainGraph: true);
        y.Backward();
        AssertValues([8], x.Grad!);
        var z = (x * x).Sum();
        z.Backward();
        Assert.Throws<TorchException>(() => z.Backward());
    }

    [Fact]
    public void No_grad_scope_stops_recording_and_restores_the_previous_mode()
    {
        var x = Tensors.FromArray([1.0]).RequiresGradient();
        Assert.True(TorchRuntime.IsGradEnabled);
        using (TorchRuntime.NoGrad())
        {
            Assert.False(TorchRuntime.IsGradEnabled);
            Assert.False((x * 2).RequiresGrad);
            using (TorchRuntime.EnableGrad()) Assert.True((x * 2).RequiresGrad);
            Assert.False(TorchRuntime.IsGradEnabled);
        }
        Assert.True(TorchRuntime.IsGradEnabled);
        Assert.True((x * 2).RequiresGrad);
        Assert.False((x * 2).Detach().RequiresGrad);
    }
}
