using SkiaSharp;

namespace MLPipelines.Vision.Data;

/// <summary>
/// Labeled image files laid out as ML.NET's image classification samples lay them out: a folder with one
/// subfolder per class (its name is the class), each holding that class's images (PNG, JPEG, GIF, BMP, WebP).
/// Every image is decoded with SkiaSharp, scaled so that its shorter side is the given side and cropped to the
/// centre square (ML.NET ResizeImages' IsoCrop), transparent parts over black. The images are grey when every
/// pixel of every image is (red = green = blue), else red, green and blue.
/// </summary>
public static class ImageFolder
{
    public static readonly IReadOnlyList<string> Extensions = [".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp"];

    /// <summary>
    /// Reads <paramref name="folder"/> into <paramref name="side"/> × <paramref name="side"/> images; files of
    /// other extensions and hidden files are left out. A class folder without images, a file that does not
    /// decode, or more than 256 classes are errors that name the folder or file. <paramref name="decoded"/> hears the count of images decoded after each.
    /// </summary>
    public static LabeledImages Read(string folder, int side, Action<int>? decoded = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(side, 1);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{Path.GetFullPath(folder)} does not exist");
        var classes = Directory.GetDirectories(folder).Where(d => !Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal).ToList();
        if (classes.Count == 0)
            throw new InvalidDataException($"{folder} has no class folders: put each class's images in a folder named after the class");
        if (classes.Count > 256) throw new InvalidDataException($"{folder} has {classes.Count} class folders; at most 256 classes are read");
        var files = classes.Select(ImagesIn).ToList();
        var empty = files.FindIndex(f => f.Count == 0);
        if (empty >= 0) throw new InvalidDataException($"the class folder {classes[empty]} holds no images ({string.Join(", ", Extensions)})");

        var all = files.SelectMany((paths, c) => paths.Select(path => (Class: (byte)c, Path: path))).ToList();
        var grey = true;
        var rgb = Decode(all.ConvertAll(a => a.Path), side, channels: 3, decoded, rgba => grey = grey && IsGrey(rgba));
        var labels = all.Select(a => a.Class).ToArray();
        var names = classes.Select(d => Path.GetFileName(d)).ToArray();
        return grey
            ? new LabeledImages(1, side, side, FirstChannel(rgb, all.Count, side * side), labels, names)
            : new LabeledImages(3, side, side, rgb, labels, names);
    }

    /// <summary>
    /// Decodes <paramref name="paths"/> as <see cref="Read"/> does, into <paramref name="channels"/> × side × side bytes per
    /// image, image after image: 3 gives red, green, blue; 1 gives grey (ITU-R BT.601 luma, which is the value itself
    /// for grey pixels). A file that does not decode is an error that names it.
    /// </summary>
    public static byte[] Decode(IReadOnlyList<string> paths, int side, int channels, Action<int>? decoded = null) =>
        Decode(paths, side, channels, decoded, seen: null);

