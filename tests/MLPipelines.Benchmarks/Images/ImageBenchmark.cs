using System.Globalization;

namespace MLPipelines.Benchmarks.Images;

/// <summary>
/// The images benchmark: <c>--parts epoch</c> (ResNet-18 epoch time against torchvision, <see cref="ResNetEpochBenchmark"/>)
/// and <c>--parts fashion</c> (accuracy with few labels, <see cref="FashionMnistBenchmark"/>).
/// </summary>
public static class ImageBenchmark
{
    public static int Run(string[] args)
    {
        var parts = BenchmarkArguments.Option(args, "--parts")?.Split(',') ?? ["epoch", "fashion"];
        var resize = Int(args, "--resize") ?? 64;
        if (parts.Contains("epoch"))
            ResNetEpochBenchmark.Run(resize, images: Int(args, "--epoch-images") ?? 512, batch: 64, epochs: Int(args, "--rounds") ?? 3,
                BenchmarkArguments.Option(args, "--layouts")?.Split(',') ?? ResNetEpochBenchmark.Layouts);
        if (parts.Contains("fashion"))
            FashionMnistBenchmark.Run(BenchmarkArguments.Option(args, "--sizes")?.Split(',').Select(int.Parse).ToArray() ?? [100, 1000, 10000],
                Seeds(args), resize, BenchmarkArguments.Option(args, "--models")?.Split(',') ?? ["fine-tuned", "frozen", "small-cnn", "xgboost"]);
        return 0;
    }

    /// <summary>--seed S: that seed alone; else --seeds N (default 3): seeds 1 to N.</summary>
    private static int[] Seeds(string[] args) =>
        Int(args, "--seed") is { } one ? [one] : [.. Enumerable.Range(1, Int(args, "--seeds") ?? 3)];

    private static int? Int(string[] args, string name) =>
        BenchmarkArguments.Option(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : null;
}
