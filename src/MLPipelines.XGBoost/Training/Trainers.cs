using MLPipelines.Trainers;
using MLPipelines.Transforms;

namespace MLPipelines.XGBoost.Training;

/// <summary>
/// Gradient-boosted trees. Recommended featurization: <see cref="FeaturizerOptions.ForTrees"/>
/// (missing values left to XGBoost's learned default directions, raw numbers); categorical
/// features are split natively as categories — one-hot columns would force deep, lopsided
/// trees to express what one categorical split expresses.
/// </summary>
public sealed class GradientBoostedTreesTrainer(PredictionTask task, GradientBoostedTreesOptions options, int seed)
    : XGBoostTrainer(task, options, seed)
{
    public GradientBoostedTreesOptions Options { get; } = options;

    public override string Name => "XGBoost";

    protected override int MaxRounds => Options.MaxRounds;

    protected override int? EarlyStoppingRounds => Options.EarlyStoppingRounds;

    protected override double ValidationFraction => Options.ValidationFraction;

    protected override bool NativeCategorical => Options.NativeCategorical;

    protected override IEnumerable<KeyValuePair<string, string>> BoosterParameters(TrainingData data) =>
    [
        new("booster", "gbtree"),
        new("tree_method", "hist"),
        new("eta", Text(Options.LearningRate)),
        new("max_depth", Options.MaxDepth.ToString()),
        new("max_leaves", Options.MaxLeaves.ToString()),
        new("min_child_weight", Text(Options.MinChildWeight)),
        new("subsample", Text(Options.Subsample)),
        new("colsample_bytree", Text(Options.ColumnSampleByTree)),
        new("alpha", Text(Options.L1)),
        new("lambda", Text(Options.L2)),
        new("max_bin", Options.MaxBins.ToString()),
    ];
}

/// <summary>Random forests on XGBoost (one round of parallel trees). Recommended featurization: as for boosted trees.</summary>
public sealed class RandomForestTrainer(PredictionTask task, RandomForestOptions options, int seed)
    : XGBoostTrainer(task, options, seed)
{
    public RandomForestOptions Options { get; } = options;

    public override string Name => "Random forest";

    protected override int MaxRounds => 1;

    protected override int? EarlyStoppingRounds => null;

    protected override double ValidationFraction => 0;

    protected override bool NativeCategorical => Options.NativeCategorical;

    protected override IEnumerable<KeyValuePair<string, string>> BoosterParameters(TrainingData data) =>
    [
        new("booster", "gbtree"),
        new("tree_method", "hist"),
        new("eta", "1"),
        new("num_parallel_tree", Options.Trees.ToString()),
        new("max_depth", Options.MaxDepthFor(Task).ToString()),
        new("subsample", Text(Options.Subsample)),
        new("colsample_bynode", Text(Options.ColumnSampleByNodeFor(Task, data.Features.Width))),
        new("min_child_weight", Text(Options.MinChildWeightFor(Task))),
        new("lambda", Text(Options.L2)),
        new("max_bin", Options.MaxBins.ToString()),
    ];
}

/// <summary>
/// Linear models on XGBoost's gblinear. Recommended featurization: the default one (imputed,
/// standardized numbers); categorical features keep their one-hot slots, since a weight on a
/// code would treat categories as ordered quantities.
/// </summary>
public sealed class LinearModelTrainer(PredictionTask task, LinearModelOptions options, int seed)
    : XGBoostTrainer(task, options, seed)
{
    public LinearModelOptions Options { get; } = options;

    public override string Name => "Linear model";

    public override FeaturizerOptions RecommendedFeaturization => new();

    protected override int MaxRounds => Options.MaxRounds;

    protected override int? EarlyStoppingRounds => Options.EarlyStoppingRounds;

    protected override double ValidationFraction => Options.ValidationFraction;

    protected override bool NativeCategorical => false;

    protected override bool CanSlice => false;

    protected override IEnumerable<KeyValuePair<string, string>> BoosterParameters(TrainingData data) =>
    [
        new("booster", "gblinear"),
        new("updater", "coord_descent"),
        new("feature_selector", "cyclic"),
        new("eta", Text(Options.LearningRate)),
        new("lambda", Text(Options.L2)),
        new("alpha", Text(Options.L1)),
    ];
}
