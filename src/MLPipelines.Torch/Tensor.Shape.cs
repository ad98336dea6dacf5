using MLPipelines.Torch.Interop;

namespace MLPipelines.Torch;

// Operation codes of native/shape.cpp: keep them in step.
internal enum ShapeOp { View = 0, Reshape, Permute, Expand, Repeat }

/// <summary>Views, reshapes, slicing, indexing and joining.</summary>
public sealed partial class Tensor
{
    private unsafe Tensor ShapeOperation(ShapeOp op, ReadOnlySpan<long> values)
    {
        fixed (long* p = values)
            return Native.Tensor(NativeMethods.mlp_shape_op((int)op, Handle, p, values.Length));
    }

    /// <summary>The same data seen with another shape (no copy; the layout must allow it). -1 infers one size.</summary>
    public Tensor View(params long[] shape) => ShapeOperation(ShapeOp.View, shape);

    /// <summary>The data with another shape, copied only when a view is impossible. -1 infers one size.</summary>
    public Tensor Reshape(params long[] shape) => ShapeOperation(ShapeOp.Reshape, shape);

    /// <summary>Reorders the dimensions.</summary>
    public Tensor Permute(params long[] dims) => ShapeOperation(ShapeOp.Permute, dims);

    /// <summary>Broadcasts size-one dimensions to the given sizes without copying (-1 keeps a size).</summary>
    public Tensor Expand(params long[] shape) => ShapeOperation(ShapeOp.Expand, shape);

    /// <summary>Tiles the tensor the given number of times along each dimension.</summary>
    public Tensor Repeat(params long[] repeats) => ShapeOperation(ShapeOp.Repeat, repeats);

    public Tensor Transpose(long dim0, long dim1) => Native.Tensor(NativeMethods.mlp_transpose(Handle, dim0, dim1));

    /// <summary>Removes dimension <paramref name="dim"/> if its size is one.</summary>
    public Tensor Squeeze(long dim) => Native.Tensor(NativeMethods.mlp_squeeze(Handle, dim));

    /// <summary>Removes every dimension of size one.</summary>
    public Tensor Squeeze() => Native.Tensor(NativeMethods.mlp_squeeze(Handle, long.MinValue));

    public Tensor Unsqueeze(long dim) => Native.Tensor(NativeMethods.mlp_unsqueeze(Handle, dim));

    public Tensor Flatten(long startDim = 0, long endDim = -1) => Native.Tensor(NativeMethods.mlp_flatten(Handle, startDim, endDim));

    /// <summary>The entries in reverse order along each of <paramref name="dims"/> (a copy).</summary>
    public unsafe Tensor Flip(params long[] dims)
    {
        fixed (long* d = dims)
            return Native.Tensor(NativeMethods.mlp_flip(Handle, d, dims.Length));
    }

    /// <summary>
    /// The same [N, C, H, W] values with channels-last strides (NHWC in memory, shape unchanged): libtorch's
    /// CPU convolutions keep that layout through a network and may run faster in it.
    /// </summary>
    public Tensor ToChannelsLast() => Native.Tensor(NativeMethods.mlp_to_channels_last(Handle));

    /// <summary>True when the values are laid out channels-last.</summary>
    public bool IsChannelsLast => NativeMethods.mlp_is_channels_last(Handle) switch
    {
        < 0 => throw Native.LastError(),
        var flag => flag != 0,
    };

    /// <summary><paramref name="length"/> entries of dimension <paramref name="dim"/> from <paramref name="start"/> (a view).</summary>
    public Tensor Narrow(long dim, long start, long length) => Native.Tensor(NativeMethods.mlp_narrow(Handle, dim, start, length));

    /// <summary>Entry <paramref name="index"/> of dimension <paramref name="dim"/>, which disappears (a view).</summary>
    public Tensor Select(long dim, long index) => Native.Tensor(NativeMethods.mlp_select(Handle, dim, index));

    /// <summary>Entries start, start+step, ... before end of dimension <paramref name="dim"/> (a view).</summary>
    public Tensor Slice(long dim, long start, long end, long step = 1) => Native.Tensor(NativeMethods.mlp_slice(Handle, dim, start, end, step));

    /// <summary>The entries of dimension <paramref name="dim"/> listed by the int64 <paramref name="index"/> (a copy).</summary>
    public Tensor IndexSelect(long dim, Tensor index) => Native.Tensor(NativeMethods.mlp_index_select(Handle, dim, index.Handle));

    /// <summary>out[i][j] = this[index[i][j]][j] for dim 0, this[i][index[i][j]] for dim 1, and so on.</summary>
    public Tensor Gather(long dim, Tensor index) => Native.Tensor(NativeMethods.mlp_gather(Handle, dim, index.Handle));

    /// <summary>The entries (rows, for a mask over the first dimension) where the boolean mask holds.</summary>
    public Tensor Index(Tensor mask) => Native.Tensor(NativeMethods.mlp_index_mask(Handle, mask.Handle));

    /// <summary>The indices of the non-zero elements, one row per element.</summary>
    public Tensor NonZero() => Native.Tensor(NativeMethods.mlp_nonzero(Handle));

    /// <summary>The first dimension's entry <paramref name="index"/> (a view).</summary>
    public Tensor this[long index] => Select(0, index);

    /// <summary>Splits into pieces of <paramref name="size"/> along <paramref name="dim"/> (the last may be smaller).</summary>
    public unsafe Tensor[] Split(long size, long dim = 0)
    {
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), size, "the piece size must be positive");
        var capacity = checked((int)((Size((int)dim) + size - 1) / size));
        var pieces = new IntPtr[Math.Max(capacity, 1)];
        int count;
        fixed (IntPtr* p = pieces) count = NativeMethods.mlp_split(Handle, size, dim, p, pieces.Length);
        Native.Check(count);
        var result = new Tensor[count];
        for (var i = 0; i < count; i++) result[i] = Native.Tensor(pieces[i]);
        return result;
    }

    /// <summary>Joins tensors along an existing dimension.</summary>
    public static unsafe Tensor Cat(IReadOnlyList<Tensor> tensors, long dim = 0)
    {
        using var handles = Handles(tensors);
        fixed (IntPtr* p = handles.Pointers)
            return Native.Tensor(NativeMethods.mlp_cat(p, tensors.Count, dim));
    }

    /// <summary>Joins tensors of one shape along a new dimension.</summary>
    public static unsafe Tensor Stack(IReadOnlyList<Tensor> tensors, long dim = 0)
    {
        using var handles = Handles(tensors);
        fixed (IntPtr* p = handles.Pointers)
            return Native.Tensor(NativeMethods.mlp_stack(p, tensors.Count, dim));
    }

    /// <summary>Int64 class indices as one-hot int64 rows.</summary>
    public Tensor OneHot(long numClasses) => Native.Tensor(NativeMethods.mlp_one_hot(Handle, numClasses));

    /// <summary>Sorted values along <paramref name="dim"/> and their original positions.</summary>
    public (Tensor Values, Tensor Indices) Sort(long dim = -1, bool descending = false)
    {
        Native.Check(NativeMethods.mlp_sort(Handle, dim, descending ? 1 : 0, out var values, out var indices));
        return (Native.Tensor(values), Native.Tensor(indices));
    }
}
