using MLPipelines.Deep.Options;
using MLPipelines.Deep.Training;
using MLPipelines.Trainers;

namespace MLPipelines.Deep;

/// <summary>The deep trainers in the context's catalogs: <c>ml.Regression.Trainers.TabM()</c> and so on.</summary>
public static class DeepCatalog
{
    public static DeepTrainer Mlp(this RegressionTrainers catalog, MlpOptions? options = null) => new(PredictionTask.Regression, options ?? new(), catalog.Context.Seed);
    public static DeepTrainer Mlp(this BinaryClassificationTrainers catalog, MlpOptions? options = null) => new(PredictionTask.BinaryClassification, options ?? new(), catalog.Context.Seed);
    public static DeepTrainer Mlp(this MulticlassClassificationTrainers catalog, MlpOptions? options = null) => new(PredictionTask.MulticlassClassification, options ?? new(), catalog.Context.Seed);

    public static DeepTrainer ResNet(this RegressionTrainers catalog, ResNetOptions? options = null) => new(PredictionTask.Regression, options ?? new(), catalog.Context.Seed);
    public static DeepTrainer ResNet(this BinaryClassificationTrainers catalog, ResNetOptions? options = null) => new(PredictionTask.BinaryClassification, options ?? new(), catalog.Context.Seed);
    public static DeepTrainer ResNet(this MulticlassClassificationTrainers catalog, ResNetOptions? options = null) => new(PredictionTask.MulticlassClassification, options ?? new(), catalog.Context.Seed);

    public static DeepTrainer FTTransformer(this RegressionTrainers catalog, FTTransformerOptions? options = null) => new(PredictionTask.Regression, options ?? new(), catalog.Context.Seed);
    public static DeepTrainer FTTransformer(this BinaryClassificationTrainers catalog, FTTransformerOptions? options = null) => new(PredictionTask.BinaryClassification, options ?? new(), catalog.Context.Seed);
    public static DeepTrainer FTTransformer(this MulticlassClassificationTrainers catalog, FTTransformerOptions? options = null) => new(PredictionTask.MulticlassClassification, options ?? new(), catalog.Context.Seed);

    public static DeepTrainer TabM(this RegressionTrainers catalog, TabMOptions? options = null) => new(PredictionTask.Regression, options ?? new(), catalog.Context.Seed);
    public static DeepTrainer TabM(this BinaryClassificationTrainers catalog, TabMOptions? options = null) => new(PredictionTask.BinaryClassification, options ?? new(), catalog.Context.Seed);
    public static DeepTrainer TabM(this MulticlassClassificationTrainers catalog, TabMOptions? options = null) => new(PredictionTask.MulticlassClassification, options ?? new(), catalog.Context.Seed);
}
