using Microsoft.ML;
using MLPipelines.Deep.Options;
using MLPipelines.Deep.Training;
using MLPipelines.Trainers;

namespace MLPipelines.Deep;

/// <summary>
/// The deep trainers in ML.NET's trainer catalogs: <c>ml.Regression.Trainers.TabM()</c>,
/// <c>Mlp()</c>, <c>ResNet()</c>, <c>FTTransformer()</c>, for regression, binary and multiclass
/// classification; each with ML.NET's column parameters or an options object.
/// </summary>
public static class DeepCatalog
{
    public static DeepTrainer Mlp(this RegressionCatalog.RegressionTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features",
        string? exampleWeightColumnName = null) => Create(catalog, PredictionTask.Regression, new MlpOptions().WithColumns(labelColumnName, featureColumnName, exampleWeightColumnName));

    public static DeepTrainer Mlp(this RegressionCatalog.RegressionTrainers catalog, MlpOptions options) => Create(catalog, PredictionTask.Regression, options);

    public static DeepTrainer Mlp(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features",
        string? exampleWeightColumnName = null) => Create(catalog, PredictionTask.BinaryClassification, new MlpOptions().WithColumns(labelColumnName, featureColumnName, exampleWeightColumnName));

    public static DeepTrainer Mlp(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, MlpOptions options) => Create(catalog, PredictionTask.BinaryClassification, options);

    public static DeepTrainer Mlp(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features",
        string? exampleWeightColumnName = null) => Create(catalog, PredictionTask.MulticlassClassification, new MlpOptions().WithColumns(labelColumnName, featureColumnName, exampleWeightColumnName));

    public static DeepTrainer Mlp(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, MlpOptions options) => Create(catalog, PredictionTask.MulticlassClassification, options);

    public static DeepTrainer ResNet(this RegressionCatalog.RegressionTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features",
        string? exampleWeightColumnName = null) => Create(catalog, PredictionTask.Regression, new ResNetOptions().WithColumns(labelColumnName, featureColumnName, exampleWeightColumnName));

    public static DeepTrainer ResNet(this RegressionCatalog.RegressionTrainers catalog, ResNetOptions options) => Create(catalog, PredictionTask.Regression, options);

    public static DeepTrainer ResNet(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features",
        string? exampleWeightColumnName = null) => Create(catalog, PredictionTask.BinaryClassification, new ResNetOptions().WithColumns(labelColumnName, featureColumnName, exampleWeightColumnName));

    public static DeepTrainer ResNet(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, ResNetOptions options) => Create(catalog, PredictionTask.BinaryClassification, options);

    public static DeepTrainer ResNet(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features",
        string? exampleWeightColumnName = null) => Create(catalog, PredictionTask.MulticlassClassification, new ResNetOptions().WithColumns(labelColumnName, featureColumnName, exampleWeightColumnName));

    public static DeepTrainer ResNet(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, ResNetOptions options) => Create(catalog, PredictionTask.MulticlassClassification, options);

    public static DeepTrainer FTTransformer(this RegressionCatalog.RegressionTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features",
        string? exampleWeightColumnName = null) => Create(catalog, PredictionTask.Regression, new FTTransformerOptions().WithColumns(labelColumnName, featureColumnName, exampleWeightColumnName));

    public static DeepTrainer FTTransformer(this RegressionCatalog.RegressionTrainers catalog, FTTransformerOptions options) => Create(catalog, PredictionTask.Regression, options);

    public static DeepTrainer FTTransformer(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features",
        string? exampleWeightColumnName = null) => Create(catalog, PredictionTask.BinaryClassification, new FTTransformerOptions().WithColumns(labelColumnName, featureColumnName, exampleWeightColumnName));

    public static DeepTrainer FTTransformer(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, FTTransformerOptions options) => Create(catalog, PredictionTask.BinaryClassification, options);

    public static DeepTrainer FTTransformer(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features",
        string? exampleWeightColumnName = null) => Create(catalog, PredictionTask.MulticlassClassification, new FTTransformerOptions().WithColumns(labelColumnName, featureColumnName, exampleWeightColumnName));

    public static DeepTrainer FTTransformer(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, FTTransformerOptions options) => Create(catalog, PredictionTask.MulticlassClassification, options);

    public static DeepTrainer TabM(this RegressionCatalog.RegressionTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features",
        string? exampleWeightColumnName = null) => Create(catalog, PredictionTask.Regression, new TabMOptions().WithColumns(labelColumnName, featureColumnName, exampleWeightColumnName));

    public static DeepTrainer TabM(this RegressionCatalog.RegressionTrainers catalog, TabMOptions options) => Create(catalog, PredictionTask.Regression, options);

    public static DeepTrainer TabM(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features",
        string? exampleWeightColumnName = null) => Create(catalog, PredictionTask.BinaryClassification, new TabMOptions().WithColumns(labelColumnName, featureColumnName, exampleWeightColumnName));

    public static DeepTrainer TabM(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, TabMOptions options) => Create(catalog, PredictionTask.BinaryClassification, options);

    public static DeepTrainer TabM(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features",
        string? exampleWeightColumnName = null) => Create(catalog, PredictionTask.MulticlassClassification, new TabMOptions().WithColumns(labelColumnName, featureColumnName, exampleWeightColumnName));

    public static DeepTrainer TabM(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, TabMOptions options) => Create(catalog, PredictionTask.MulticlassClassification, options);

    /// <summary>A deep trainer of any architecture (the options' type picks it).</summary>
    public static DeepTrainer Create(TrainCatalogBase.CatalogInstantiatorBase catalog, PredictionTask task, DeepModelOptions options) =>
        new(task, options, ContextSeed.For(catalog, options.Seed));
}
