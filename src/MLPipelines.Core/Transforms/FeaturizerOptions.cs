namespace MLPipelines.Transforms;

/// <summary>How numbers are rescaled (fitted on the training rows' finite values).</summary>
public enum NumericScaling
{
    /// <summary>Raw values (trees need nothing else).</summary>
    None,

    /// <summary>(x − mean) / standard deviation.</summary>
    Standard,

    /// <summary>RealMLP's: median-centred, divided by the IQR, smoothly clipped to ±3.</summary>
    RobustSmoothClip,

    /// <summary>Mapped to a standard normal through the training quantiles (as rtdl / TabM / FT-Transformer use).</summary>
    QuantileNormal,
}

/// <summary>What happens to missing values (NaN, ±Infinity, empty text, key 0).</summary>
public enum MissingValueHandling
{
    /// <summary>Filled with the training median (numbers) or the most frequent level (categories).</summary>
    Impute,

    /// <summary>Left missing: NaN for numbers, all zeros for categories, for learners that handle missing values themselves (trees).</summary>
    Keep,
}

/// <summary>
/// Settings of the featurizer (<c>ml.Transforms.Featurize</c>). The defaults suit linear models
/// and plain neural networks; <see cref="ForTrees"/> and each trainer's
/// <c>RecommendedFeaturization</c> change what those learners need. Categorical columns (text
/// and keys) are always one-hot encoded and marked as categorical slot ranges: each trainer
/// decides whether to keep the slots, split on the category natively, or embed it.
/// </summary>
public sealed record FeaturizerOptions
{
    /// <summary>The feature vector's column. Default "Features".</summary>
    public string OutputColumnName { get; init; } = "Features";

    /// <summary>
    /// The columns to featurize; null (the default) takes every column that is not the label,
    /// the example weight or in <see cref="IgnoredColumns"/>, and that the featurizer can read
    /// (numbers, booleans, text, keys). Others are listed with the reason in the fitted
    /// featurizer's <c>IgnoredColumns</c>.
    /// </summary>
    public IReadOnlyList<string>? InputColumnNames { get; init; }

    /// <summary>Columns that are not features (identifiers, leaks). Default: none.</summary>
    public IReadOnlyList<string> IgnoredColumns { get; init; } = [];

    /// <summary>Default <see cref="MissingValueHandling.Impute"/>.</summary>
    public MissingValueHandling MissingValues { get; init; } = MissingValueHandling.Impute;

    /// <summary>
    /// Adds a 0/1 "name_missing" slot for each column that had missing values in the training
    /// rows, so that imputation loses nothing. Default true.
    /// </summary>
    public bool MissingIndicators { get; init; } = true;

    /// <summary>Default <see cref="NumericScaling.Standard"/>.</summary>
    public NumericScaling NumericScaling { get; init; } = NumericScaling.Standard;

    /// <summary>For tree learners: missing values kept, raw numbers, no indicators.</summary>
    public static FeaturizerOptions ForTrees { get; } = new()
    {
        MissingValues = MissingValueHandling.Keep,
        MissingIndicators = false,
        NumericScaling = NumericScaling.None,
    };
}
