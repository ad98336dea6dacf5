using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Cli.Shared;
using MLPipelines.Data;
using MLPipelines.Data.Csv;
using MLPipelines.Data.DataViews;
using MLPipelines.ModelFiles;
using MLPipelines.Vision.Data;
using MLPipelines.Vision.Networks;

namespace MLPipelines.Cli.Predict;

/// <summary>
/// <c>predict --images</c>: scores images with a model that reads a pixel vector (an image champion of
/// <c>automl --images</c>, or any pipeline of an image trainer saved with its input schema). The images are image
/// files — one file, or every image file in a folder and its subfolders, decoded to the model's size and channels
/// as <see cref="ImageFolder"/> decodes them for training — or an IDX images file with its labels (a folder holding one).
/// Each row of the written CSV is an image: <c>Image</c> (its path relative to the folder, or its index in the IDX
/// file), <c>Label</c> (its class folder's name, or the IDX label; empty for a file outside class folders), then the
/// model's predictions.
/// </summary>
internal static class ImageScoring
{
    private sealed class ImageRow
    {
        public string Image { get; set; } = "";
        public string Label { get; set; } = "";
        public float[] Pixels { get; set; } = [];
    }

    public static int Run(FileInfo modelFile, string path, FileInfo output)
    {
        var ml = new MLContext();
        var model = ModelLoading.Load(ml, modelFile, out var schema);
        if (model is null) return 2;
        var vectors = schema.Where(c => !c.IsHidden && ColumnReaders.IsSingleVector(c.Type)).ToList();
        if (vectors.Count != 1)
            return Fail($"{modelFile.Name} does not read images: its input has {vectors.Count} vector columns, an image model reads one pixel vector " +
                        "(score tables with --input)");
        var pixels = vectors[0];
        ImageShape shape;
        try
        {
            // Image models read square images; a length that is not one is not an image model's.
            shape = ImageShape.Of(((VectorDataViewType)pixels.Type).Size, null, null, null, pixels.Name);
        }
        catch (ArgumentException e)
        {
            return Fail($"{modelFile.Name} does not read images: {e.Message}");
        }
        if (schema.GetColumnOrNull(ImageInput.Label) is { Type: not TextDataViewType } label)
            return Fail($"{modelFile.Name} reads '{label.Name}' as {label.Type}: predict --images gives it the class folder's name as text");

        Images images;
        try
        {
            images = IdxDataset.IsIdx(path) ? FromIdx(path, shape) : FromFiles(path, shape);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or DataValidationException)
        {
            return Fail(e.Message);
        }
        var definition = SchemaDefinition.Create(typeof(ImageRow));
        definition[nameof(ImageRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, shape.Length);
        definition[nameof(ImageRow.Pixels)].ColumnName = pixels.Name;
        try
        {
            // Rows made as the cursor reads them: the pixels stay bytes until then.
            var rows = Enumerable.Range(0, images.Names.Length).Select(i => new ImageRow
            {
                Image = images.Names[i], Label = images.Labels[i], Pixels = Floats(images.Pixels, i, shape.Length),
            });
            var scored = model.Transform(ml.Data.LoadFromEnumerable(rows, definition));
            var table = ColumnReaders.ToTable(scored, PredictCommand.WrittenColumns(scored));
            CsvWriter.Write(SingleScores.Shortest(table), output.FullName, CsvFormat.Written);
            Console.WriteLine($"scored {images.Names.Length:N0} images ({shape} pixels) of {path} into {output.Name}");
            if (Accuracy(images.Labels, scored, table) is { } accuracy)
                Console.WriteLine($"accuracy {accuracy.Share:F4} on the {accuracy.Labeled:N0} images whose label names one of the model's classes");
            return 0;
        }
        catch (Exception e) when (ModelLoading.Cause(e) is DataValidationException or ModelFileException or ArgumentException)
        {
            return Fail(ModelLoading.Cause(e).Message);
        }
    }

    /// <summary>Images to score: each one's name and label (empty when unknown), and their pixels, image after image.</summary>
    private sealed record Images(string[] Names, string[] Labels, byte[] Pixels);

    private static Images FromFiles(string path, ImageShape shape)
    {
        var files = ImageFolder.FilesAt(path);
        var bytes = ImageFolder.Decode(files, shape.Height, shape.Channels, n =>
        {
            if (n % 1000 == 0) Console.WriteLine($"decoded {n:N0} of {files.Count:N0} images");
        });
        var root = File.Exists(path) ? Path.GetDirectoryName(Path.GetFullPath(path))! : path;
        var names = files.Select(file => Path.GetRelativePath(root, file)).ToArray();
        var labels = names.Select(name => Path.GetFileName(Path.GetDirectoryName(name)) ?? "").ToArray();
        return new Images(names, labels, bytes);
    }

    private static Images FromIdx(string path, ImageShape shape)
    {
        var images = IdxDataset.Read(path);
        if ((images.Channels, images.Height, images.Width) != (shape.Channels, shape.Height, shape.Width))
            throw new DataValidationException($"{path} holds {images.Channels} × {images.Height} × {images.Width} images; the model reads {shape}");
        return new Images([.. Enumerable.Range(0, images.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            [.. images.Labels.Select(l => images.ClassNames[l])], images.Pixels);
    }

    private static float[] Floats(byte[] pixels, int image, int length)
    {
        var values = new float[length];
        for (var p = 0; p < length; p++) values[p] = pixels[(long)image * length + p];
        return values;
    }

    /// <summary>The share of images predicted as their label, among those whose label is one of the model's classes (its scores' slot names); null when none is.</summary>
    private static (double Share, int Labeled)? Accuracy(string[] labels, IDataView scored, DataTable table)
    {
        if (table.Columns.FirstOrDefault(c => c.Name == "PredictedLabel") is not CategoricalColumn predicted
            || scored.Schema.GetColumnOrNull("Score") is not { } score || !score.HasSlotNames()) return null;
        VBuffer<ReadOnlyMemory<char>> names = default;
        score.GetSlotNames(ref names);
        var classes = names.DenseValues().Select(n => n.ToString()).ToHashSet(StringComparer.Ordinal);
        var labeled = Enumerable.Range(0, labels.Length).Where(i => classes.Contains(labels[i])).ToList();
        if (labeled.Count == 0) return null;
        var right = labeled.Count(i => predicted[i] == labels[i]);
        return ((double)right / labeled.Count, labeled.Count);
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 2;
    }
}
