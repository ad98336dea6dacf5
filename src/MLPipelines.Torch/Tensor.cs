using System.Runtime.InteropServices;
using MLPipelines.Torch.Interop;

namespace MLPipelines.Torch;

/// <summary>
/// An n-dimensional array in libtorch's memory (CPU or GPU), with autograd.
/// <para>
/// A tensor owns native memory. Release it deterministically: open a
/// <see cref="DisposeScope"/> (<see cref="TorchRuntime.NewDisposeScope"/>) around work that creates
/// temporaries, and <c>using</c> or <see cref="Dispose"/> for tensors that live longer.
/// A finalizer frees forgotten tensors eventually, but that is a safety net, not the mechanism.
/// </para>
/// Create tensors with the factories on <see cref="Torch"/>.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    private readonly TensorHandle _handle;
    private DisposeScope? _scope;

    internal Tensor(TensorHandle handle)
    {
        _handle = handle;
        _scope = DisposeScope.Current;
        _scope?.Add(this);
    }

    internal TensorHandle Handle =>
        _handle.IsClosed
            ? throw new ObjectDisposedException(nameof(Tensor), "this tensor was disposed (by Dispose, a using block or its dispose scope)")
            : _handle;

    /// <summary>True once the native memory has been released.</summary>
    public bool IsDisposed => _handle.IsClosed;

    /// <summary>Releases the native tensor (the memory goes when no other tensor shares it).</summary>
    public void Dispose() => _handle.Dispose();

    internal void DisposeOwnedByScope()
    {
        _scope = null;
        _handle.Dispose();
    }

    /// <summary>Hands this tensor to the scope enclosing its current one (or to no scope).</summary>
    public Tensor MoveToOuterDisposeScope()
    {
        if (_scope is { } scope)
        {
            scope.Remove(this);
            _scope = scope.Outer;
            _scope?.Add(this);
        }
        return this;
    }

    /// <summary>Takes this tensor out of any dispose scope: the caller now disposes it.</summary>
    public Tensor DetachFromDisposeScope()
    {
        _scope?.Remove(this);
        _scope = null;
        return this;
    }

    // ---- metadata ----

    /// <summary>The number of dimensions.</summary>
    public int Dim => NativeMethods.mlp_tensor_dim(Handle);

    /// <summary>The size of each dimension.</summary>
    public unsafe long[] Shape
    {
        get
        {
            Span<long> sizes = stackalloc long[64];
            int count;
            fixed (long* p = sizes) count = NativeMethods.mlp_tensor_sizes(Handle, p, sizes.Length);
            Native.Check(count);
            return sizes[..count].ToArray();
        }
    }

    /// <summary>The size of one dimension (negative counts from the end).</summary>
    public long Size(int dim)
    {
        var shape = Shape;
        var index = dim < 0 ? dim + shape.Length : dim;
        if (index < 0 || index >= shape.Length)
            throw new ArgumentOutOfRangeException(nameof(dim), dim, $"a tensor of shape {ShapeText(shape)} has {shape.Length} dimensions");
        return shape[index];
    }

    /// <summary>The number of elements.</summary>
    public long NumberOfElements => NativeMethods.mlp_tensor_numel(Handle);

    /// <summary>The element type.</summary>
    public DType DType => (DType)NativeMethods.mlp_tensor_dtype(Handle);

    /// <summary>Where the data lives.</summary>
    public Device Device
    {
        get
        {
            NativeMethods.mlp_tensor_device(Handle, out var type, out var index);
            return new Device((DeviceType)type, index);
        }
    }

    /// <summary>True when the elements are laid out densely in row-major order.</summary>
    public bool IsContiguous => NativeMethods.mlp_tensor_is_contiguous(Handle) != 0;

    /// <inheritdoc />
    public override string ToString() =>
        IsDisposed ? "Tensor (disposed)" : $"Tensor {ShapeText(Shape)} {DType} on {Device}";

    internal static string ShapeText(ReadOnlySpan<long> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    // ---- data out ----

    /// <summary>Copies the elements, in row-major order, into a new managed array.</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        var result = new T[checked((int)NumberOfElements)];
        CopyTo<T>(result);
        return result;
    }

    /// <summary>Copies the elements, in row-major order, into <paramref name="destination"/>, which must be exactly as long.</summary>
    public unsafe void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        RequireElementType<T>();
        var count = NumberOfElements;
        if (destination.Length != count)
            throw new ArgumentException($"the destination holds {destination.Length} elements but the tensor {ShapeText(Shape)} has {count}", nameof(destination));
        fixed (T* p = destination)
            Native.Check(NativeMethods.mlp_tensor_copy_to(Handle, p, (long)destination.Length * sizeof(T)));
    }

    /// <summary>The raw bytes of the elements in row-major order, whatever the element type (for serialization).</summary>
    internal unsafe byte[] ToBytes()
    {
        var bytes = new byte[checked((int)(NumberOfElements * DType.ElementSize()))];
        fixed (byte* p = bytes)
            Native.Check(NativeMethods.mlp_tensor_copy_to(Handle, p, bytes.Length));
        return bytes;
    }

    /// <summary>The value of a one-element tensor as a double.</summary>
    public double ToDouble()
    {
        Native.Check(NativeMethods.mlp_tensor_item_double(Handle, out var value));
        return value;
    }

    /// <summary>The value of a one-element tensor as a float.</summary>
    public float ToSingle() => (float)ToDouble();

    /// <summary>The value of a one-element tensor as a long (exact for int64 tensors).</summary>
    public long ToInt64()
    {
        Native.Check(NativeMethods.mlp_tensor_item_long(Handle, out var value));
        return value;
    }

    /// <summary>The value of a one-element boolean tensor.</summary>
    public bool ToBoolean() => ToInt64() != 0;

    private void RequireElementType<T>() where T : unmanaged
    {
        var expected = DTypes.Of<T>();
        var actual = DType;
        if (expected != actual)
            throw new InvalidOperationException($"the tensor holds {actual} elements, not {typeof(T).Name} ({expected}); convert it with To(DType.{expected}) first");
    }

    // ---- conversion and copies ----

    /// <summary>This tensor with another element type (itself, shared, when it already has it).</summary>
    public Tensor To(DType dtype) => To(dtype, Device);

    /// <summary>This tensor on another device (itself, shared, when it is already there).</summary>
    public Tensor To(Device device) => To(DType, device);

    /// <summary>This tensor with another element type and device.</summary>
    public Tensor To(DType dtype, Device device) =>
        Native.Tensor(NativeMethods.mlp_tensor_to(Handle, (int)dtype, (int)device.Type, device.Index));

    /// <summary>A copy with its own memory (gradients flow back to this tensor).</summary>
    public Tensor Clone() => Native.Tensor(NativeMethods.mlp_tensor_clone(Handle));

    /// <summary>This tensor laid out row-major (itself when it already is).</summary>
    public Tensor Contiguous() => Native.Tensor(NativeMethods.mlp_tensor_contiguous(Handle));

    /// <summary>The same data, cut from the autograd graph.</summary>
    public Tensor Detach() => Native.Tensor(NativeMethods.mlp_tensor_detach(Handle));

    /// <summary>A second handle to the same tensor, disposed independently of this one.</summary>
    public Tensor Alias() => Native.Tensor(NativeMethods.mlp_tensor_alias(Handle));

    /// <summary>Copies <paramref name="source"/> into this tensor in place (broadcasting; converting type and device).</summary>
    public Tensor CopyFrom(Tensor source)
    {
        Native.Check(NativeMethods.mlp_tensor_copy_(Handle, source.Handle));
        return this;
    }

    /// <summary>Replaces this tensor's data, keeping its identity (modules and optimizers holding it see the change).</summary>
    public void SetData(Tensor data) => Native.Check(NativeMethods.mlp_tensor_set_data(Handle, data.Handle));

    /// <summary>Sets every element to <paramref name="value"/>, in place.</summary>
    public Tensor Fill(double value)
    {
        Native.Check(NativeMethods.mlp_tensor_fill_(Handle, value));
        return this;
    }

    /// <summary>Fills with samples from U(low, high), in place, from the global generator.</summary>
    public Tensor UniformInPlace(double low, double high)
    {
        Native.Check(NativeMethods.mlp_tensor_uniform_(Handle, low, high));
        return this;
    }

    /// <summary>Fills with samples from N(mean, std²), in place, from the global generator.</summary>
    public Tensor NormalInPlace(double mean, double std)
    {
        Native.Check(NativeMethods.mlp_tensor_normal_(Handle, mean, std));
        return this;
    }

    /// <summary>Gathers handles for a native call taking a list of tensors; each is kept alive until the lease is disposed.</summary>
    internal static HandleList Handles(IReadOnlyList<Tensor> tensors) => new(tensors);

    internal readonly struct HandleList : IDisposable
    {
        private readonly TensorHandle[] _owners;
        internal readonly IntPtr[] Pointers;

        internal HandleList(IReadOnlyList<Tensor> tensors)
        {
            _owners = new TensorHandle[tensors.Count];
            Pointers = new IntPtr[tensors.Count];
            try
            {
                for (var i = 0; i < tensors.Count; i++)
                {
                    var handle = tensors[i].Handle;
                    var added = false;
                    handle.DangerousAddRef(ref added);
                    _owners[i] = handle;
                    Pointers[i] = handle.DangerousGetHandle();
                }
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            foreach (var owner in _owners) owner?.DangerousRelease();
        }
    }
}
