using System.Globalization;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;
using MLPipelines.Torch.Optim;
using MLPipelines.Vision.Data;
using MLPipelines.Vision.Networks;

namespace MLPipelines.Benchmarks.Images;

/// <summary>
/// Epoch time of ResNet-18 training: the project's network (<see cref="ResNet"/>) on its libtorch bindings against
/// torchvision's resnet18 in PyTorch (python/resnet_epochs.py), same libtorch 1.13, same prepared images (Fashion-MNIST
/// slice images repeated into three channels and resized to R × R, written to a file both sides read), same batches in
/// the same order, AdamW (lr 1e-3, weight decay 1e-4), all cores as libtorch intra-op threads, denormals flushed on
/// both sides. One warm-up epoch, then timed epochs; medians and bests, and their ratio. Per memory layout asked:
/// contiguous (NCHW), and channels-last (NHWC: weights and input images relaid on both sides, as
/// <c>model.to(memory_format=torch.channels_last)</c>), with each side's channels-last speed-up.
/// </summary>
public static class ResNetEpochBenchmark
{
    public static readonly string[] Layouts = ["contiguous", "channels-last"];

    public static void Run(int size, int images, int batch, int epochs, IReadOnlyList<string> layouts)
    {
        var unknown = layouts.Except(Layouts).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"unknown layout {unknown[0]}; the layouts are {string.Join(", ", Layouts)}");
        var cores = Environment.ProcessorCount;
        Console.WriteLine($"ResNet-18 training epochs: {images} images of {size} × {size} × 3, batch {batch}, AdamW, {cores} intra-op threads, libtorch {TorchRuntime.Version} on both sides; 1 warm-up + {epochs} timed epochs");
        var folder = Directory.CreateTempSubdirectory("resnet-epochs").FullName;
        try
        {
            var (imagesPath, labelsPath) = (Path.Combine(folder, "images.f32"), Path.Combine(folder, "labels.i64"));
            using (TorchRuntime.NewDisposeScope())
            {
                var (x, y) = PreparedImages(images, size);
                File.WriteAllBytes(imagesPath, System.Runtime.InteropServices.MemoryMarshal.AsBytes(x.ToArray<float>().AsSpan()).ToArray());
                File.WriteAllBytes(labelsPath, System.Runtime.InteropServices.MemoryMarshal.AsBytes(y.ToArray<long>().AsSpan()).ToArray());
                var measured = new Dictionary<string, (double[] Ours, double[] Theirs)>();
                foreach (var layout in layouts)
                {
                    var channelsLast = layout == "channels-last";
                    var ours = Ours(channelsLast ? x.ToChannelsLast() : x, y, batch, epochs, channelsLast);
                    var script = Path.Combine(AppContext.BaseDirectory, "python", "resnet_epochs.py");
                    var line = PeerProcess.Run(PeerProcess.Python, [script, imagesPath, labelsPath, $"{size}", $"{batch}", $"{epochs}", $"{cores}", layout], new Dictionary<string, string>());
                    var theirs = line.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                    Console.WriteLine($" {layout}:");
                    Print("C# (MLPipelines.Vision)", ours);
                    Print("PyTorch (torchvision)", theirs);
                    Console.WriteLine($"  speed, PyTorch time / ours: median {Median(theirs) / Median(ours):F2}x, best {theirs.Min() / ours.Min():F2}x");
                    measured[layout] = (ours, theirs);
                }
                if (measured.Count == 2)
                {
                    var (contiguous, channelsLast) = (measured["contiguous"], measured["channels-last"]);
                    Console.WriteLine($" channels-last speed-up, contiguous time / channels-last time: ours median {Median(contiguous.Ours) / Median(channelsLast.Ours):F2}x " +
                                      $"(best {contiguous.Ours.Min() / channelsLast.Ours.Min():F2}x), PyTorch median {Median(contiguous.Theirs) / Median(channelsLast.Theirs):F2}x " +
                                      $"(best {contiguous.Theirs.Min() / channelsLast.Theirs.Min():F2}x)");
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (Tensor Images, Tensor Labels) PreparedImages(int count, int size)
    {
        var slice = FashionMnist.Train(Path.Combine(PeerProcess.RepositoryRoot(), "datasets", "fashion-mnist-slice"));
        var chosen = slice.Subset([.. Enumerable.Range(0, count).Select(i => i % slice.Count)]);
        var pixels = Tensors.FromArray(chosen.Pixels.Select(p => p / 255f).ToArray(), count, 1, chosen.Height, chosen.Width);
        var images = Functional.ResizeBilinear(pixels.Expand(-1, 3, -1, -1).Contiguous(), size).Sub(0.5).Contiguous();
        return (images, Tensors.FromArray(chosen.Labels.Select(l => (long)l).ToArray()));
    }

    private static double[] Ours(Tensor images, Tensor labels, int batch, int epochs, bool channelsLast)
    {
        using var denormals = TorchRuntime.FlushDenormals();
        TorchRuntime.ManualSeed(0);
        using var network = new ResNet(classes: 10);
        if (channelsLast) network.ToChannelsLast();
        network.Train();
        using var optimizer = new AdamW(network.Parameters(), learningRate: 1e-3, weightDecay: 1e-4);
        double Epoch()
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (long first = 0; first < images.Size(0); first += batch)
            {
                using var step = TorchRuntime.NewDisposeScope();
                var length = Math.Min(batch, images.Size(0) - first);
                var loss = Losses.CrossEntropy(network.Forward(images.Narrow(0, first, length)), labels.Narrow(0, first, length));
                optimizer.ZeroGrad();
                loss.Backward();
                optimizer.Step();
            }
            return clock.Elapsed.TotalSeconds;
        }
        Epoch();
        return [.. Enumerable.Range(0, epochs).Select(_ => Epoch())];
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static void Print(string side, double[] seconds) =>
        Console.WriteLine($"  {side,-26} epoch seconds median {Median(seconds):F2}, best {seconds.Min():F2}  ({string.Join(", ", seconds.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))})");
}
