using MLPipelines.Trainers;

namespace MLPipelines.Vision.Options;

/// <summary>The network an image classifier trains.</summary>
public enum ImageArchitecture
{
    /// <summary>ML.NET's ImageNet-pretrained ResNet (Microsoft.ML.DnnImageFeaturizer.ResNet18), fine-tuned as <see cref="ImageClassificationOptions.FineTuning"/> says.</summary>
    ResNet18Pretrained,

    /// <summary>ResNet-18 (torchvision's) from random weights.</summary>
    ResNet18,

    /// <summary>A small CNN from random weights (<see cref="Networks.SmallCnn"/>): fast, for small images.</summary>
    SmallCnn,
}

/// <summary>Which parts of a pretrained network train.</summary>
public enum ImageFineTuning
{
    /// <summary>Every layer: the body at <see cref="ImageClassificationOptions.BodyLearningRateFactor"/> × the head's rate.</summary>
    Full,

    /// <summary>The last stage and the head; the rest frozen (its batch-norm statistics too).</summary>
    LastStage,

    /// <summary>The head alone, on the frozen body's features (computed once: the fastest mode).</summary>
    Frozen,
}

/// <summary>
/// Options of <see cref="Training.ImageClassificationTrainer"/>, named after ML.NET Vision's
/// ImageClassificationTrainer where they mean the same. The feature column holds each image's pixels
/// (0–255) as a known-size vector, channel after channel ([C, H, W], ML.NET's ExtractPixels with
/// interleave off; colour channels red, green, blue).
/// </summary>
public sealed record ImageClassificationOptions : TrainerOptions
{
    public ImageArchitecture Architecture { get; init; } = ImageArchitecture.ResNet18Pretrained;

    /// <summary>What trains of a pretrained network; from-scratch architectures train fully. Default Full.</summary>
    public ImageFineTuning FineTuning { get; init; } = ImageFineTuning.Full;

    /// <summary>Image height in pixels; null: the images are square (the vector's length / channels is a square).</summary>
    public int? ImageHeight { get; init; }

    /// <summary>Image width in pixels; null: as <see cref="ImageHeight"/>.</summary>
    public int? ImageWidth { get; init; }

    /// <summary>
    /// Channels per image: 1 (grey) or 3 (red, green, blue); null (the default): from the vector's length — square grey
    /// images when it is a square, square colour images when it is three times one (never both).
    /// </summary>
    public int? ImageChannels { get; init; }

    /// <summary>
    /// The side images are resized to (bilinearly) before the network; null: 224 for the pretrained ResNet (the
    /// resolution of its ImageNet training), the images' own size (at least 32) otherwise. Smaller is faster:
    /// an epoch costs about the square of this.
    /// </summary>
    public int? ResizeTo { get; init; }

    /// <summary>Passes over the training images at most, unless <see cref="MinimumSteps"/> needs more. Default 30.</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>
    /// Training takes at least this many steps (batches) before early stopping may end it, with as many more epochs
    /// as that needs. Default 500, the schedule length BiT-HyperRule (Kolesnikov et al. 2020) gives transfer to small
    /// datasets: a hundred images are two batches an epoch, and a few dozen steps leave the network, and its batch-norm
    /// statistics, far from settled.
    /// </summary>
    public int MinimumSteps { get; init; } = 500;

    /// <summary>Images per step. Default 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>AdamW's learning rate of the head (and of every layer trained from scratch). Default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>The pretrained body's rate as a fraction of <see cref="LearningRate"/> (discriminative rates, as ULMFiT). Default 0.1.</summary>
    public double BodyLearningRateFactor { get; init; } = 0.1;

    /// <summary>
    /// Whether the learning rates decay along a half cosine to zero over the schedule (<see cref="Epochs"/> or
    /// <see cref="MinimumSteps"/>, whichever is longer), as fine-tuning recipes do (Loshchilov and Hutter 2017; timm);
    /// otherwise they stay constant. Default true.
    /// </summary>
    public bool CosineDecay { get; init; } = true;

    /// <summary>AdamW's decoupled weight decay. Default 1e-4.</summary>
    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>Stop after this many epochs without a better validation log-loss (the best epoch is kept); null: never. Default 5.</summary>
    public int? EarlyStoppingPatience { get; init; } = 5;

    /// <summary>
    /// The fraction of training images held out (stratified) to choose the epoch by, for early stopping. Null (the default):
    /// none when a pretrained body is fine-tuned (Full, LastStage) — every image trains, the whole schedule runs and its
    /// last epoch is kept, as BiT-HyperRule (Kolesnikov et al. 2020) fine-tunes; 0.1 (ML.NET Vision's) otherwise. A split is
    /// held out only when it makes at least 10 images per class on average: with fewer, the full schedule trains on every image.
    /// </summary>
    public double? ValidationSetFraction { get; init; }

    /// <summary>What <see cref="ValidationSetFraction"/> means for these options.</summary>
    public double EffectiveValidationSetFraction => ValidationSetFraction
        ?? (Architecture == ImageArchitecture.ResNet18Pretrained && FineTuning != ImageFineTuning.Frozen ? 0 : 0.1);

    /// <summary>Random shifts (up to an eighth of the side, zero-padded) and horizontal flips of training images, seeded. Default true.</summary>
    public bool Augmentation { get; init; } = true;

    /// <summary>A wall-clock limit on training; the best epoch so far is kept. Null: none.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>The pretrained model file; null: found next to the application or in the NuGet cache (<see cref="Pretrained.PretrainedResNet.Locate"/>).</summary>
    public string? PretrainedModelPath { get; init; }

    /// <summary>The trainer's name in leaderboards and progress.</summary>
    public string Name => Architecture switch
    {
        ImageArchitecture.ResNet18Pretrained => FineTuning switch
        {
            ImageFineTuning.Full => "ResNet-18 (fine-tuned)",
            ImageFineTuning.LastStage => "ResNet-18 (last stage fine-tuned)",
            _ => "ResNet-18 (frozen features)",
        },
        ImageArchitecture.ResNet18 => "ResNet-18 (from scratch)",
        _ => "Small CNN",
    };
}
