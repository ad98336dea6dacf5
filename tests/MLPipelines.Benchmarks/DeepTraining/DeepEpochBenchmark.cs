using Microsoft.ML;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using MLPipelines.Deep.Options;
using MLPipelines.Deep.Training;
using MLPipelines.Torch;
using MLPipelines.Trainers;
using MLPipelines.Transforms;

namespace MLPipelines.Benchmarks.DeepTraining;

/// <summary>
/// Epoch time of the MLP (RealMLP-style), ResNet, FT-Transformer and TabM: the C# models trained by
/// MLPipelines' DeepTrainer against the same architectures written in PyTorch
/// (python/deep_epochs.py) on the same libtorch 1.13, same data (all of diamonds, featurized by
/// each model's recommended featurization), same batch size, optimizer groups and threads, and
/// denormal floats flushed to zero on both sides. The C# side has no validation split, so an epoch is training steps only, as on the Python
/// side. Each configuration runs in a fresh process: one warm-up epoch, then timed epochs; the
/// sides are compared best against best over the thread configurations (libtorch intra-op ×
/// OpenBLAS threads that do not oversubscribe the cores). With <c>--precision bf16</c> both sides
/// train in bfloat16 autocast (<see cref="DeepModelOptions.MixedPrecision"/>, torch.autocast), on
/// libtorch's threads only: oneDNN multiplies the matrices there. With <c>--busy N</c>, N threads of the
/// benchmark's own process spin beside both sides, as other work does on a shared machine.
/// </summary>
public static class DeepEpochBenchmark
{
    public const string WorkerCommand = "deep-worker";

    private sealed record Data(string Directory, int Rows, int Features, int[] Cardinalities, int[] NumericColumns);

    private static readonly string[] Models = ["mlp", "mlp-tds", "resnet", "ft-transformer", "tabm", "tabm-mini"];

    private static string Label(string model) => model switch
    {
        "tabm" => "TabM (full BatchEnsemble)",
        "tabm-mini" => "TabM-mini",
        "mlp" => "MLP (RealMLP-TD, the default)",
        "mlp-tds" => "MLP (RealMLP-TD-S)",
        _ => DeepModels.Options(model).Name,
    };

    public static int Run(string[] args)
    {
        var rounds = BenchmarkArguments.Option(args, "--rounds") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 2;
        var models = BenchmarkArguments.Option(args, "--models")?.Split(',') ?? Models;
        var precision = BenchmarkArguments.Option(args, "--precision") ?? "fp32";
        if (precision is not ("fp32" or "bf16")) throw new ArgumentException($"unknown precision '{precision}': expected fp32 or bf16");
        var busy = BenchmarkArguments.Option(args, "--busy") is { } threads ? int.Parse(threads, CultureInfo.InvariantCulture) : 0;
        var root = PeerProcess.RepositoryRoot();
        var (self, prefix) = PeerProcess.Self();
        var script = Path.Combine(AppContext.BaseDirectory, "python", "deep_epochs.py");
        var cores = Environment.ProcessorCount;
        (int Torch, int Blas)[] configurations = cores == 1 || precision == "bf16" ? [(cores, 1)] : [(cores, 1), (1, cores)];
        Console.WriteLine($"Deep model epoch time: diamonds (53,940 rows, price), batch 256, {cores} cores, libtorch {TorchRuntime.Version} on both sides, {precision}; {rounds} rounds, fresh process each run");
        Console.WriteLine(PeerProcess.Run(PeerProcess.Python, ["-c", "import torch, sys; print('Python', sys.version.split()[0], 'PyTorch', torch.__version__)"], new Dictionary<string, string>()));
        if (busy > 0) Console.WriteLine($"beside {busy} busy thread(s) of another process, as on a shared machine (--busy)");
        using var load = BusyLoad.Start(busy);
        foreach (var model in models)
        {
            var data = Write(root, model);
            var epochs = model is "mlp" or "mlp-tds" or "resnet" ? 4 : model.StartsWith("tabm", StringComparison.Ordinal) ? 1 : 2;
            var results = new Dictionary<(string Side, int Torch, int Blas), List<double>>();
            for (var round = 0; round < rounds; round++)
                foreach (var (torchThreads, blasThreads) in configurations)
                {
                    var environment = new Dictionary<string, string>
                    {
                        ["OPENBLAS_NUM_THREADS"] = blasThreads.ToString(CultureInfo.InvariantCulture), ["DEEP_EPOCHS_PRECISION"] = precision,
                    };
                    string[] counts = [torchThreads.ToString(CultureInfo.InvariantCulture), blasThreads.ToString(CultureInfo.InvariantCulture), epochs.ToString(CultureInfo.InvariantCulture)];
                    Add(results, ("C#", torchThreads, blasThreads), PeerProcess.Run(self, [.. prefix, WorkerCommand, model, .. counts, precision], environment));
                    Add(results, ("PyTorch", torchThreads, blasThreads), PeerProcess.Run(PeerProcess.Python, [script, model, Path.Combine(data.Directory, "meta.json"), counts[0], counts[2]], environment));
                }
            Console.WriteLine();
            Console.WriteLine($"{Label(model)}: seconds per epoch ({data.Features} matrix columns, {data.Cardinalities.Length} categorical index columns), {epochs} timed epochs after 1 warm-up");
            Console.WriteLine($"  {"side",-8} {"torch threads",13} {"OpenBLAS threads",16} {"best s/epoch",13} {"median",8}");
            foreach (var ((side, t, b), values) in results)
                Console.WriteLine($"  {side,-8} {t,13} {b,16} {values.Min(),13:F3} {Timings.Median(values),8:F3}");
            var csharp = results.Where(r => r.Key.Side == "C#").Min(r => r.Value.Min());
            var python = results.Where(r => r.Key.Side == "PyTorch").Min(r => r.Value.Min());
            Console.WriteLine($"  best vs best: C# {csharp:F3} s, PyTorch {python:F3} s per epoch: C# is {python / csharp:F2}x PyTorch's speed (goal: not slower, at least 1.0x)");
        }
        return 0;
    }

