using System.Runtime.InteropServices;
using MLPipelines.Torch.Interop;

namespace MLPipelines.Torch;

/// <summary>
/// Entry point of the bindings: tensor factories and process-wide settings (seed, threads,
/// devices, gradient mode).
/// <para>
/// Thread defaults, applied before the first tensor is made: libtorch's intra-op threads =
/// all cores (Debian's libtorch would otherwise start with one), and the BLAS library's own
/// threads = 1, because a threaded OpenBLAS starts its threads under each libtorch thread and
/// the two multiply instead of adding up. <see cref="SetThreads"/> changes both.
/// </para>
/// </summary>
public static class Torch
{
    static Torch()
    {
        SetThreads(Environment.ProcessorCount, blasThreads: 1);
    }

    // ---- factories ----

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

    /// <summary>Samples from U[0, 1), from the global generator (<see cref="ManualSeed"/>).</summary>
    public static Tensor Rand(long[] shape, DType dtype = DType.Float32, Device? device = null) => New(FillKind.Rand, shape, dtype, device);

    /// <summary>Samples from N(0, 1), from the global generator (<see cref="ManualSeed"/>).</summary>
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

    // ---- scopes ----

    /// <summary>Opens a scope that disposes every tensor created on this thread until it is disposed.</summary>
    public static DisposeScope NewDisposeScope() => DisposeScope.Open();

    /// <summary>Turns gradient recording off on this thread until the returned scope is disposed.</summary>
    public static GradModeScope NoGrad() => new(enabled: false);

    /// <summary>Turns gradient recording on on this thread until the returned scope is disposed.</summary>
    public static GradModeScope EnableGrad() => new(enabled: true);

    /// <summary>Whether operations on this thread are being recorded for autograd.</summary>
    public static bool IsGradEnabled => NativeMethods.mlp_is_grad_enabled() != 0;

    // ---- process-wide settings ----

    /// <summary>libtorch's version, e.g. "1.13.0".</summary>
    public static string Version => Marshal.PtrToStringUTF8(NativeMethods.mlp_torch_version()) ?? "unknown";

    /// <summary>Seeds libtorch's global generators (CPU and CUDA): initial weights, dropout, shuffles.</summary>
    public static void ManualSeed(ulong seed) => NativeMethods.mlp_manual_seed(seed);

    /// <summary>libtorch's intra-op thread count.</summary>
    public static int NumThreads => NativeMethods.mlp_get_num_threads();

    /// <summary>The BLAS library's thread count, or null when libtorch's BLAS has no thread control (not OpenBLAS).</summary>
    public static int? BlasThreads
    {
        get
        {
            var count = NativeMethods.mlp_blas_get_num_threads();
            return count < 0 ? null : count;
        }
    }

    /// <summary>
    /// Sets libtorch's intra-op threads and the BLAS library's threads. Their product is the
    /// number of threads a matrix product can run on: keep it at or below the cores you mean
    /// to use. Returns false when the BLAS library has no thread control (then only libtorch's
    /// threads were set).
    /// </summary>
    public static bool SetThreads(int intraOpThreads, int blasThreads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(intraOpThreads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(blasThreads, 1);
        Native.Check(NativeMethods.mlp_set_num_threads(intraOpThreads));
        return NativeMethods.mlp_blas_set_num_threads(blasThreads) == 0;
    }

    /// <summary>True when this libtorch was built with CUDA and a GPU is visible.</summary>
    public static bool CudaIsAvailable => NativeMethods.mlp_cuda_is_available() != 0;

    /// <summary>The number of visible CUDA GPUs (0 for a CPU-only libtorch).</summary>
    public static int CudaDeviceCount => NativeMethods.mlp_cuda_device_count();

    /// <summary>CUDA when available, else the CPU.</summary>
    public static Device DefaultDevice => CudaIsAvailable ? Device.Cuda() : Device.CPU;
}

/// <summary>Restores the thread's previous gradient mode when disposed.</summary>
public readonly struct GradModeScope : IDisposable
{
    private readonly bool _previous;

    internal GradModeScope(bool enabled)
    {
        _previous = Torch.IsGradEnabled;
        NativeMethods.mlp_set_grad_enabled(enabled ? 1 : 0);
    }

    /// <summary>Restores the previous mode.</summary>
    public void Dispose() => NativeMethods.mlp_set_grad_enabled(_previous ? 1 : 0);
}
