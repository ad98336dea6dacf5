using System.Diagnostics;
using System.Runtime.InteropServices;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;
using MLPipelines.Torch.Optim;
using Xunit.Abstractions;

namespace MLPipelines.Torch.Tests;

public sealed class RuntimeTests(ITestOutputHelper output)
{
    [Fact]
    public void Threads_default_to_all_cores_for_libtorch_and_one_for_blas()
    {
        // Debian's libtorch starts with one intra-op thread; the bindings raise it before the first tensor.
        Assert.Equal(Environment.ProcessorCount, TorchRuntime.NumThreads);
        Assert.Equal(1, TorchRuntime.BlasThreads);
        try
        {
            Assert.True(TorchRuntime.SetThreads(1, 2));
            Assert.Equal(1, TorchRuntime.NumThreads);
            Assert.Equal(2, TorchRuntime.BlasThreads);
        }
        finally
        {
            TorchRuntime.SetThreads(Environment.ProcessorCount, 1);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => TorchRuntime.SetThreads(0, 1));
    }

    [Fact]
    public void Idle_engine_threads_are_set_to_sleep_soon_unless_the_user_chose_otherwise()
    {
        _ = TorchRuntime.NumThreads;   // libtorch, its OpenMP runtime and OpenBLAS are loaded by now

        // The command-line tests read the value OpenMP itself took (OMP_DISPLAY_ENV); here, that the bindings wrote them.
        var openMPChosen = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null || Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is not null;
        Assert.Equal(openMPChosen ? Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") : "3000", NativeEnvironment.Get("GOMP_SPINCOUNT"));
        Assert.Equal(Environment.GetEnvironmentVariable("OPENBLAS_THREAD_TIMEOUT") ?? "10", NativeEnvironment.Get("OPENBLAS_THREAD_TIMEOUT"));
    }

    [Fact]
    public void Denormals_are_flushed_to_zero_inside_the_scope_on_this_thread_and_on_the_workers()
    {
        Assert.True(RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64);
        // A fresh thread has the default floating-point mode whatever other tests did to theirs.
        OnFreshThread(() =>
        {
            using var scope = TorchRuntime.NewDisposeScope();
            // One element: computed on this thread. 1e-30 × 1e-10 = 1e-40 is a denormal float.
            var tiny = Tensors.FromArray([1e-30f]);
            Assert.False(TorchRuntime.FlushesDenormals);
            Assert.Equal(1e-40f, (tiny * 1e-10).ToArray<float>()[0], 1e-45f);
            // Four million elements are split over libtorch's intra-op threads. Running parallel work
            // first starts those threads without the mode (XGBoost does the same in a comparison),
            // so the scope has to reach threads that already exist.
            var many = Tensors.Full([4_000_000], 1e-30);
            Assert.Equal(4_000_000, (many * 1e-10).Gt(0).Sum().ToDouble());
            using (TorchRuntime.FlushDenormals())
            {
                Assert.True(TorchRuntime.FlushesDenormals);
                Assert.Equal(0f, (tiny * 1e-10).ToArray<float>()[0]);
                Assert.Equal(0, (many * 1e-10).Gt(0).Sum().ToDouble());
            }
            Assert.False(TorchRuntime.FlushesDenormals);   // this thread's mode is restored
            Assert.Equal(1e-40f, (tiny * 1e-10).ToArray<float>()[0], 1e-45f);
        });
    }

    [Fact]
    public void Autocast_multiplies_in_bfloat16_inside_its_scope_and_keeps_gradients_float32()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var linear = new Linear(4, 3);
        var x = Tensors.Randn([5, 4]);
        Tensor output;
        using (TorchRuntime.AutocastBFloat16())
        {
            output = linear.Forward(x);
            Assert.Equal(DType.BFloat16, output.DType);
            Assert.Equal(DType.Float32, (x + 1).DType);   // element-wise work keeps its type
            // Dropout takes a bfloat16 product in float, on its fused path.
            var dropped = Functional.ReluDropout(output, 0.5, training: true);
            Assert.Equal(DType.Float32, dropped.DType);
            Assert.All(dropped.ToArray<float>(), v => Assert.True(v >= 0));
        }
        Assert.Equal(DType.Float32, linear.Forward(x).DType);   // left: float32 again
        output.To(DType.Float32).Sum().Backward();
        Assert.Equal(DType.Float32, linear.Weight.Grad!.DType);
        Assert.Equal(linear.Weight.Grad!.ToArray<float>(), (Tensors.Ones([3, 5]).MatMul(x)).ToArray<float>(), new ToleranceComparer(0.05f));
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= tolerance * Math.Max(1, Math.Abs(b));
        public int GetHashCode(float value) => 0;
    }