    private static void Add(Dictionary<(string, int, int), List<double>> results, (string, int, int) key, string line)
    {
        if (!results.TryGetValue(key, out var list)) results[key] = list = [];
        list.AddRange(line.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)));
    }

    /// <summary>diamonds featurized for a model; for Python: features, categorical indices, labels as raw files.</summary>
    private static Data Write(string root, string model)
    {
        var training = Matrix(Featurize(root, model), model);
        var data = training.Features;
        var directory = Path.Combine(root, "artifacts", "benchmarks", $"deep-{model}");
        Directory.CreateDirectory(directory);
        var labels = training.Label;
        File.WriteAllBytes(Path.Combine(directory, "x.f32"), MemoryMarshal.AsBytes(data.Values.AsSpan()).ToArray());
        File.WriteAllBytes(Path.Combine(directory, "c.i64"), MemoryMarshal.AsBytes(data.Indices.Select(i => (long)i).ToArray().AsSpan()).ToArray());
        File.WriteAllBytes(Path.Combine(directory, "y.f32"), MemoryMarshal.AsBytes(labels.Values!.Select(v => (float)v).ToArray().AsSpan()).ToArray());
        var meta = new Data(directory, data.Rows, data.Width, data.Layout.Indices.Select(c => c.Cardinality).ToArray(),
            Enumerable.Range(0, data.Width).Where(i => data.FeatureKinds[i] == FeatureKind.Numeric).ToArray());
        File.WriteAllText(Path.Combine(directory, "meta.json"), JsonSerializer.Serialize(meta));
        return meta;
    }

    private static IDataView Featurize(string root, string model) => DiamondsData.Featurized(root, DeepModels.Options(model).RecommendedFeaturization, seed: 7).Train;

    /// <summary>The rows as the model's trainer reads them (categories one-hot up to its limit, embedded above).</summary>
    private static TrainingData Matrix(IDataView featurized, string model) =>
        DiamondsData.Read(featurized, levels => levels <= DeepModels.Options(model).MaxOneHotLevels ? CategoricalTreatment.OneHot : CategoricalTreatment.Index);

    /// <summary>The C# side: DeepTrainer without validation; prints the seconds of each timed epoch.</summary>
    public static int Worker(string[] args)
    {
        var model = args[0];
        var threads = int.Parse(args[1], CultureInfo.InvariantCulture);
        var blas = int.Parse(args[2], CultureInfo.InvariantCulture);
        var epochs = int.Parse(args[3], CultureInfo.InvariantCulture);
        var mixedPrecision = args.Length > 4 && args[4] == "bf16";
        TorchRuntime.SetThreads(threads, blas);
        var data = Featurize(PeerProcess.RepositoryRoot(), model);
        var options = DeepModels.Options(model) with { LabelColumnName = DiamondsData.Label, MaxEpochs = epochs + 1, ValidationFraction = 0, Patience = null, Seed = 0, Device = "cpu",
            Threads = blas > 1 ? ThreadSplit.Blas : ThreadSplit.Libtorch,   // the configuration measured, not the model's own choice
            MixedPrecision = mixedPrecision };
        var finished = new List<TimeSpan>();
        using var trained = new DeepTrainer(PredictionTask.Regression, options, 0) { Progress = new SynchronousProgress<EpochProgress>(e => finished.Add(e.Elapsed)) }.Fit(data);
        var seconds = Enumerable.Range(1, epochs).Select(i => (finished[i] - finished[i - 1]).TotalSeconds);
        Console.WriteLine(string.Join(' ', seconds.Select(s => s.ToString("R", CultureInfo.InvariantCulture))));
        return 0;
    }
}
