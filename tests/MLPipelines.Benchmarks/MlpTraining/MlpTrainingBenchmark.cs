using System.Globalization;
using MLPipelines.Torch;

namespace MLPipelines.Benchmarks.MlpTraining;

/// <summary>
/// The same 3×256 ReLU MLP trained with AdamW, batch 256, on the same 50,000 × 32 data, in
/// C# through the bindings and in Python PyTorch on the same libtorch. Thread settings change
/// the result several-fold (libtorch's intra-op threads × OpenBLAS's threads oversubscribe the
/// cores), so each side runs at 1 and at all cores for both, each run in a fresh process, and
/// the sides are compared best against best. PyTorch's AdamW is also run with foreach=True
/// (its multi-tensor path) and with glibc's malloc set as the bindings set it, so its best is its
/// best. The machine is shared and noisy, so every
/// configuration runs in several rounds, the sides alternating, and each reports its best and
/// median round.
/// </summary>
public static class MlpTrainingBenchmark
{
    public const string WorkerCommand = "mlp-worker";

    private sealed record Configuration(string Side, int TorchThreads, int BlasThreads, string Variant);

    public static int Run(string[] args)
    {
        var epochs = Option(args, "--epochs", 3);
        var rounds = Option(args, "--rounds", 3);
        var root = PeerProcess.RepositoryRoot();
        var data = MlpTrainingData.Write(Path.Combine(root, "artifacts", "benchmarks"));
        var script = Path.Combine(AppContext.BaseDirectory, "python", "mlp_training.py");
        var cores = Environment.ProcessorCount;
        int[] threadCounts = cores == 1 ? [1] : [1, cores];
        var (self, prefix) = PeerProcess.Self();

        Console.WriteLine($"MLP training benchmark: 3×256 ReLU MLP, AdamW (lr 1e-3), batch 256, MSE, {MlpTrainingData.Rows:N0} × {MlpTrainingData.Features} float32");
        Console.WriteLine($"{epochs} timed epochs after 1 warm-up epoch per run; {rounds} rounds, each run in a fresh process; {cores} cores; libtorch {TorchRuntime.Version} on both sides");
        Console.WriteLine(PeerProcess.Run(PeerProcess.Python, ["-c", "import torch, sys; print('Python', sys.version.split()[0], 'PyTorch', torch.__version__)"], new Dictionary<string, string>()));

        var rowsPerSecond = new Dictionary<Configuration, List<double>>();
        var finalLoss = new Dictionary<Configuration, double>();
        for (var round = 1; round <= rounds; round++)
        {
            Console.Error.Write($"\rround {round}/{rounds}...");
            foreach (var torchThreads in threadCounts)
            foreach (var blasThreads in threadCounts)
            {
                var environment = new Dictionary<string, string> { ["OPENBLAS_NUM_THREADS"] = blasThreads.ToString(CultureInfo.InvariantCulture) };
                string Text(int n) => n.ToString(CultureInfo.InvariantCulture);
                // The bindings set glibc's malloc thresholds themselves (TorchRuntime); PyTorch is
                // also run with the same thresholds through glibc's environment variables.
                var tunedMalloc = new Dictionary<string, string>(environment)
                {
                    ["MALLOC_MMAP_THRESHOLD_"] = (32 << 20).ToString(CultureInfo.InvariantCulture),
                    ["MALLOC_TRIM_THRESHOLD_"] = (64 << 20).ToString(CultureInfo.InvariantCulture),
                };
                var runs = new (Configuration, string, string[], Dictionary<string, string>)[]
                {
                    (new("C#", torchThreads, blasThreads, ""), self, [.. prefix, WorkerCommand, data, Text(torchThreads), Text(blasThreads), Text(epochs)], environment),
                    (new("PyTorch", torchThreads, blasThreads, "foreach=False"), PeerProcess.Python, [script, data, Text(torchThreads), Text(epochs)], environment),
                    (new("PyTorch", torchThreads, blasThreads, "foreach=True"), PeerProcess.Python, [script, data, Text(torchThreads), Text(epochs), "--foreach"], environment),
                    (new("PyTorch", torchThreads, blasThreads, "foreach=False, malloc as C#"), PeerProcess.Python, [script, data, Text(torchThreads), Text(epochs)], tunedMalloc),
                    (new("PyTorch", torchThreads, blasThreads, "foreach=True, malloc as C#"), PeerProcess.Python, [script, data, Text(torchThreads), Text(epochs), "--foreach"], tunedMalloc),
                };
                foreach (var (configuration, fileName, arguments, variables) in runs)
                {
                    var parts = PeerProcess.Run(fileName, arguments, variables).Split(' ');
                    if (!rowsPerSecond.TryGetValue(configuration, out var list)) rowsPerSecond[configuration] = list = [];
                    list.Add(double.Parse(parts[0], CultureInfo.InvariantCulture));
                    finalLoss[configuration] = double.Parse(parts[1], CultureInfo.InvariantCulture);
                }
            }
        }
        Console.Error.WriteLine();

        Console.WriteLine();
        Console.WriteLine($"{"side",-8} {"torch threads",13} {"OpenBLAS threads",16} {"variant",-28} {"best rows/s",12} {"median rows/s",14} {"MSE all rows",12}");
        foreach (var (configuration, values) in rowsPerSecond)
            Console.WriteLine($"{configuration.Side,-8} {configuration.TorchThreads,13} {configuration.BlasThreads,16} {configuration.Variant,-28} {values.Max(),12:N0} {Timings.Median(values),14:N0} {finalLoss[configuration],12:F4}");

        var bestCSharp = rowsPerSecond.Where(r => r.Key.Side == "C#").MaxBy(r => r.Value.Max());
        var bestPython = rowsPerSecond.Where(r => r.Key.Side == "PyTorch").MaxBy(r => r.Value.Max());
        Console.WriteLine();
        Console.WriteLine($"best C#:      {bestCSharp.Value.Max(),10:N0} rows/s (torch threads {bestCSharp.Key.TorchThreads}, OpenBLAS threads {bestCSharp.Key.BlasThreads})");
        Console.WriteLine($"best PyTorch: {bestPython.Value.Max(),10:N0} rows/s (torch threads {bestPython.Key.TorchThreads}, OpenBLAS threads {bestPython.Key.BlasThreads}, {bestPython.Key.Variant})");
        Console.WriteLine("(MSE all rows: the loss on all 50,000 rows after the timed epochs, computed untimed. The sides start from the same seed and batch order; libtorch's AdamW and the bindings' one-pass AdamW agree to ~1e-7 per step, and training amplifies that, so the losses should be close, not equal)");
        Console.WriteLine($"ratio C# / PyTorch, best vs best: {bestCSharp.Value.Max() / bestPython.Value.Max():F2}x; medians of those configurations: {Timings.Median(bestCSharp.Value) / Timings.Median(bestPython.Value):F2}x (goal: at least 1.2x)");
        return 0;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
