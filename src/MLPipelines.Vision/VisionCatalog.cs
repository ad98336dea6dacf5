using Microsoft.ML;
using MLPipelines.Vision.Options;
using MLPipelines.Vision.Training;

namespace MLPipelines.Vision;

/// <summary>
/// The image classifier in ML.NET's multiclass catalog, named as ML.NET Vision's:
/// <c>ml.MulticlassClassification.Trainers.ImageClassification(...)</c>.
/// </summary>
public static class VisionCatalog
{
    /// <summary>ML.NET's pretrained ResNet fine-tuned on square grey images in <paramref name="featureColumnName"/> (pixels 0–255).</summary>
    public static ImageClassificationTrainer ImageClassification(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features") =>
        ImageClassification(catalog, new ImageClassificationOptions { LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName });

    public static ImageClassificationTrainer ImageClassification(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        ImageClassificationOptions options) => new(options, ContextSeed.For(catalog, options.Seed));
}
