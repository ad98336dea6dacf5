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
/// calibrated than boosting's; ranking (AUC) is not affected.
/// <para>
/// Classification trees grow as scikit-learn's and Breiman's do: until their leaves are pure,
/// a leaf may hold a single row. XGBoost's own limits would stop them long before:
/// <c>min_child_weight</c> counts hessian, not rows, and under logistic or softmax loss a row
/// weighs p(1 − p) (2p(1 − p) for softmax in XGBoost 1.7) at the starting probability p, so a
/// minimum weight of 1 asks for 4 rows or more per leaf with two balanced classes, 14 with 26
/// classes; and a depth of 12 cuts the trees of larger datasets. Shallower, fatter leaves cost
/// accuracy that a forest does not need to give: averaging many trees is what keeps its
/// variance down. Regression keeps a depth limit, which bounds the size of the model on large
/// datasets (a fully grown regression tree has about as many leaves as rows); its hessian is
/// 1 per row, so a minimum weight of 1 already lets a leaf hold a single row.
/// </para>
/// </summary>
public sealed record RandomForestOptions : XGBoostOptions
{
    /// <summary>Depth that no tree grows beyond, for regression.</summary>
    public const int RegressionMaxDepth = 12;

    /// <summary>Fraction of the columns considered at each split, for regression.</summary>
    public const double RegressionColumnSample = 0.6;

    /// <summary>Number of trees. Default 300.</summary>
    public int Trees { get; init; } = 300;

    /// <summary>
    /// Maximum depth, 0 for none. Default null: none for classification (trees grow until their
    /// leaves are pure, as scikit-learn's do), <see cref="RegressionMaxDepth"/> for regression.
    /// </summary>
    public int? MaxDepth { get; init; }

    /// <summary>Fraction of rows sampled per tree. Default 0.632 (the share of distinct rows in a bootstrap sample).</summary>
    public double Subsample { get; init; } = 0.632;

    /// <summary>
    /// Fraction of columns considered at each split (colsample_bynode). Default null: for
    /// classification, √p of the p columns (a category split natively is one column), the
    /// published default of Breiman's forests, R's randomForest and ranger, and scikit-learn's
    /// max_features = "sqrt" — fewer candidates make the trees less alike, and their average
    /// better; for regression 0.6.
    /// </summary>
    public double? ColumnSampleByNode { get; init; }

    /// <summary>
    /// Minimum hessian weight in a child (min_child_weight). Default null: 0 for classification,
    /// so that a leaf may hold one row, as scikit-learn's min_samples_leaf = 1 allows (the
    /// hessian of a classification row is a fraction of its weight, see the type's remarks); 1
    /// for regression, where a row's hessian is its weight, which is again one row.
    /// </summary>
    public double? MinChildWeight { get; init; }

    /// <summary>L2 on leaf weights; near 0 so leaves are plain averages. Default 1e-6.</summary>
    public double L2 { get; init; } = 1e-6;

    /// <summary>Histogram bins per feature. Default 256.</summary>
    public int MaxBins { get; init; } = 256;

    /// <summary>Categorical features split natively as categories (see <see cref="GradientBoostedTreesOptions.NativeCategorical"/>). Default true.</summary>
    public bool NativeCategorical { get; init; } = true;

    /// <summary>The depth limit a task trains with: <see cref="MaxDepth"/>, or the task's default (0: none).</summary>
    public int MaxDepthFor(PredictionTask task) => MaxDepth ?? (task == PredictionTask.Regression ? RegressionMaxDepth : 0);

    /// <summary>
    /// The column fraction a task trains with on <paramref name="columns"/> columns:
    /// <see cref="ColumnSampleByNode"/>, or the task's default.
    /// </summary>
    public double ColumnSampleByNodeFor(PredictionTask task, int columns)
    {
        if (ColumnSampleByNode is { } fraction) return fraction;
        if (task == PredictionTask.Regression) return RegressionColumnSample;
        // XGBoost samples max(1, ⌊fraction · p⌋) columns: half a column over ⌊√p⌋ keeps the
        // product from rounding down to ⌊√p⌋ − 1.
        return Math.Min(1, (Math.Floor(Math.Sqrt(columns)) + 0.5) / columns);
    }

    /// <summary>The minimum child weight a task trains with: <see cref="MinChildWeight"/>, or the task's default.</summary>
    public double MinChildWeightFor(PredictionTask task) => MinChildWeight ?? (task == PredictionTask.Regression ? 1 : 0);
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
