namespace MLPipelines.Vision.Data;

/// <summary>
/// Labeled images in the IDX format as MNIST-like sets ship them: an images file
/// (<c>…-images-idx3-ubyte</c>, optionally .gz) with its labels file beside it
/// (<c>…-labels-idx1-ubyte</c>), the class of each image a byte.
/// </summary>
public static class IdxDataset
{
    private const string ImagesSuffix = "-images-idx3-ubyte";
    private const string LabelsSuffix = "-labels-idx1-ubyte";

    /// <summary>
    /// Reads <paramref name="path"/>: an images file, or a folder with one (its <c>train-</c> set when it holds
    /// several, as MNIST's and Fashion-MNIST's folders do). The classes are named by their numbers unless
    /// <paramref name="classNames"/> names them. A missing or ambiguous file is an error that says what was found.
    /// </summary>
    public static LabeledImages Read(string path, IReadOnlyList<string>? classNames = null)
    {
        var images = Directory.Exists(path) ? ImagesIn(path)
            : File.Exists(path) ? path
            : throw new FileNotFoundException($"{Path.GetFullPath(path)} does not exist (an IDX images file or a folder holding one is expected)");
        var name = Path.GetFileName(images);
        if (!name.Contains(ImagesSuffix, StringComparison.Ordinal))
            throw new InvalidDataException($"{images}: an IDX images file is named …{ImagesSuffix}[.gz], so that its labels file (…{LabelsSuffix}) is found beside it");
        var labels = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(images))!, name.Replace(ImagesSuffix, LabelsSuffix, StringComparison.Ordinal));
        if (!File.Exists(labels))
        {
            // The labels may be compressed when the images are not, or the other way round.
            var other = labels.EndsWith(".gz", StringComparison.Ordinal) ? labels[..^3] : labels + ".gz";
            labels = File.Exists(other) ? other : throw new FileNotFoundException($"{images} has no labels file beside it ({Path.GetFileName(labels)} or {Path.GetFileName(other)})");
        }
        return LabeledImages.ReadIdx(images, labels, classNames);
    }

    /// <summary>Whether <paramref name="path"/> is an IDX images file, or a folder holding one, by the names <see cref="Read"/> looks for.</summary>
    public static bool IsIdx(string path) =>
        File.Exists(path) ? IsImagesFile(path) : Directory.Exists(path) && Directory.GetFiles(path).Any(IsImagesFile);

    private static bool IsImagesFile(string path) => Path.GetFileName(path).Contains(ImagesSuffix, StringComparison.Ordinal);

    private static string ImagesIn(string folder)
    {
        var found = Directory.GetFiles(folder).Where(IsImagesFile).Order(StringComparer.Ordinal).ToList();
        // The same set compressed and not counts once: the compressed file is read.
        var sets = found.GroupBy(f => f.EndsWith(".gz", StringComparison.Ordinal) ? f[..^3] : f).Select(g => g.Max(StringComparer.Ordinal)!).ToList();
        return sets.Count switch
        {
            0 => throw new FileNotFoundException($"{folder} holds no IDX images file (…{ImagesSuffix}[.gz])"),
            1 => sets[0],
            _ => sets.FirstOrDefault(f => Path.GetFileName(f).StartsWith("train", StringComparison.Ordinal))
                 ?? throw new InvalidDataException($"{folder} holds several IDX images files and none is a training set ({string.Join(", ", sets.Select(Path.GetFileName))}): name one"),
        };
    }
}
