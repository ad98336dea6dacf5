using Microsoft.ML;
using Microsoft.ML.Trainers.LightGbm;
using MLPipelines.AutoML;
using MLPipelines.Trainers;
using MLPipelines.Vision.Options;
using MLPipelines.Vision.Training;
using MLPipelines.XGBoost.Training;

namespace MLPipelines.Vision.Comparison;

/// <summary>
/// The candidates of a comparison (<see cref="CrossValidation.Compare"/>) or an AutoML experiment on
/// images: rows of a class label and a pixel column (<see cref="Data.ImageDataViews.ToDataView"/>, or
/// ML.NET's ExtractPixels). The classical side is XGBoost and LightGbm on the raw pixels (one feature a
/// pixel, as a user without a network would start); the deep side the image classifiers. Every
/// candidate reads the pixel column as it is: the tabular featurizer, which reads columns, not vectors,
/// is not in front of them. Multiclass only, as the image classifier.
/// </summary>
public static class ImageCandidates
{
    /// <summary>
    /// Every image candidate: the baseline (the most frequent class); XGBoost and LightGbm on pixels (their
    /// published search spaces, tuned by an experiment); the small CNN and ResNet-18 from random weights;
    /// the pretrained ResNet-18 frozen with a new head, with its last stage fine-tuned, and fully
    /// fine-tuned. <paramref name="images"/> gives the pixel column, the images' shape and size and any
    /// other option the deep candidates share (null: ImageClassificationOptions' defaults).
    /// </summary>
    public static IReadOnlyList<Candidate> All(ImageClassificationOptions? images = null)
    {
        var template = images ?? new ImageClassificationOptions();
        var pixels = template.FeatureColumnName;
        return
        [
            new("Baseline", ModelFamily.Baseline, s => new BaselineTrainer(RequireMulticlass(s), new TrainerColumns(s.LabelColumnName, pixels))),
            XGBoost(pixels),
            LightGbm(pixels),
            Deep("Small CNN", template with { Architecture = ImageArchitecture.SmallCnn, FineTuning = ImageFineTuning.Full }),
            Deep("ResNet-18 frozen", template with { Architecture = ImageArchitecture.ResNet18Pretrained, FineTuning = ImageFineTuning.Frozen }),
            Deep("ResNet-18 last stage", template with { Architecture = ImageArchitecture.ResNet18Pretrained, FineTuning = ImageFineTuning.LastStage }),
            Deep("ResNet-18 fine-tuned", template with { Architecture = ImageArchitecture.ResNet18Pretrained, FineTuning = ImageFineTuning.Full }),
            Deep("ResNet-18 from scratch", template with { Architecture = ImageArchitecture.ResNet18, FineTuning = ImageFineTuning.Full }),
        ];
    }

    /// <summary>
    /// What runs by default, cheapest first: the baseline, XGBoost and LightGbm on pixels, the small CNN, the
    /// frozen ResNet-18 and the fine-tuned one — the four models of the images benchmark and LightGbm. (The
    /// last stage fine-tuned and ResNet-18 from scratch are there by name.)
    /// </summary>
    public static IReadOnlyList<Candidate> Portfolio(ImageClassificationOptions? images = null) =>
        Candidate.Named(["baseline", "xgboost", "lightgbm", "small-cnn", "resnet-18-frozen", "resnet-18-fine-tuned"], All(images));

    /// <summary>An image classifier as a deep candidate; the fit's time limit, progress and cancellation reach its trainer.</summary>
    public static Candidate Deep(string name, ImageClassificationOptions options) =>
        new(name, ModelFamily.Deep, s =>
        {
            RequireMulticlass(s);
            var configured = options with { LabelColumnName = s.LabelColumnName, TimeLimit = s.TimeLimit ?? options.TimeLimit };
            return new ImageClassificationTrainer(configured, options.Seed ?? s.Seed) { Progress = s.Epochs, CancellationToken = s.Cancellation };
        });

    /// <summary>XGBoost's boosted trees on the pixels, with the tabular candidate's published search space.</summary>
    public static Candidate XGBoost(string pixels) =>
        new("XGBoost", ModelFamily.Classical, s =>
        {
            var options = new GradientBoostedTreesOptions { LabelColumnName = s.LabelColumnName, FeatureColumnName = pixels, Threads = s.Threads };
            return new GradientBoostedTreesTrainer(RequireMulticlass(s), PublishedSearchSpaces.XGBoost(options, s.Configuration), s.Seed)
                { CancellationToken = s.Cancellation, Progress = s.Rounds };
        }) { SearchSpace = PublishedSearchSpaces.XGBoostSpace };

    /// <summary>ML.NET's LightGbm on the pixels, with the tabular candidate's published search space.</summary>
    public static Candidate LightGbm(string pixels) =>
        new("LightGbm", ModelFamily.Classical, s =>
        {
            RequireMulticlass(s);
            var g = PublishedSearchSpaces.LightGbm(s.Configuration);
            return s.Context.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                LabelColumnName = s.LabelColumnName, FeatureColumnName = pixels, NumberOfThreads = s.Threads, Seed = s.Seed,
                NumberOfLeaves = g.Leaves, NumberOfIterations = g.Rounds, LearningRate = g.LearningRate, Booster = g.Booster,
            });
        }) { SearchSpace = PublishedSearchSpaces.LightGbmSpace };

    private static PredictionTask RequireMulticlass(CandidateSettings settings) =>
        settings.Task == PredictionTask.MulticlassClassification
            ? settings.Task
            : throw new ArgumentException($"image candidates classify images (multiclass), not {settings.Task}");
}
