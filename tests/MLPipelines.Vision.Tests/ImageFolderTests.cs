using Microsoft.ML;
using MLPipelines.Tests;
using MLPipelines.Trainers;
using MLPipelines.Vision.Data;
using MLPipelines.Vision.Options;
using MLPipelines.Vision.Training;
using SkiaSharp;

namespace MLPipelines.Vision.Tests;

/// <summary>Image files in class folders: decoded, cropped, grey or colour, the faults named; written here from the Fashion-MNIST slice and from drawn images.</summary>
public sealed class ImageFolderTests : IDisposable
{
    private static readonly string Slice = Path.Combine(TestData.Root, "datasets", "fashion-mnist-slice");
    private readonly string _folder = TestData.TemporaryDirectory();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The first <paramref name="count"/> images of the slice as grey PNG files, a folder per class name ('/' made '-').</summary>
    private static string WriteFashionPngs(string folder, int count)
    {
        ImageFolder.Write(FashionMnist.Train(Slice).Subset([.. Enumerable.Range(0, count)]), folder);
        return folder;
    }

    private static void Save(SKBitmap bitmap, string path, SKEncodedImageFormat format)
    {
        using var data = bitmap.Encode(format, 95);
        File.WriteAllBytes(path, data.ToArray());
    }

    /// <summary>A width × height image whose columns are red left of <paramref name="left"/>, green up to <paramref name="right"/>, blue after.</summary>
    private static SKBitmap Stripes(int width, int height, int left, int right)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                bitmap.SetPixel(x, y, x < left ? SKColors.Red : x < right ? SKColors.Lime : SKColors.Blue);
        return bitmap;
    }

    [Fact]
    public void Grey_pngs_at_their_own_size_read_back_as_the_pixels_they_were_written_from()
    {
        var folder = WriteFashionPngs(Path.Combine(_folder, "fashion"), 60);
        File.WriteAllText(Path.Combine(folder, "Bag", "notes.txt"), "not an image: left out");

        var read = ImageFolder.Read(folder, side: 28);

        var original = FashionMnist.Train(Slice);
        Assert.Equal((60, 1, 28, 28), (read.Count, read.Channels, read.Height, read.Width));
        // Classes are the folder names in ordinal order; files in a class in name order, which is the order written.
        Assert.Equal(read.ClassNames.Order(StringComparer.Ordinal), read.ClassNames);
        var expectedOrder = Enumerable.Range(0, 60).OrderBy(i => original.ClassNames[original.Labels[i]].Replace('/', '-'), StringComparer.Ordinal).ThenBy(i => i).ToList();
        for (var i = 0; i < 60; i++)
        {
            Assert.Equal(original.ClassNames[original.Labels[expectedOrder[i]]].Replace('/', '-'), read.ClassNames[read.Labels[i]]);
            Assert.True(original.Image(expectedOrder[i]).SequenceEqual(read.Image(i)), $"image {i} differs");
        }
    }

    [Fact]
    public void Colour_images_are_scaled_to_cover_the_side_and_centre_cropped_into_red_green_and_blue_planes()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "colour", "wide"));
        Directory.CreateDirectory(Path.Combine(_folder, "colour", "tall"));
        // 40 × 20, shrunk to 20 × 10 for side 10: its centre 10 columns are the green stripe (columns 10 to 29 before).
        using (var wide = Stripes(40, 20, left: 10, right: 30)) Save(wide, Path.Combine(_folder, "colour", "wide", "a.png"), SKEncodedImageFormat.Png);
        using (var tall = Stripes(10, 30, left: 0, right: 0)) Save(tall, Path.Combine(_folder, "colour", "tall", "b.jpg"), SKEncodedImageFormat.Jpeg);

        var read = ImageFolder.Read(Path.Combine(_folder, "colour"), side: 10);

        Assert.Equal((2, 3, 10, 10), (read.Count, read.Channels, read.Height, read.Width));
        Assert.Equal(["tall", "wide"], read.ClassNames);
        var plane = 100;
        var tallImage = read.Image(0).ToArray();
        var wideImage = read.Image(1).ToArray();
        // Exact for the PNG at scale ½ (two columns average to one: all inside the green stripe); the JPEG within its loss.
        Assert.All(wideImage[..plane], v => Assert.Equal(0, v));
        Assert.All(wideImage[plane..(2 * plane)], v => Assert.Equal(255, v));
        Assert.All(wideImage[(2 * plane)..], v => Assert.Equal(0, v));
        Assert.All(tallImage[..(2 * plane)], v => Assert.InRange(v, 0, 10));
        Assert.All(tallImage[(2 * plane)..], v => Assert.InRange(v, 245, 255));
    }

    [Fact]
    public void Colour_images_written_as_pngs_read_back_the_same()
    {
        var random = new Random(5);
        var pixels = new byte[4 * 3 * 6 * 6];
        random.NextBytes(pixels);
        var images = new LabeledImages(3, 6, 6, pixels, [1, 0, 1, 2], ["cat", "dog", "n/a"]);

        ImageFolder.Write(images, Path.Combine(_folder, "round-trip"));
        var read = ImageFolder.Read(Path.Combine(_folder, "round-trip"), side: 6);

        Assert.Equal(["cat", "dog", "n-a"], read.ClassNames);
        Assert.Equal([0, 1, 1, 2], read.Labels);
        // Read by class folder: cat's image 1, then dog's images 0 and 2, then n/a's 3.
        int[] order = [1, 0, 2, 3];
        for (var i = 0; i < 4; i++) Assert.True(images.Image(order[i]).SequenceEqual(read.Image(i)), $"image {i} differs");
    }

    [Fact]
    public void Files_to_score_are_found_in_subfolders_and_decoded_to_the_channels_asked_for()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "score", "b", ".hidden"));
        using (var wide = Stripes(40, 20, left: 10, right: 30)) Save(wide, Path.Combine(_folder, "score", "b", "stripes.png"), SKEncodedImageFormat.Png);
        using (var copy = Stripes(4, 4, left: 4, right: 4)) Save(copy, Path.Combine(_folder, "score", "b", ".hidden", "skipped.png"), SKEncodedImageFormat.Png);
        using (var red = Stripes(4, 4, left: 4, right: 4)) Save(red, Path.Combine(_folder, "score", "a.png"), SKEncodedImageFormat.Png);
        File.WriteAllText(Path.Combine(_folder, "score", "notes.txt"), "not an image");

        var files = ImageFolder.FilesAt(Path.Combine(_folder, "score"));

        Assert.Equal([Path.Combine(_folder, "score", "a.png"), Path.Combine(_folder, "score", "b", "stripes.png")], files);
        Assert.Equal(files.Take(1), ImageFolder.FilesAt(files[0]));
        // Grey is BT.601 luma: pure red 0.299 · 255 = 76, the green stripe 0.587 · 255 = 150 (rounded).
        var grey = ImageFolder.Decode(files, side: 10, channels: 1);
        Assert.Equal(200, grey.Length);
        Assert.All(grey[..100], v => Assert.Equal(76, v));
        Assert.All(grey[100..], v => Assert.Equal(150, v));
        var colour = ImageFolder.Decode(files, side: 10, channels: 3);
        Assert.Equal(600, colour.Length);
        Assert.All(colour[..100], v => Assert.Equal(255, v));
        Assert.All(colour[400..500], v => Assert.Equal(255, v));

        var notImages = Path.Combine(_folder, "not-images");
        Directory.CreateDirectory(notImages);
        File.WriteAllText(Path.Combine(notImages, "notes.txt"), "not an image");
        Assert.Contains($"{notImages} holds no image files", Assert.Throws<InvalidDataException>(() => ImageFolder.FilesAt(notImages)).Message);
        Assert.Contains("is not an image file", Assert.Throws<InvalidDataException>(() => ImageFolder.FilesAt(Path.Combine(notImages, "notes.txt"))).Message);
    }

    [Fact]
    public void Faults_name_the_folder_or_the_file()
    {
        Assert.Contains("does not exist", Assert.Throws<DirectoryNotFoundException>(() => ImageFolder.Read(Path.Combine(_folder, "absent"), 8)).Message);
        Directory.CreateDirectory(Path.Combine(_folder, "flat"));
        Assert.Contains("has no class folders", Assert.Throws<InvalidDataException>(() => ImageFolder.Read(Path.Combine(_folder, "flat"), 8)).Message);

        var root = WriteFashionPngs(Path.Combine(_folder, "faults"), 10);
        var empty = Path.Combine(root, "Zzz");
        Directory.CreateDirectory(empty);
        Assert.Contains($"the class folder {empty} holds no images", Assert.Throws<InvalidDataException>(() => ImageFolder.Read(root, 8)).Message);
        var damaged = Path.Combine(empty, "broken.png");
        File.WriteAllBytes(damaged, [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        Assert.Contains($"{damaged} is not an image that can be decoded", Assert.Throws<InvalidDataException>(() => ImageFolder.Read(root, 8)).Message);
    }

    [Fact]
    public void A_small_cnn_learns_colour_images_and_reads_their_channels_from_the_vector()
    {
        // Red-dominant against blue-dominant images with random texture: the class is in the colour planes alone.
        var random = new Random(3);
        foreach (var (name, dominant) in new[] { ("red", 0), ("blue", 2) })
        {
            Directory.CreateDirectory(Path.Combine(_folder, "tint", name));
            for (var i = 0; i < 40; i++)
            {
                using var bitmap = new SKBitmap(new SKImageInfo(16, 16, SKColorType.Rgba8888, SKAlphaType.Unpremul));
                for (var y = 0; y < 16; y++)
                    for (var x = 0; x < 16; x++)
                    {
                        var texture = (byte)random.Next(0, 120);
                        bitmap.SetPixel(x, y, dominant == 0 ? new SKColor((byte)(texture + 100), texture, texture) : new SKColor(texture, texture, (byte)(texture + 100)));
                    }
                Save(bitmap, Path.Combine(_folder, "tint", name, $"{i:D2}.png"), SKEncodedImageFormat.Png);
            }
        }
        var ml = new MLContext(seed: 1);
        var images = LabelPreparation.Prepare(ml, ImageFolder.Read(Path.Combine(_folder, "tint"), side: 32).ToDataView(), "Label", PredictionTask.MulticlassClassification);
        var model = new ImageClassificationTrainer(new ImageClassificationOptions { Architecture = ImageArchitecture.SmallCnn, Epochs = 3, MinimumSteps = 30 }, seed: 1).Fit(images);

        Assert.Equal(3, model.Model.Network.Input.Channels);
        Assert.True(ml.MulticlassClassification.Evaluate(model.Transform(images)).MicroAccuracy > 0.9);
    }
}
