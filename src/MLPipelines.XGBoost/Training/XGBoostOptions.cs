using MLPipelines.Trainers;

namespace MLPipelines.XGBoost.Training;

/// <summary>How classes are weighted in training.</summary>
public enum ClassWeighting
{
    /// <summary>Every row weighs 1.</summary>
    None,

    /// <summary>Rows of class c weigh n / (k · n_c), so every class weighs the same in total (scikit-learn's "balanced").</summary>
    Balanced,
}

/// <summary>
/// Settings every XGBoost trainer has, besides the columns and the seed (of XGBoost's sampling
/// and of the early-stopping split). Plain data: comparable, printable, serializable.
/// </summary>
public abstract record XGBoostOptions : TrainerOptions
{
    /// <summary>XGBoost's threads (nthread), for training and prediction. Default: all cores.</summary>
    public int? Threads { get; init; }

    /// <summary>Instance weights for classification. Default none.</summary>
    public ClassWeighting ClassWeighting { get; init; } = ClassWeighting.None;
}

/// <summary>
/// Gradient-boosted trees (histogram method). Defaults are the practitioner's starting point:
/// a moderate learning rate with many rounds cut by early stopping on a validation split
/// carved from the training rows, row and column subsampling, XGBoost's own depth and L2.
/// </summary>
public sealed record GradientBoostedTreesOptions : XGBoostOptions
{
    /// <summary>Shrinkage per round (eta). Default 0.1.</summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>Maximum tree depth. Default 6.</summary>
    public int MaxDepth { get; init; } = 6;

    /// <summary>Maximum leaves per tree (0: no limit). Default 0.</summary>
    public int MaxLeaves { get; init; }

    /// <summary>Minimum hessian weight in a child (min_child_weight). Default 1.</summary>
    public double MinChildWeight { get; init; } = 1;

    /// <summary>Fraction of rows sampled per tree. Default 0.8.</summary>
    public double Subsample { get; init; } = 0.8;

    /// <summary>Fraction of columns sampled per tree. Default 0.8.</summary>
    public double ColumnSampleByTree { get; init; } = 0.8;

    /// <summary>L1 regularization of leaf weights (alpha). Default 0.</summary>
    public double L1 { get; init; }

    /// <summary>L2 regularization of leaf weights (lambda). Default 1.</summary>
    public double L2 { get; init; } = 1;

    /// <summary>Histogram bins per feature. Default 256.</summary>
    public int MaxBins { get; init; } = 256;

    /// <summary>Boosting rounds at most. Default 2000.</summary>
    public int MaxRounds { get; init; } = 2000;

    /// <summary>Stop when the validation metric has not improved for this many rounds; null trains all rounds on all rows. Default 50.</summary>
    public int? EarlyStoppingRounds { get; init; } = 50;

    /// <summary>Fraction of the training rows held out for early stopping (stratified for classification). Default 0.1.</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>
    /// Categorical features (ML.NET's categorical slot ranges, as OneHotEncoding and the
    /// featurizer mark them) are given to XGBoost as one category column each and split
    /// natively as categories; false keeps their one-hot slots as numbers. Default true.
    /// </summary>
    public bool NativeCategorical { get; init; } = true;
}

/// <summary>
/// A random forest with XGBoost: one round of <see cref="Trees"/> parallel trees, each on a row
/// sample, with column sampling at every split and learning rate 1 (XGBoost averages the
/// trees). Classification probabilities come from one Newton step, so they are less
/// calibrated than boosting's; ranking (AUC) and accuracy are not affected.
/// </summary>
public sealed record RandomForestOptions : XGBoostOptions
{
    /// <summary>Number of trees. Default 300.</summary>
    public int Trees { get; init; } = 300;

    /// <summary>Maximum depth. Default 12.</summary>
    public int MaxDepth { get; init; } = 12;

    /// <summary>Fraction of rows sampled per tree. Default 0.632 (the share of distinct rows in a bootstrap sample).</summary>
    public double Subsample { get; init; } = 0.632;

    /// <summary>Fraction of columns considered at each split. Default 0.6.</summary>
    public double ColumnSampleByNode { get; init; } = 0.6;

    /// <summary>Minimum hessian weight in a child. Default 1.</summary>
    public double MinChildWeight { get; init; } = 1;

    /// <summary>L2 on leaf weights; near 0 so leaves are plain averages. Default 1e-6.</summary>
    public double L2 { get; init; } = 1e-6;

    /// <summary>Histogram bins per feature. Default 256.</summary>
    public int MaxBins { get; init; } = 256;

    /// <summary>Categorical features split natively as categories (see <see cref="GradientBoostedTreesOptions.NativeCategorical"/>). Default true.</summary>
    public bool NativeCategorical { get; init; } = true;
}

/// <summary>
/// A linear model (least squares, logistic or softmax) with L2, fitted by XGBoost's
/// coordinate descent (deterministic) run to convergence. The "is this even non-linear?"
/// baseline: it needs scaled numbers and imputed values, the featurizer's defaults; categories
/// stay one-hot.
/// </summary>
public sealed record LinearModelOptions : XGBoostOptions
{
    /// <summary>
    /// L2 on the weights (lambda). XGBoost multiplies it by the number of rows (the sum of
    /// weights), so it is the penalty on the mean loss: mean loss + L2/2·‖w‖². Default 1e-4
    /// (XGBoost's 1 would shrink standardized weights far towards zero).
    /// </summary>
    public double L2 { get; init; } = 1e-4;

    /// <summary>L1 on the weights (alpha), on the same scale. Default 0.</summary>
    public double L1 { get; init; }

    /// <summary>Step size of each coordinate-descent round. Default 0.5.</summary>
    public double LearningRate { get; init; } = 0.5;

    /// <summary>Coordinate-descent rounds (300 converge on the shipped datasets: 1,000 give the same metrics). Default 300.</summary>
    public int MaxRounds { get; init; } = 300;

    /// <summary>
    /// Early stopping patience on a validation split; null (the default) runs all rounds. A
    /// convex fit has nothing to stop early for, and a small noisy validation split can end it
    /// before it converges.
    /// </summary>
    public int? EarlyStoppingRounds { get; init; }

    /// <summary>Fraction of the training rows held out when early stopping is on. Default 0.1.</summary>
    public double ValidationFraction { get; init; } = 0.1;
}
