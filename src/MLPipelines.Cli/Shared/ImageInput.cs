using Microsoft.ML;
using MLPipelines.AutoML;
using MLPipelines.Data;
using MLPipelines.Vision.Comparison;
using MLPipelines.Vision.Data;
using MLPipelines.Vision.Options;

namespace MLPipelines.Cli.Shared;

/// <summary>
/// <c>--images</c> of compare and automl: labeled images as rows of a class label and a pixel column, and the
/// image candidates that read them (<see cref="ImageCandidates"/>). The path is an IDX images file or a folder
/// holding one (<see cref="IdxDataset"/>), or a folder of class folders of image files (<see cref="ImageFolder"/>).
/// </summary>
internal sealed class ImageInput
{
    public const string Label = "Label";
    public const string Pixels = "Pixels";

    /// <summary>The side image files are decoded to when no --image-size is given: cheap enough for trees on pixels and CPU networks.</summary>
    public const int DefaultFileSide = 64;

    /// <summary>Every image candidate with default networks: the names a command line or pipeline file may give.</summary>
    public static IReadOnlyList<Candidate> AllCandidates { get; } = ImageCandidates.All();

    public static IReadOnlyList<Candidate> PortfolioCandidates { get; } = ImageCandidates.Portfolio();

    /// <summary>What the command-line help lists.</summary>
    public static string ModelNames => string.Join(", ", AllCandidates.Select(c => Candidate.Key(c.Name)));

    public static string PortfolioNames => string.Join(", ", PortfolioCandidates.Select(c => Candidate.Key(c.Name)));

    /// <summary>The options the deep candidates share: the pixel column and the side the networks resize to.</summary>
    private readonly ImageClassificationOptions _networks;

    public LabeledImages Images { get; }

    public IDataView Data { get; }

    /// <summary>
    /// Reads <paramref name="path"/>. IDX images keep their size and the networks resize them to
    /// <paramref name="imageSize"/> (null: each network's default); image files are decoded to
    /// <paramref name="imageSize"/> (default <see cref="DefaultFileSide"/>), the size the networks then take them at.
    /// A missing or malformed file is a <see cref="DataValidationException"/> that names it.
    /// </summary>
    public ImageInput(string path, int? imageSize, TextWriter? progress = null)
    {
        try
        {
            if (IsImageFolder(path))
            {
                var side = imageSize ?? DefaultFileSide;
                Images = ImageFolder.Read(path, side, n =>
                {
                    if (n % 1000 == 0) progress?.WriteLine($"decoded {n:N0} images");
                });
                _networks = new ImageClassificationOptions { FeatureColumnName = Pixels, ResizeTo = side };
            }
            else
            {
                Images = IdxDataset.Read(path);
                _networks = new ImageClassificationOptions { FeatureColumnName = Pixels, ResizeTo = imageSize };
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new DataValidationException(e.Message);
        }
        Data = Images.ToDataView(Label, Pixels);
    }

    /// <summary>A folder with class folders and no IDX images file in it.</summary>
    private static bool IsImageFolder(string path) =>
        Directory.Exists(path) && Directory.GetDirectories(path).Length > 0 && !IdxDataset.IsIdx(path);

    /// <summary>The candidates named (null: the portfolio); an unknown name is an error that lists the image models.</summary>
    public IReadOnlyList<Candidate> Candidates(IEnumerable<string>? names) =>
        names is null ? ImageCandidates.Portfolio(_networks) : Candidate.Named(names, ImageCandidates.All(_networks));

    /// <summary>"1,000 images of 28 × 28 grey pixels in 10 classes".</summary>
    public string Description =>
        $"{Images.Count:N0} images of {Images.Height} × {Images.Width} {(Images.Channels == 1 ? "grey" : "colour")} pixels in {Images.ClassNames.Count} classes";

    /// <summary>The options compare and automl take for tables only, refused with images.</summary>
    public static void RefuseTableOptions(params (string Option, object? Value)[] given)
    {
        foreach (var (option, value) in given)
            if (value is not null)
                throw new ArgumentException($"{option} is for a CSV (--data): with --images the label is the images' class and the task multiclass");
    }
}
