using Microsoft.ML;
using MLPipelines.AutoML;
using MLPipelines.Data;
using MLPipelines.Vision.Comparison;
using MLPipelines.Vision.Data;
using MLPipelines.Vision.Options;

namespace MLPipelines.Cli.Shared;

/// <summary>
/// <c>--images</c> of compare and automl: labeled images (IDX files) as rows of a class label and a pixel
/// column, and the image candidates that read them (<see cref="ImageCandidates"/>).
/// </summary>
internal sealed class ImageInput
{
    public const string Label = "Label";
    public const string Pixels = "Pixels";

    /// <summary>What the command-line help lists.</summary>
    public static string ModelNames => string.Join(", ", ImageCandidates.All().Select(c => Candidate.Key(c.Name)));

    public static string PortfolioNames => string.Join(", ", ImageCandidates.Portfolio().Select(c => Candidate.Key(c.Name)));

    public LabeledImages Images { get; }

    public IDataView Data { get; }

    /// <summary>Reads <paramref name="path"/> (<see cref="IdxDataset.Read"/>); a missing or malformed file is a <see cref="DataValidationException"/> that names it.</summary>
    public ImageInput(MLContext ml, string path)
    {
        try
        {
            Images = IdxDataset.Read(path);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new DataValidationException(e.Message);
        }
        Data = Images.ToDataView(ml, Label, Pixels);
    }

    /// <summary>
    /// The candidates named (null: the portfolio), their networks resizing images to <paramref name="imageSize"/>
    /// (null: their defaults); an unknown name is an error that lists the image models.
    /// </summary>
    public static IReadOnlyList<Candidate> Candidates(IEnumerable<string>? names, int? imageSize)
    {
        var networks = new ImageClassificationOptions { FeatureColumnName = Pixels, ResizeTo = imageSize };
        return names is null ? ImageCandidates.Portfolio(networks) : Candidate.Named(names, ImageCandidates.All(networks));
    }

    /// <summary>"1,000 images of 28 × 28 grey pixels in 10 classes".</summary>
    public string Description => $"{Images.Count:N0} images of {Images.Height} × {Images.Width} grey pixels in {Images.ClassNames.Count} classes";

    /// <summary>The options compare and automl take for tables only, refused with images.</summary>
    public static void RefuseTableOptions(params (string Option, object? Value)[] given)
    {
        foreach (var (option, value) in given)
            if (value is not null)
                throw new ArgumentException($"{option} is for a CSV (--data): with --images the label is the images' class and the task multiclass");
    }
}
