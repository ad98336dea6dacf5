using Microsoft.ML;
using MLPipelines.Trainers;
using MLPipelines.XGBoost.Training;

namespace MLPipelines.XGBoost;

/// <summary>
/// The XGBoost trainers in ML.NET's trainer catalogs: <c>ml.Regression.Trainers.XGBoost()</c>
/// (gradient-boosted trees), <c>XGBoostRandomForest()</c>, <c>XGBoostLinear()</c>, for
/// regression, binary and multiclass classification; each with ML.NET's column parameters or
/// an options object.
/// </summary>
public static class XGBoostCatalog
{
    public static GradientBoostedTreesTrainer XGBoost(this RegressionCatalog.RegressionTrainers catalog, string labelColumnName = "Label",
        string featureColumnName = "Features", string? exampleWeightColumnName = null) =>
        catalog.XGBoost(new GradientBoostedTreesOptions().WithColumns(labelColumnName, featureColumnName, exampleWeightColumnName));

    public static GradientBoostedTreesTrainer XGBoost(this RegressionCatalog.RegressionTrainers catalog, GradientBoostedTreesOptions options) =>
        new(PredictionTask.Regression, options, ContextSeed.For(catalog, options.Seed));

    public static GradientBoostedTreesTrainer XGBoost(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, string labelColumnName = "Label",
        string featureColumnName = "Features", string? exampleWeightColumnName = null) =>
        catalog.XGBoost(new GradientBoostedTreesOptions().WithColumns(labelColumnName, featureColumnName, exampleWeightColumnName));

    public static GradientBoostedTreesTrainer XGBoost(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, GradientBoostedTreesOptions options) =>
        new(PredictionTask.BinaryClassification, options, ContextSeed.For(catalog, options.Seed));

    public static GradientBoostedTreesTrainer XGBoost(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, string labelColumnName = "Label",
        string featureColumnName = "Features", string? exampleWeightColumnName = null) =>
        catalog.XGBoost(new GradientBoostedTreesOptions().WithColumns(labelColumnName, featureColumnName, exampleWeightColumnName));

    public static GradientBoostedTreesTrainer XGBoost(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, GradientBoostedTreesOptions options) =>
        new(PredictionTask.MulticlassClassification, options, ContextSeed.For(catalog, options.Seed));

    public static RandomForestTrainer XGBoostRandomForest(this RegressionCatalog.RegressionTrainers catalog, string labelColumnName = "Label",
        string featureColumnName = "Features", string? exampleWeightColumnName = null) =>
        catalog.XGBoostRandomForest(new RandomForestOptions().WithColumns(labelColumnName, featureColumnName, exampleWeightColumnName));

    public static RandomForestTrainer XGBoostRandomForest(this RegressionCatalog.RegressionTrainers catalog, RandomForestOptions options) =>
        new(PredictionTask.Regression, options, ContextSeed.For(catalog, options.Seed));

    public static RandomForestTrainer XGBoostRandomForest(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, string labelColumnName = "Label",
        string featureColumnName = "Features", string? exampleWeightColumnName = null) =>
        catalog.XGBoostRandomForest(new RandomForestOptions().WithColumns(labelColumnName, featureColumnName, exampleWeightColumnName));

    public static RandomForestTrainer XGBoostRandomForest(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, RandomForestOptions options) =>
        new(PredictionTask.BinaryClassification, options, ContextSeed.For(catalog, options.Seed));

    public static RandomForestTrainer XGBoostRandomForest(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, string labelColumnName = "Label",
        string featureColumnName = "Features", string? exampleWeightColumnName = null) =>
        catalog.XGBoostRandomForest(new RandomForestOptions().WithColumns(labelColumnName, featureColumnName, exampleWeightColumnName));

    public static RandomForestTrainer XGBoostRandomForest(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, RandomForestOptions options) =>
        new(PredictionTask.MulticlassClassification, options, ContextSeed.For(catalog, options.Seed));

    public static LinearModelTrainer XGBoostLinear(this RegressionCatalog.RegressionTrainers catalog, string labelColumnName = "Label",
        string featureColumnName = "Features", string? exampleWeightColumnName = null) =>
        catalog.XGBoostLinear(new LinearModelOptions().WithColumns(labelColumnName, featureColumnName, exampleWeightColumnName));

    public static LinearModelTrainer XGBoostLinear(this RegressionCatalog.RegressionTrainers catalog, LinearModelOptions options) =>
        new(PredictionTask.Regression, options, ContextSeed.For(catalog, options.Seed));

    public static LinearModelTrainer XGBoostLinear(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, string labelColumnName = "Label",
        string featureColumnName = "Features", string? exampleWeightColumnName = null) =>
        catalog.XGBoostLinear(new LinearModelOptions().WithColumns(labelColumnName, featureColumnName, exampleWeightColumnName));

    public static LinearModelTrainer XGBoostLinear(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, LinearModelOptions options) =>
        new(PredictionTask.BinaryClassification, options, ContextSeed.For(catalog, options.Seed));

    public static LinearModelTrainer XGBoostLinear(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, string labelColumnName = "Label",
        string featureColumnName = "Features", string? exampleWeightColumnName = null) =>
        catalog.XGBoostLinear(new LinearModelOptions().WithColumns(labelColumnName, featureColumnName, exampleWeightColumnName));

    public static LinearModelTrainer XGBoostLinear(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, LinearModelOptions options) =>
        new(PredictionTask.MulticlassClassification, options, ContextSeed.For(catalog, options.Seed));
}
