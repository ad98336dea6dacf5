using MLPipelines.Torch.Interop;

namespace MLPipelines.Torch;

/// <summary>
/// Tensor factories: from managed data, filled with constants, ranges or random samples.
/// Random factories draw from libtorch's global generator (<see cref="TorchRuntime.ManualSeed"/>).
/// </summary>
public static class Tensors
{
    static Tensors()
    {
        TorchRuntime.EnsureInitialized();
    }

    /// <summary>A tensor holding a copy of <paramref name="data"/> with the given shape (a vector when no shape is given).</summary>
    public static Tensor FromArray<T>(T[] data, params long[] shape) where T : unmanaged =>
        FromSpan<T>(data, shape.Length == 0 ? [data.LongLength] : shape, Device.CPU);

    /// <summary>A tensor holding a copy of <paramref name="data"/> with the given shape, on <paramref name="device"/>.</summary>
    public static unsafe Tensor FromSpan<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> shape, Device device) where T : unmanaged
    {
        long count = 1;
        foreach (var size in shape)
        {
            if (size < 0) throw new ArgumentException($"negative size in shape {Tensor.ShapeText(shape)}", nameof(shape));
            count *= size;
        }
        if (count != data.Length)
            throw new ArgumentException($"{data.Length} values cannot fill shape {Tensor.ShapeText(shape)} ({count} elements)", nameof(data));
        fixed (T* p = data)
        fixed (long* s = shape)
            return Native.Tensor(NativeMethods.mlp_tensor_from_data(p, (long)data.Length * sizeof(T), s, shape.Length,
                (int)DTypes.Of<T>(), (int)device.Type, device.Index));
    }

    /// <summary>A CPU tensor of any element type from its raw row-major bytes (for deserialization).</summary>
    internal static unsafe Tensor FromBytes(ReadOnlySpan<byte> data, ReadOnlySpan<long> shape, DType dtype)
    {
        fixed (byte* p = data)
        fixed (long* s = shape)
            return Native.Tensor(NativeMethods.mlp_tensor_from_data(p, data.Length, s, shape.Length, (int)dtype, (int)DeviceType.CPU, -1));
    }

    /// <summary>A zero-dimensional tensor holding one value.</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32) => Full([], value, dtype);

    public static Tensor Zeros(long[] shape, DType dtype = DType.Float32, Device? device = null) => New(FillKind.Zeros, shape, dtype, device);
    public static Tensor Ones(long[] shape, DType dtype = DType.Float32, Device? device = null) => New(FillKind.Ones, shape, dtype, device);

    /// <summary>A tensor whose contents are whatever the memory held: fill it before reading.</summary>
    public static Tensor Empty(long[] shape, DType dtype = DType.Float32, Device? device = null) => New(FillKind.Empty, shape, dtype, device);

    /// <summary>Samples from U[0, 1), from the global generator (<see cref="TorchRuntime.ManualSeed"/>).</summary>
    public static Tensor Rand(long[] shape, DType dtype = DType.Float32, Device? device = null) => New(FillKind.Rand, shape, dtype, device);

    /// <summary>Samples from N(0, 1), from the global generator (<see cref="TorchRuntime.ManualSeed"/>).</summary>
    public static Tensor Randn(long[] shape, DType dtype = DType.Float32, Device? device = null) => New(FillKind.Randn, shape, dtype, device);

    public static unsafe Tensor Full(long[] shape, double value, DType dtype = DType.Float32, Device? device = null)
    {
        var d = device ?? Device.CPU;
        fixed (long* s = shape)
            return Native.Tensor(NativeMethods.mlp_tensor_full(s, shape.Length, value, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary>start, start + step, ... up to but excluding end.</summary>
    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.Int64, Device? device = null)
    {
        var d = device ?? Device.CPU;
        return Native.Tensor(NativeMethods.mlp_tensor_arange(start, end, step, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary><paramref name="steps"/> evenly spaced values from start to end inclusive.</summary>
    public static Tensor Linspace(double start, double end, long steps, DType dtype = DType.Float32, Device? device = null)
    {
        var d = device ?? Device.CPU;
        return Native.Tensor(NativeMethods.mlp_tensor_linspace(start, end, steps, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary>Uniform random integers in [low, high), from the global generator.</summary>
    public static unsafe Tensor RandInt(long low, long high, long[] shape, DType dtype = DType.Int64, Device? device = null)
    {
        var d = device ?? Device.CPU;
        fixed (long* s = shape)
            return Native.Tensor(NativeMethods.mlp_tensor_randint(low, high, s, shape.Length, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary>A random permutation of 0 .. n-1, from the global generator.</summary>
    public static Tensor RandPerm(long n, DType dtype = DType.Int64, Device? device = null)
    {
        var d = device ?? Device.CPU;
        return Native.Tensor(NativeMethods.mlp_tensor_randperm(n, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary>The n × n identity matrix.</summary>
    public static Tensor Eye(long n, DType dtype = DType.Float32, Device? device = null)
    {
        var d = device ?? Device.CPU;
        return Native.Tensor(NativeMethods.mlp_tensor_eye(n, (int)dtype, (int)d.Type, d.Index));
    }

    // Codes of native/tensor_core.cpp.
    private enum FillKind { Zeros = 0, Ones, Empty, Rand, Randn }

    private static unsafe Tensor New(FillKind kind, long[] shape, DType dtype, Device? device)
    {
        var d = device ?? Device.CPU;
        fixed (long* s = shape)
            return Native.Tensor(NativeMethods.mlp_tensor_new((int)kind, s, shape.Length, (int)dtype, (int)d.Type, d.Index));
    }
}
