using MLPipelines.Trainers;
using MLPipelines.XGBoost.Training;

namespace MLPipelines.XGBoost;

/// <summary>The XGBoost trainers in the context's catalogs: <c>ml.Regression.Trainers.GradientBoostedTrees()</c> and so on.</summary>
public static class XGBoostCatalog
{
    public static GradientBoostedTreesTrainer GradientBoostedTrees(this RegressionTrainers catalog, GradientBoostedTreesOptions? options = null) =>
        new(PredictionTask.Regression, options ?? new(), catalog.Context.Seed);

    public static GradientBoostedTreesTrainer GradientBoostedTrees(this BinaryClassificationTrainers catalog, GradientBoostedTreesOptions? options = null) =>
        new(PredictionTask.BinaryClassification, options ?? new(), catalog.Context.Seed);

    public static GradientBoostedTreesTrainer GradientBoostedTrees(this MulticlassClassificationTrainers catalog, GradientBoostedTreesOptions? options = null) =>
        new(PredictionTask.MulticlassClassification, options ?? new(), catalog.Context.Seed);

    public static RandomForestTrainer RandomForest(this RegressionTrainers catalog, RandomForestOptions? options = null) =>
        new(PredictionTask.Regression, options ?? new(), catalog.Context.Seed);

    public static RandomForestTrainer RandomForest(this BinaryClassificationTrainers catalog, RandomForestOptions? options = null) =>
        new(PredictionTask.BinaryClassification, options ?? new(), catalog.Context.Seed);

    public static RandomForestTrainer RandomForest(this MulticlassClassificationTrainers catalog, RandomForestOptions? options = null) =>
        new(PredictionTask.MulticlassClassification, options ?? new(), catalog.Context.Seed);

    public static LinearModelTrainer Linear(this RegressionTrainers catalog, LinearModelOptions? options = null) =>
        new(PredictionTask.Regression, options ?? new(), catalog.Context.Seed);

    public static LinearModelTrainer Linear(this BinaryClassificationTrainers catalog, LinearModelOptions? options = null) =>
        new(PredictionTask.BinaryClassification, options ?? new(), catalog.Context.Seed);

    public static LinearModelTrainer Linear(this MulticlassClassificationTrainers catalog, LinearModelOptions? options = null) =>
        new(PredictionTask.MulticlassClassification, options ?? new(), catalog.Context.Seed);
}
