namespace MLPipelines.Vision.Data;

/// <summary>
/// Fashion-MNIST (Xiao et al. 2017): 70,000 grey 28 × 28 images of clothing in 10 classes, split 60,000 /
/// 10,000 as published. Debian's dataset-fashion-mnist package puts its four IDX files in <see cref="DebianFolder"/>.
/// </summary>
public static class FashionMnist
{
    public const string DebianFolder = "/usr/share/datasets/fashion-mnist";

    public static readonly IReadOnlyList<string> ClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The 60,000 training images.</summary>
    public static LabeledImages Train(string folder = DebianFolder) => Read(folder, "train");

    /// <summary>The 10,000 test images.</summary>
    public static LabeledImages Test(string folder = DebianFolder) => Read(folder, "t10k");

    private static LabeledImages Read(string folder, string split)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"no Fashion-MNIST folder at {folder} (Debian: apt-get install dataset-fashion-mnist)");
        return LabeledImages.ReadIdx(Find(folder, $"{split}-images-idx3-ubyte"), Find(folder, $"{split}-labels-idx1-ubyte"), ClassNames);
    }

    private static string Find(string folder, string name) =>
        new[] { name + ".gz", name }.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists)
        ?? throw new FileNotFoundException($"{folder} has neither {name}.gz nor {name}");
}
