using MLPipelines.Vision.Data;

namespace MLPipelines.Vision.Tests;

/// <summary>The IDX format on files the tests write, and its faults reported with the file and the fault.</summary>
public sealed class IdxFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("idx-tests-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    private string WriteBytes(string name, params byte[] bytes)
    {
        File.WriteAllBytes(PathOf(name), bytes);
        return PathOf(name);
    }

    [Theory]
    [InlineData("images.idx")]
    [InlineData("images.idx.gz")]
    public void Writes_and_reads_back_raw_and_gzip_files(string name)
    {
        var values = Enumerable.Range(0, 2 * 3 * 4).Select(v => (byte)(v * 10)).ToArray();
        IdxFile.Write(PathOf(name), new IdxArray([2, 3, 4], values));
        var read = IdxFile.Read(PathOf(name));
        Assert.Equal([2, 3, 4], read.Shape);
        Assert.Equal(values, read.Values);
        Assert.False(File.Exists(PathOf(name) + ".partial"));
    }

    [Fact]
    public void Reads_the_header_as_big_endian()
    {
        // Two zero bytes, type 0x08, one dimension of 258 = 0x00000102 values.
        var path = WriteBytes("labels.idx", [0, 0, 8, 1, 0, 0, 1, 2, .. Enumerable.Repeat((byte)7, 258)]);
        Assert.Equal([258], IdxFile.Read(path).Shape);
    }

    [Fact]
    public void Faulty_files_name_the_file_and_the_fault()
    {
        string Fault(string name, params byte[] bytes) => Assert.Throws<InvalidDataException>(() => IdxFile.Read(WriteBytes(name, bytes))).Message;

        var badMagic = Fault("png.idx", 0x89, 0x50, 0x4E, 0x47);
        Assert.Contains("png.idx", badMagic);
        Assert.Contains("not an IDX file", badMagic);
        Assert.Contains("0x89 0x50", badMagic);
        Assert.Contains("only unsigned bytes", Fault("floats.idx", 0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0));
        Assert.Contains("shorter than its 4-byte header", Fault("short.idx", 0, 0));
        Assert.Contains("declares 3 dimensions but ends after 1", Fault("header.idx", 0, 0, 8, 3, 0, 0, 0, 2, 0, 0));
        var truncated = Fault("truncated.idx", 0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4);
        Assert.Contains("truncated: [2, 3] needs 6 values, the file has 4", truncated);
        Assert.Contains("more data than its header's [2]", Fault("long.idx", 0, 0, 8, 1, 0, 0, 0, 2, 1, 2, 3));
        Assert.Contains("gzip stream is damaged", Fault("damaged.idx.gz", 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF));
        Assert.Throws<FileNotFoundException>(() => IdxFile.Read(PathOf("absent.idx")));
    }

    [Fact]
    public void Images_and_labels_must_agree()
    {
        string[] classes = ["a", "b", "c"];
        IdxFile.Write(PathOf("images"), new IdxArray([3, 2, 2], new byte[12]));
        IdxFile.Write(PathOf("labels"), new IdxArray([3], [0, 2, 1]));
        var images = LabeledImages.ReadIdx(PathOf("images"), PathOf("labels"), classes);
        Assert.Equal((3, 2, 2), (images.Count, images.Height, images.Width));
        Assert.Equal([2, 0], images.Subset([1, 0]).Labels);

        IdxFile.Write(PathOf("two-labels"), new IdxArray([2], [0, 1]));
        Assert.Contains("has 3 images but", Assert.Throws<InvalidDataException>(
            () => LabeledImages.ReadIdx(PathOf("images"), PathOf("two-labels"), classes)).Message);
        IdxFile.Write(PathOf("bad-label"), new IdxArray([3], [0, 3, 1]));
        Assert.Contains("label 1 is 3, but there are 3 classes", Assert.Throws<InvalidDataException>(
            () => LabeledImages.ReadIdx(PathOf("images"), PathOf("bad-label"), classes)).Message);
        Assert.Contains("not [3]", Assert.Throws<InvalidDataException>(
            () => LabeledImages.ReadIdx(PathOf("labels"), PathOf("labels"), classes)).Message);
    }

    /// <summary>An MNIST-style pair: <c>name-images-idx3-ubyte</c> (images of 2 × 2) and <c>name-labels-idx1-ubyte</c>, each with its own extension.</summary>
    private void WriteSet(string folder, string name, byte[] labels, string imagesExtension = ".gz", string labelsExtension = ".gz")
    {
        Directory.CreateDirectory(folder);
        IdxFile.Write(Path.Combine(folder, $"{name}-images-idx3-ubyte{imagesExtension}"), new IdxArray([labels.Length, 2, 2], new byte[labels.Length * 4]));
        IdxFile.Write(Path.Combine(folder, $"{name}-labels-idx1-ubyte{labelsExtension}"), new IdxArray([labels.Length], labels));
    }

    [Fact]
    public void A_dataset_is_found_by_its_images_file_or_its_folder_and_its_classes_are_numbered()
    {
        var folder = PathOf("mnist");
        WriteSet(folder, "train", [0, 2, 1, 2]);
        WriteSet(folder, "t10k", [1, 0]);
        // A folder with a training and a test set: the training set; its classes 0 to the largest label.
        var train = IdxDataset.Read(folder);
        Assert.Equal(4, train.Count);
        Assert.Equal(["0", "1", "2"], train.ClassNames);
        // The images file names its set; the labels are beside it, compressed or not.
        Assert.Equal(2, IdxDataset.Read(Path.Combine(folder, "t10k-images-idx3-ubyte.gz")).Count);
        WriteSet(PathOf("mixed"), "digits", [1, 1, 0], imagesExtension: "", labelsExtension: ".gz");
        Assert.Equal([1, 1, 0], IdxDataset.Read(PathOf("mixed")).Labels);
        Assert.Equal(["a", "b"], IdxDataset.Read(PathOf("mixed"), ["a", "b"]).ClassNames);
    }

    [Fact]
    public void A_dataset_that_cannot_be_found_says_what_is_there()
    {
        WriteSet(PathOf("two"), "letters", [0]);
        WriteSet(PathOf("two"), "digits", [0]);
        var ambiguous = Assert.Throws<InvalidDataException>(() => IdxDataset.Read(PathOf("two"))).Message;
        Assert.Contains("several IDX images files and none is a training set (digits-images-idx3-ubyte.gz, letters-images-idx3-ubyte.gz)", ambiguous);

        Directory.CreateDirectory(PathOf("empty"));
        Assert.Contains("holds no IDX images file", Assert.Throws<FileNotFoundException>(() => IdxDataset.Read(PathOf("empty"))).Message);
        Assert.Contains("does not exist", Assert.Throws<FileNotFoundException>(() => IdxDataset.Read(PathOf("absent"))).Message);

        File.Delete(Path.Combine(PathOf("two"), "digits-labels-idx1-ubyte.gz"));
        var unlabeled = Assert.Throws<FileNotFoundException>(() => IdxDataset.Read(Path.Combine(PathOf("two"), "digits-images-idx3-ubyte.gz"))).Message;
        Assert.Contains("has no labels file beside it (digits-labels-idx1-ubyte.gz or digits-labels-idx1-ubyte)", unlabeled);
    }
}
