using System.Runtime.InteropServices;
using MLPipelines.Torch.Interop;

namespace MLPipelines.Torch;

/// <summary>
/// Process-wide libtorch settings (seed, threads, devices) and the thread-local scopes
/// (dispose scopes, gradient mode).
/// <para>
/// Thread defaults, applied before the first tensor is made: libtorch's intra-op threads =
/// all cores (Debian's libtorch would otherwise start with one), and the BLAS library's own
/// threads = 1, because a threaded OpenBLAS starts its threads under each libtorch thread and
/// the two multiply instead of adding up. <see cref="SetThreads"/> changes both.
/// </para>
/// <para>
/// Also set once for the process: glibc's malloc keeps buffers up to 32 MiB in its heap and
/// up to 64 MiB of free memory at the top of it (its defaults start at 128 KiB), so that the
/// tensors a training step frees are reused by the next step instead of being unmapped and
/// faulted in again.
/// </para>
/// </summary>
public static class TorchRuntime
{
    static TorchRuntime()
    {
        try
        {
            NativeMethods.mlp_configure_allocator();
        }
        catch (DllNotFoundException e)
        {
            throw new DllNotFoundException(
                "the libtorch shim (libmlptorch.so, in the MLPipelines.Torch package) or libtorch itself could not be loaded: " +
                "install libtorch 1.13 (Debian: apt-get install libtorch-dev; in a source checkout scripts/setup.sh also builds the shim). " +
                "Loader message: " + e.Message, e);
        }
        SetThreads(Environment.ProcessorCount, blasThreads: 1);
    }

    /// <summary>Runs the static constructor (the thread defaults) if it has not run yet.</summary>
    internal static void EnsureInitialized() { }

    // ---- scopes ----

    /// <summary>Opens a scope that disposes every tensor created on this thread until it is disposed.</summary>
    public static DisposeScope NewDisposeScope() => DisposeScope.Open();

    /// <summary>Turns gradient recording off on this thread until the returned scope is disposed.</summary>
    public static GradModeScope NoGrad() => new(enabled: false);

    /// <summary>Turns gradient recording on on this thread until the returned scope is disposed.</summary>
    public static GradModeScope EnableGrad() => new(enabled: true);

    /// <summary>How many tensors the managed side holds that have not been disposed or finalized (all threads).</summary>
    public static long LiveTensorCount => NativeMethods.mlp_tensor_live_count();

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

    // ---- denormal floats ----

    /// <summary>Whether this thread flushes denormal floats to zero; null when the CPU has no such mode.</summary>
    public static bool? FlushesDenormals => NativeMethods.mlp_get_flush_denormal() switch { 1 => true, 0 => false, _ => null };

    /// <summary>
    /// Flushes denormal floats (below 1.2e-38) to zero on this thread and on libtorch's worker
    /// threads until disposed, as <c>torch.set_flush_denormal(True)</c> does; then restores this
    /// thread's previous mode (the workers keep it: they run only libtorch's kernels). On x86,
    /// arithmetic on denormals is microcoded and tens of times slower: training that drifts into
    /// them (tiny activations, decaying optimizer moments) slows down several-fold. Values that
    /// small are rounded to zero instead, which changes no result that matters in float32.
    /// </summary>
    public static FlushDenormalScope FlushDenormals()
    {
        var previous = FlushesDenormals;
        Native.Check(NativeMethods.mlp_set_flush_denormal(1, includeWorkers: 1));
        return new FlushDenormalScope(previous);
    }

    /// <summary>
    /// Runs this thread's CPU operations in mixed precision until disposed, as
    /// <c>torch.autocast("cpu", dtype=torch.bfloat16)</c> does: matrix products in bfloat16
    /// (through oneDNN: twice the multiply-adds per instruction on CPUs with AVX-512 BF16),
    /// float32 weights and gradients. Leave it before the backward pass, as PyTorch's recipe does.
    /// </summary>
    public static AutocastScope AutocastBFloat16()
    {
        var previous = NativeMethods.mlp_autocast_cpu_enter();
        Native.Check(previous);
        return new AutocastScope(previous);
    }

    /// <summary>Whether this CPU multiplies bfloat16 in hardware (AVX-512 BF16): where it does not, mixed precision is slower than float32.</summary>
    public static bool CpuHasNativeBFloat16 => CpuFeatures.NativeBFloat16;

    /// <summary>Asked once, after the static constructor has loaded the library (a field initializer of this class would run before it).</summary>
    private static class CpuFeatures
    {
        public static readonly bool NativeBFloat16 = NativeMethods.mlp_cpu_has_native_bf16() != 0;
    }

    /// <summary>True when this libtorch was built with CUDA and a GPU is visible.</summary>
    public static bool CudaIsAvailable => NativeMethods.mlp_cuda_is_available() != 0;

    /// <summary>The number of visible CUDA GPUs (0 for a CPU-only libtorch).</summary>
    public static int CudaDeviceCount => NativeMethods.mlp_cuda_device_count();

    /// <summary>CUDA when available, else the CPU.</summary>
    public static Device DefaultDevice => CudaIsAvailable ? Device.Cuda() : Device.CPU;
}

/// <summary>Restores the thread's previous denormal mode when disposed.</summary>
public readonly struct FlushDenormalScope : IDisposable
{
    private readonly bool? _previous;

    internal FlushDenormalScope(bool? previous) => _previous = previous;

    /// <summary>Restores this thread's previous mode.</summary>
    public void Dispose()
    {
        if (_previous == false) Native.Check(NativeMethods.mlp_set_flush_denormal(0, includeWorkers: 0));
    }
}

/// <summary>Leaves the autocast region when disposed (<see cref="TorchRuntime.AutocastBFloat16"/>).</summary>
public readonly struct AutocastScope : IDisposable
{
    private readonly int _previous;

    internal AutocastScope(int previous) => _previous = previous;

    public void Dispose() => Native.Check(NativeMethods.mlp_autocast_cpu_exit(_previous));
}

/// <summary>Restores the thread's previous gradient mode when disposed.</summary>
public readonly struct GradModeScope : IDisposable
{
    private readonly bool _previous;

    internal GradModeScope(bool enabled)
    {
        _previous = TorchRuntime.IsGradEnabled;
        NativeMethods.mlp_set_grad_enabled(enabled ? 1 : 0);
    }

    /// <summary>Restores the previous mode.</summary>
    public void Dispose() => NativeMethods.mlp_set_grad_enabled(_previous ? 1 : 0);
}
