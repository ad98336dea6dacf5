using MLPipelines.Torch.Interop;

namespace MLPipelines.Torch;

// Operation codes of native/reductions.cpp: keep them in step.
internal enum ReduceOp { Sum = 0, Mean, Prod, Amax, Amin, Var, Std, LogSumExp, All, Any, ArgMax, ArgMin }

/// <summary>
/// Reductions. Without dimensions they reduce every element to a zero-dimensional tensor;
/// with dimensions they reduce those, keeping them as size one when <c>keepDim</c>.
/// </summary>
public sealed partial class Tensor
{
    private unsafe Tensor Reduce(ReduceOp op, ReadOnlySpan<long> dims, bool keepDim, bool unbiased = true)
    {
        fixed (long* p = dims)
            return Native.Tensor(NativeMethods.mlp_reduce((int)op, Handle, p, dims.Length, keepDim ? 1 : 0, unbiased ? 1 : 0));
    }

    public Tensor Sum() => Reduce(ReduceOp.Sum, [], false);
    public Tensor Sum(long dim, bool keepDim = false) => Reduce(ReduceOp.Sum, [dim], keepDim);
    public Tensor Sum(long[] dims, bool keepDim = false) => Reduce(ReduceOp.Sum, dims, keepDim);
    public Tensor Mean() => Reduce(ReduceOp.Mean, [], false);
    public Tensor Mean(long dim, bool keepDim = false) => Reduce(ReduceOp.Mean, [dim], keepDim);
    public Tensor Mean(long[] dims, bool keepDim = false) => Reduce(ReduceOp.Mean, dims, keepDim);
    public Tensor Prod() => Reduce(ReduceOp.Prod, [], false);
    public Tensor Prod(long dim, bool keepDim = false) => Reduce(ReduceOp.Prod, [dim], keepDim);

    /// <summary>The largest element.</summary>
    public Tensor Max() => Reduce(ReduceOp.Amax, [], false);

    /// <summary>The largest values along dimensions (no indices; see <see cref="MaxAlong"/>).</summary>
    public Tensor Amax(long dim, bool keepDim = false) => Reduce(ReduceOp.Amax, [dim], keepDim);

    /// <summary>The smallest element.</summary>
    public Tensor Min() => Reduce(ReduceOp.Amin, [], false);

    public Tensor Amin(long dim, bool keepDim = false) => Reduce(ReduceOp.Amin, [dim], keepDim);

    /// <summary>Variance; <paramref name="unbiased"/> divides by n - 1.</summary>
    public Tensor Var(bool unbiased = true) => Reduce(ReduceOp.Var, [], false, unbiased);
    public Tensor Var(long dim, bool unbiased = true, bool keepDim = false) => Reduce(ReduceOp.Var, [dim], keepDim, unbiased);

    /// <summary>Standard deviation; <paramref name="unbiased"/> divides by n - 1.</summary>
    public Tensor Std(bool unbiased = true) => Reduce(ReduceOp.Std, [], false, unbiased);
    public Tensor Std(long dim, bool unbiased = true, bool keepDim = false) => Reduce(ReduceOp.Std, [dim], keepDim, unbiased);

    /// <summary>log(sum(exp(x))) computed stably.</summary>
    public Tensor LogSumExp(long dim, bool keepDim = false) => Reduce(ReduceOp.LogSumExp, [dim], keepDim);

    public Tensor All() => Reduce(ReduceOp.All, [], false);
    public Tensor All(long dim, bool keepDim = false) => Reduce(ReduceOp.All, [dim], keepDim);
    public Tensor Any() => Reduce(ReduceOp.Any, [], false);
    public Tensor Any(long dim, bool keepDim = false) => Reduce(ReduceOp.Any, [dim], keepDim);

    /// <summary>The flat index of the largest element.</summary>
    public Tensor ArgMax() => Reduce(ReduceOp.ArgMax, [], false);
    public Tensor ArgMax(long dim, bool keepDim = false) => Reduce(ReduceOp.ArgMax, [dim], keepDim);
    public Tensor ArgMin() => Reduce(ReduceOp.ArgMin, [], false);
    public Tensor ArgMin(long dim, bool keepDim = false) => Reduce(ReduceOp.ArgMin, [dim], keepDim);

    /// <summary>The largest values along <paramref name="dim"/> and where they are.</summary>
    public (Tensor Values, Tensor Indices) MaxAlong(long dim, bool keepDim = false) => Extreme(isMax: true, dim, keepDim);

    /// <summary>The smallest values along <paramref name="dim"/> and where they are.</summary>
    public (Tensor Values, Tensor Indices) MinAlong(long dim, bool keepDim = false) => Extreme(isMax: false, dim, keepDim);

    private (Tensor, Tensor) Extreme(bool isMax, long dim, bool keepDim)
    {
        Native.Check(NativeMethods.mlp_extreme_dim(Handle, isMax ? 1 : 0, dim, keepDim ? 1 : 0, out var values, out var indices));
        return (Native.Tensor(values), Native.Tensor(indices));
    }

    public Tensor CumSum(long dim) => Native.Tensor(NativeMethods.mlp_cumsum(Handle, dim));
}
