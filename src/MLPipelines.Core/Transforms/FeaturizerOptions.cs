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

/// <summary>What happens to missing values (NaN, ±Infinity, empty fields).</summary>
public enum MissingValueHandling
{
    /// <summary>Filled with the training median (numbers) or the most frequent value (categories, booleans).</summary>
    Impute,

    /// <summary>Left as NaN in the feature matrix, for learners that handle missing values themselves (XGBoost).</summary>
    Keep,
}

/// <summary>How a categorical column becomes features.</summary>
public enum CategoricalEncoding
{
    /// <summary>A 0/1 column per training level; an unseen level is all zeros.</summary>
    OneHot,

    /// <summary>One column holding the level's code 1..K (0 for an unseen level), for trees.</summary>
    Ordinal,

    /// <summary>No matrix column: an index 1..K (0 for an unseen level) in the categorical index columns, for embedding layers.</summary>
    Embedding,
}

/// <summary>
/// Settings of <see cref="Featurizer"/>. The defaults suit linear models and plain neural
/// networks; <see cref="ForTrees"/> and the deep-model presets change what those learners need.
/// </summary>
public sealed record FeaturizerOptions
{
    /// <summary>Columns that are not features (identifiers, leaks). Default: none.</summary>
    public IReadOnlyList<string> IgnoredColumns { get; init; } = [];

    /// <summary>Default <see cref="MissingValueHandling.Impute"/>.</summary>
    public MissingValueHandling MissingValues { get; init; } = MissingValueHandling.Impute;

    /// <summary>
    /// Adds a 0/1 "name_missing" column for each feature column that had missing values in the
    /// training rows, so that imputation loses nothing. Default true.
    /// </summary>
    public bool MissingIndicators { get; init; } = true;

    /// <summary>Default <see cref="NumericScaling.Standard"/>.</summary>
    public NumericScaling NumericScaling { get; init; } = NumericScaling.Standard;

    /// <summary>Encoding of categorical columns with at most <see cref="MaxOneHotLevels"/> levels. Default one-hot.</summary>
    public CategoricalEncoding CategoricalEncoding { get; init; } = CategoricalEncoding.OneHot;

    /// <summary>The largest number of training levels encoded one-hot; more use <see cref="HighCardinalityEncoding"/>. Default 32.</summary>
    public int MaxOneHotLevels { get; init; } = 32;

    /// <summary>Encoding of categorical columns with more than <see cref="MaxOneHotLevels"/> levels. Default ordinal.</summary>
    public CategoricalEncoding HighCardinalityEncoding { get; init; } = CategoricalEncoding.Ordinal;

    /// <summary>
    /// For a two-class label: the class called positive (index 1: probabilities and F1 refer to it).
    /// Default: the second class in ordinal order of the names (for booleans, true), as scikit-learn does.
    /// </summary>
    public string? PositiveClass { get; init; }

    /// <summary>For gradient-boosted trees: missing values kept as NaN, no scaling, ordinal category codes.</summary>
    public static FeaturizerOptions ForTrees { get; } = new()
    {
        MissingValues = MissingValueHandling.Keep,
        MissingIndicators = false,
        NumericScaling = NumericScaling.None,
        CategoricalEncoding = CategoricalEncoding.Ordinal,
        HighCardinalityEncoding = CategoricalEncoding.Ordinal,
    };
}
