using System.Globalization;
using System.Runtime.InteropServices;

namespace MLPipelines.Interop;

/// <summary>
/// How long the native engines' idle worker threads wait busily before they sleep, written into the
/// process environment before the first engine library loads (this file is compiled into each
/// assembly that loads one: the libtorch bindings and XGBoost's).
/// <para>
/// Why: both thread pools the engines use read their settings once, when they are loaded, and by
/// default keep an idle thread spinning for milliseconds — GNU OpenMP (libtorch's intra-op threads,
/// XGBoost, LightGbm) about 300,000 rounds, OpenBLAS 2^28 cycles. On idle cores that is harmless.
/// When other processes share the cores (another test assembly, another training run, a build),
/// the spinning threads take the time slices that the thread with work needs, and each parallel
/// region waits for a thread that is not running. Measured on 2 cores beside two busy loops, an MLP
/// epoch on diamonds took 33 s on 2 libtorch threads and 24 s on 2 OpenBLAS threads, against
/// 1.1–1.3 s idle; with these settings 2.2 s and 1.7 s, about the idle time at half the cores,
/// while idle epochs stayed within the benchmark's noise (MLP, TabM-mini, FT-Transformer;
/// <c>scripts/benchmark.sh deep</c>).
/// </para>
/// <para>
/// A setting the user made is kept (<c>GOMP_SPINCOUNT</c> or <c>OMP_WAIT_POLICY</c>;
/// <c>OPENBLAS_THREAD_TIMEOUT</c>). <c>Environment.SetEnvironmentVariable</c> changes only .NET's own copy
/// of the environment, so the values are written with the C library's <c>setenv</c>, where native
/// libraries read them. Child processes started afterwards (benchmark peers) were seen to inherit them.
/// </para>
/// </summary>
internal static partial class NativeThreadWaiting
{
    /// <summary>Spin rounds before an idle OpenMP thread sleeps (microseconds: enough to bridge the gap between two kernels of a training step).</summary>
    public const int OpenMPSpinCount = 3000;

    /// <summary>OpenBLAS's idle threads spin 2^this cycles (about a microsecond) before they sleep; OpenBLAS takes 4 to 30.</summary>
    public const int OpenBlasTimeoutExponent = 10;

    /// <summary>
    /// Writes the settings into the process environment; call before the first native engine call (the
    /// P/Invoke classes' static constructors do). Calling it again changes nothing: setenv keeps a set value.
    /// </summary>
    public static void Configure()
    {
        if (!OperatingSystem.IsLinux()) return;   // the engines are built for Linux
        // OMP_WAIT_POLICY sets the spin count too: a user who set either chose how OpenMP waits.
        if (Unset("OMP_WAIT_POLICY") && Unset("GOMP_SPINCOUNT")) Set("GOMP_SPINCOUNT", OpenMPSpinCount);
        if (Unset("OPENBLAS_THREAD_TIMEOUT")) Set("OPENBLAS_THREAD_TIMEOUT", OpenBlasTimeoutExponent);
    }

    private static bool Unset(string name) => Environment.GetEnvironmentVariable(name) is null;

    private static void Set(string name, int value) => setenv(name, value.ToString(CultureInfo.InvariantCulture), overwrite: 0);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);
}
