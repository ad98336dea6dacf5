using MLPipelines.Torch;
using MLPipelines.Torch.NN;

namespace MLPipelines.Torch.Tests;

/// <summary>libtorch's C++ errors arrive as managed exceptions with libtorch's message, and the process carries on.</summary>
public sealed class ErrorTests : ScopedTest
{
    [Fact]
    public void A_matmul_shape_mismatch_is_an_exception_not_a_crash()
    {
        var a = Tensors.Ones([2, 3]);
        var error = Assert.Throws<TorchException>(() => a.MatMul(Tensors.Ones([2, 3])));
        Assert.Contains("2x3 and 2x3", error.Message);
        // The library still works afterwards.
        Assert.Equal([2L, 2L], a.MatMul(Tensors.Ones([3, 2])).Shape);
    }

    [Fact]
    public void Other_libtorch_errors_carry_libtorch_messages()
    {
        var error = Assert.Throws<TorchException>(() => Functional.Linear(Tensors.Ones([4, 3]), Tensors.Ones([5, 2])));
        Assert.Contains("cannot be multiplied", error.Message);
        Assert.Contains("Sizes of tensors must match", Assert.Throws<TorchException>(() => Tensor.Cat([Tensors.Ones([2, 3]), Tensors.Ones([2, 4])], 0)).Message);
        Assert.Contains("out of range", Assert.Throws<TorchException>(() => Tensors.Ones([3]).IndexSelect(0, Tensors.FromArray([5L]))).Message);
        Assert.Contains("view", Assert.Throws<TorchException>(() => Tensors.Ones([2, 3]).Transpose(0, 1).View(6)).Message);
        Assert.Contains("scalar outputs", Assert.Throws<TorchException>(() => Tensors.Ones([2]).RequiresGradient().Mul(2).Backward()).Message);
        Assert.Contains("floating point", Assert.Throws<TorchException>(() => Tensors.FromArray([1L]).RequiresGradient()).Message);
        Assert.Contains("out of bounds", Assert.Throws<TorchException>(() => Losses.CrossEntropy(Tensors.Ones([2, 3]), Tensors.FromArray([0L, 7L]))).Message);
        Assert.Throws<TorchException>(() => Tensors.Ones([2, 3]) + Tensors.Ones([4]));
        Assert.Throws<TorchException>(() => Tensors.Ones([3]).ToInt64());
    }

    [Fact]
    public void Misuse_on_the_managed_side_is_caught_before_libtorch()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensors.FromArray([1f, 2f, 3f], 2, 2));
        Assert.Contains("3 values cannot fill shape [2, 2]", error.Message);
        Assert.Contains("Float32", Assert.Throws<InvalidOperationException>(() => Tensors.Ones([2]).ToArray<long>()).Message);
        Assert.Throws<ArgumentException>(() => Tensors.Ones([3]).CopyTo(new float[2].AsSpan()));
        var disposed = Tensors.Ones([2]);
        disposed.Dispose();
        Assert.True(disposed.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => disposed.Shape);
        disposed.Dispose();
        Assert.Throws<FormatException>(() => Device.Parse("gpu"));
        Assert.Equal(Device.Cuda(1), Device.Parse("cuda:1"));
    }
}
