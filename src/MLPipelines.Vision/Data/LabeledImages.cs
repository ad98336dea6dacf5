namespace MLPipelines.Vision.Data;

/// <summary>
/// Images of one size with a class index each: one byte (0–255) per pixel and channel, channel after channel
/// (grey; or red, green, blue), each channel row-major, image after image.
/// </summary>
public sealed class LabeledImages
{
    /// <summary>1 (grey) or 3 (red, green, blue).</summary>
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }

    /// <summary>Count × Channels × Height × Width pixel values 0–255.</summary>
    public byte[] Pixels { get; }

    /// <summary>One class index per image.</summary>
    public byte[] Labels { get; }

    /// <summary>The name of each class index.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    public int Count => Labels.Length;

    /// <summary>Values per image: Channels × Height × Width.</summary>
    public int ImageLength => Channels * Height * Width;

    /// <summary>Grey images.</summary>
    public LabeledImages(int height, int width, byte[] pixels, byte[] labels, IReadOnlyList<string> classNames)
        : this(1, height, width, pixels, labels, classNames)
    {
    }

    public LabeledImages(int channels, int height, int width, byte[] pixels, byte[] labels, IReadOnlyList<string> classNames)
    {
        if (channels is not (1 or 3)) throw new ArgumentException($"images have 1 (grey) or 3 (red, green, blue) channels, not {channels}");
        if ((long)channels * height * width * labels.Length != pixels.LongLength)
            throw new ArgumentException($"{pixels.Length} pixel values are not {labels.Length} images of {channels} × {height} × {width}");
        var outOfRange = Array.FindIndex(labels, l => l >= classNames.Count);
        if (outOfRange >= 0)
            throw new ArgumentException($"image {outOfRange} has label {labels[outOfRange]}, but there are {classNames.Count} classes");
        (Channels, Height, Width, Pixels, Labels, ClassNames) = (channels, height, width, pixels, labels, classNames);
    }

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * ImageLength, ImageLength);

    /// <summary>The images at <paramref name="indices"/>, in that order.</summary>
    public LabeledImages Subset(IReadOnlyList<int> indices)
    {
        var size = ImageLength;
        var pixels = new byte[indices.Count * size];
        var labels = new byte[indices.Count];
        for (var i = 0; i < indices.Count; i++)
        {
            Image(indices[i]).CopyTo(pixels.AsSpan(i * size, size));
            labels[i] = Labels[indices[i]];
        }
        return new LabeledImages(Channels, Height, Width, pixels, labels, ClassNames);
    }

    /// <summary>
    /// Reads an images file ([count, height, width]) and a labels file ([count]) in the IDX format; the classes
    /// are named by <paramref name="classNames"/>, or by their numbers ("0", "1", … up to the largest label).
    /// </summary>
    public static LabeledImages ReadIdx(string imagesPath, string labelsPath, IReadOnlyList<string>? classNames = null)
    {
        var images = IdxFile.Read(imagesPath);
        var labels = IdxFile.Read(labelsPath);
        if (images.Shape.Length != 3)
            throw new InvalidDataException($"{imagesPath}: images are [count, height, width], not [{string.Join(", ", images.Shape)}]");
        if (labels.Shape.Length != 1)
            throw new InvalidDataException($"{labelsPath}: labels are [count], not [{string.Join(", ", labels.Shape)}]");
        if (images.Count != labels.Count)
            throw new InvalidDataException($"{imagesPath} has {images.Count:N0} images but {labelsPath} has {labels.Count:N0} labels");
        classNames ??= [.. Enumerable.Range(0, labels.Count == 0 ? 0 : labels.Values.Max() + 1).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        var outOfRange = Array.FindIndex(labels.Values, l => l >= classNames.Count);
        if (outOfRange >= 0)
            throw new InvalidDataException($"{labelsPath}: label {outOfRange} is {labels.Values[outOfRange]}, but there are {classNames.Count} classes");
        return new LabeledImages(images.Shape[1], images.Shape[2], images.Values, labels.Values, classNames);
    }
}