    private static void OnFreshThread(Action test)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { test(); }
            catch (Exception e) { failure = e; }
        });
        thread.Start();
        thread.Join();
        if (failure is not null) throw failure;
    }

    [Fact]
    public void Reports_version_and_devices()
    {
        Assert.Matches(@"^\d+\.\d+\.\d+$", TorchRuntime.Version);
        Assert.Equal(TorchRuntime.CudaIsAvailable, TorchRuntime.CudaDeviceCount > 0);
        Assert.Equal(TorchRuntime.CudaIsAvailable ? DeviceType.CUDA : DeviceType.CPU, TorchRuntime.DefaultDevice.Type);
    }

    [Fact]
    public void Tensors_move_to_the_default_device_and_back()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var device = TorchRuntime.DefaultDevice;
        var x = Tensors.FromArray([1f, 2f, 3f]).To(device);
        Assert.Equal(device.Type, x.Device.Type);
        var y = (x * 2).Relu().To(Device.CPU);
        Assert.Equal([2f, 4f, 6f], y.ToArray<float>());
        using var linear = new Linear(3, 1);
        linear.To(device);
        Assert.Equal(device.Type, linear.Forward(x.Unsqueeze(0)).Device.Type);
    }

    [Fact]
    public void A_dispose_scope_releases_what_was_created_in_it_and_keeps_what_moved_out()
    {
        var before = TorchRuntime.LiveTensorCount;
        Tensor kept, created;
        using (TorchRuntime.NewDisposeScope())
        {
            created = Tensors.Ones([3]) * 2;
            kept = (created + 1).MoveToOuterDisposeScope();
            Assert.True(TorchRuntime.LiveTensorCount >= before + 3);
        }
        Assert.True(created.IsDisposed);
        Assert.False(kept.IsDisposed);
        Assert.Equal(before + 1, TorchRuntime.LiveTensorCount);
        kept.Dispose();
        Assert.Equal(before, TorchRuntime.LiveTensorCount);
    }

    [Fact]
    public void Nested_scopes_hand_tensors_outwards_one_level_at_a_time()
    {
        using var outer = TorchRuntime.NewDisposeScope();
        Tensor moved;
        using (TorchRuntime.NewDisposeScope())
            moved = Tensors.Ones([1]).MoveToOuterDisposeScope();
        Assert.False(moved.IsDisposed);
        outer.Dispose();
        Assert.True(moved.IsDisposed);
    }

    [Fact]
    public void Scopes_must_close_innermost_first()
    {
        var outer = TorchRuntime.NewDisposeScope();
        var inner = TorchRuntime.NewDisposeScope();
        Assert.Throws<InvalidOperationException>(() => outer.Dispose());
        inner.Dispose();
        outer.Dispose();
    }

    /// <summary>
    /// 10,000 training steps of a small MLP, each inside a dispose scope, after 5,000 warm-up
    /// steps (the .NET runtime's own warm-up, tiered JIT and GC bookkeeping, grows the native
    /// heap by a few MiB in the first seconds of any loop, even an empty one). The bounds:
    /// <list type="bullet">
    /// <item>every step ends with exactly the tensors it started with (checked with no garbage
    /// collection in between, so finalizers cannot hide a leak);</item>
    /// <item>over the 10,000 steps the native heap in use (glibc's count, where libtorch
    /// allocates) grows by less than 8 MiB, and the process's resident memory, after a full
    /// managed collection, by less than 24 MiB (measured here: about 2 MiB and 10 MiB; resident
    /// memory keeps creeping for a while with the runtime's warm-up and then levels off).</item>
    /// </list>
    /// For scale: leaking one 64 × 64 float tensor per step would add about 160 MiB.
    /// Without the forced collection the resident figure would mostly show the managed heap's
    /// gen0 budget (tens of MiB on this machine) filling with short-lived wrappers.
    /// </summary>
    [Fact]
    public void Memory_stays_flat_over_ten_thousand_training_steps()
    {
        const long AllowedNativeGrowth = 8L << 20;
        const long AllowedResidentGrowth = 24L << 20;
        TorchRuntime.ManualSeed(3);
        using var model = new Sequential(new Linear(32, 64), new ReLU(), new Linear(64, 64), new ReLU(), new Linear(64, 1));
        using var optimizer = new AdamW(model.Parameters(), learningRate: 1e-3);
        using var x = Tensors.Randn([64, 32]).DetachFromDisposeScope();
        using var y = Tensors.Randn([64, 1]).DetachFromDisposeScope();

        const int WarmupSteps = 5_000, MeasuredSteps = 10_000;
        (long Native, long Resident) afterWarmup = default;
        var stepsThatLeaked = 0;
        for (var step = 1; step <= WarmupSteps + MeasuredSteps; step++)
        {
            var live = TorchRuntime.LiveTensorCount;
            using (TorchRuntime.NewDisposeScope())
            {
                var loss = Losses.MeanSquaredError(model.Forward(x), y);
                optimizer.ZeroGrad();
                loss.Backward();
                GradientClipping.ClipGradNorm(model.Parameters(), 1.0);
                optimizer.Step();
            }
            // A leak raises the count; the finalizer of a tensor another test forgot can only lower it.
            if (TorchRuntime.LiveTensorCount > live) stepsThatLeaked++;
            if (step == WarmupSteps) afterWarmup = MemoryFigures();
        }
        var end = MemoryFigures();
        var nativeGrowth = end.Native - afterWarmup.Native;
        var residentGrowth = end.Resident - afterWarmup.Resident;
        output.WriteLine($"over {MeasuredSteps:N0} steps: native heap {afterWarmup.Native >> 10} -> {end.Native >> 10} KiB ({nativeGrowth >> 10:+#;-#;0} KiB), " +
            $"resident {afterWarmup.Resident >> 10} -> {end.Resident >> 10} KiB ({residentGrowth >> 10:+#;-#;0} KiB); steps that leaked a tensor: {stepsThatLeaked}");
        Assert.Equal(0, stepsThatLeaked);
        Assert.True(nativeGrowth < AllowedNativeGrowth, $"native heap grew by {nativeGrowth >> 10} KiB over {MeasuredSteps:N0} steps");
        Assert.True(residentGrowth < AllowedResidentGrowth, $"resident memory grew by {residentGrowth >> 10} KiB over {MeasuredSteps:N0} steps");
    }

    private static (long Native, long Resident) MemoryFigures()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return (NativeHeap.BytesInUse(), ResidentBytes());
    }

    private static long ResidentBytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