    private static byte[] Decode(IReadOnlyList<string> paths, int side, int channels, Action<int>? decoded, Action<byte[]>? seen)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(side, 1);
        if (channels is not (1 or 3)) throw new ArgumentException($"images have 1 (grey) or 3 (red, green, blue) channels, not {channels}");
        var plane = side * side;
        var pixels = new byte[(long)paths.Count * channels * plane];
        for (var i = 0; i < paths.Count; i++)
        {
            var rgba = DecodeSquare(paths[i], side);
            var start = (long)i * channels * plane;
            if (channels == 3)
                for (var c = 0; c < 3; c++)
                    for (var p = 0; p < plane; p++)
                        pixels[start + c * plane + p] = rgba[p * 4 + c];
            else
                for (var p = 0; p < plane; p++)
                    pixels[start + p] = (byte)((299 * rgba[p * 4] + 587 * rgba[p * 4 + 1] + 114 * rgba[p * 4 + 2] + 500) / 1000);
            seen?.Invoke(rgba);
            decoded?.Invoke(i + 1);
        }
        return pixels;
    }

    /// <summary>
    /// The image files <paramref name="path"/> names: the file itself, or every image file in the folder and its
    /// subfolders (hidden ones left out), in ordinal order of their paths.
    /// </summary>
    public static IReadOnlyList<string> FilesAt(string path)
    {
        if (File.Exists(path))
            return Extensions.Contains(Path.GetExtension(path).ToLowerInvariant()) ? [path]
                : throw new InvalidDataException($"{path} is not an image file ({string.Join(", ", Extensions)})");
        if (!Directory.Exists(path)) throw new FileNotFoundException($"{Path.GetFullPath(path)} does not exist");
        var files = Directory.GetFiles(path, "*", SearchOption.AllDirectories)
            .Where(f => IsImage(f) && !Path.GetRelativePath(path, f).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
            .Order(StringComparer.Ordinal).ToList();
        return files.Count > 0 ? files : throw new InvalidDataException($"{path} holds no image files ({string.Join(", ", Extensions)})");
    }

    private static byte[] FirstChannel(byte[] rgb, int count, int plane)
    {
        var grey = new byte[(long)count * plane];
        for (var i = 0; i < count; i++) Array.Copy(rgb, (long)i * 3 * plane, grey, (long)i * plane, plane);
        return grey;
    }

    /// <summary>
    /// Writes <paramref name="images"/> as PNG files in the layout <see cref="Read"/> reads: a folder per class (its
    /// name with characters a file name cannot hold, '/' among them, replaced by '-'), the files numbered by the
    /// images' order. Reading them back at their own square size gives the same pixels.
    /// </summary>
    public static void Write(LabeledImages images, string folder)
    {
        var names = images.ClassNames.Select(FolderName).ToArray();
        if (names.Distinct().Count() != names.Length)
            throw new ArgumentException($"the class names {string.Join(", ", images.ClassNames)} do not make distinct folder names");
        // Only classes with images get a folder: Read refuses an empty one.
        foreach (var label in images.Labels.Distinct()) Directory.CreateDirectory(Path.Combine(folder, names[label]));
        var plane = images.Height * images.Width;
        var digits = Math.Max(1, (images.Count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        for (var i = 0; i < images.Count; i++)
        {
            var pixels = images.Image(i);
            var grey = images.Channels == 1;
            using var bitmap = new SKBitmap(new SKImageInfo(images.Width, images.Height, grey ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Opaque));
            var target = bitmap.GetPixelSpan();
            if (grey) pixels.CopyTo(target);
            else
                for (var p = 0; p < plane; p++)
                    (target[4 * p], target[4 * p + 1], target[4 * p + 2], target[4 * p + 3]) = (pixels[p], pixels[plane + p], pixels[2 * plane + p], 255);
            using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(Path.Combine(folder, names[images.Labels[i]], i.ToString(new string('0', digits), System.Globalization.CultureInfo.InvariantCulture) + ".png"), png.ToArray());
        }
    }

    private static string FolderName(string className) =>
        string.Concat(className.Select(c => c == '/' || Path.GetInvalidFileNameChars().Contains(c) ? '-' : c));

    private static List<string> ImagesIn(string folder) => [.. Directory.GetFiles(folder).Where(IsImage).Order(StringComparer.Ordinal)];

    private static bool IsImage(string file) =>
        !Path.GetFileName(file).StartsWith('.') && Extensions.Contains(Path.GetExtension(file).ToLowerInvariant());

    /// <summary>The image scaled to cover side × side and centre-cropped, as red, green, blue, alpha bytes (unpremultiplied, over black).</summary>
    private static byte[] DecodeSquare(string path, int side)
    {
        using var bitmap = SKBitmap.Decode(path)
            ?? throw new InvalidDataException($"{path} is not an image that can be decoded (PNG, JPEG, GIF, BMP, WebP), or it is damaged");
        var scale = side / (float)Math.Min(bitmap.Width, bitmap.Height);
        var (width, height) = (bitmap.Width * scale, bitmap.Height * scale);
        using var target = new SKBitmap(new SKImageInfo(side, side, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using (var canvas = new SKCanvas(target))
        {
            canvas.Clear(SKColors.Black);
            using var image = SKImage.FromBitmap(bitmap);
            canvas.DrawImage(image, SKRect.Create((side - width) / 2, (side - height) / 2, width, height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        }
        return target.GetPixelSpan().ToArray();
    }

    private static bool IsGrey(byte[] rgba)
    {
        for (var p = 0; p < rgba.Length; p += 4)
            if (rgba[p] != rgba[p + 1] || rgba[p] != rgba[p + 2]) return false;
        return true;
    }
}
