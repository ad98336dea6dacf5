using MLPipelines.Data;

namespace MLPipelines.Transforms;

/// <summary>What a label is: numbers to predict (regression) or classes.</summary>
public enum LabelKind
{
    Numeric,
    Classes,
}

/// <summary>The encoded label of featurized rows.</summary>
public sealed class LabelData
{
    private LabelData(LabelKind kind, double[]? values, int[]? classes, IReadOnlyList<string> classNames)
    {
        Kind = kind;
        Values = values;
        Classes = classes;
        ClassNames = classNames;
    }

    public static LabelData Numeric(double[] values) => new(LabelKind.Numeric, values, null, []);

    public static LabelData ForClasses(int[] classes, IReadOnlyList<string> classNames) => new(LabelKind.Classes, null, classes, classNames);

    public LabelKind Kind { get; }

    /// <summary>The targets of a numeric label (finite).</summary>
    public double[]? Values { get; }

    /// <summary>Each row's class index into <see cref="ClassNames"/>.</summary>
    public int[]? Classes { get; }

    /// <summary>Class names by index; for two classes, index 1 is the positive class. Empty for a numeric label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    public int ClassCount => ClassNames.Count;
}

/// <summary>What a column of the feature matrix holds.</summary>
public enum FeatureKind
{
    /// <summary>A number (possibly scaled).</summary>
    Numeric,

    /// <summary>0 or 1 from a boolean column.</summary>
    Boolean,

    /// <summary>1 where the column's value was missing.</summary>
    MissingIndicator,

    /// <summary>One level of a one-hot-encoded categorical column.</summary>
    OneHot,

    /// <summary>A categorical column's level code 1..K (0 for an unseen level): a category, not a quantity.</summary>
    CategoryCode,
}

/// <summary>A categorical column encoded as embedding indices: 0 is the unknown slot, 1..K the training levels.</summary>
public sealed record CategoricalIndexColumn(string Name, int Cardinality);

/// <summary>
/// Rows as a learner sees them: a float32 row-major feature matrix with its column names,
/// integer index columns for categorical embeddings, the encoded label (when the input had
/// the label column), and the input rows themselves (predictions are added to them).
/// </summary>
public sealed class FeaturizedData
{
    public FeaturizedData(DataTable source, float[] features, IReadOnlyList<string> featureNames, IReadOnlyList<FeatureKind> featureKinds, int[] categoricalIndices,
        IReadOnlyList<CategoricalIndexColumn> categoricalColumns, LabelData? label, IReadOnlyDictionary<string, int> unknownCategories)
    {
        Source = source;
        Features = features;
        FeatureNames = featureNames;
        FeatureKinds = featureKinds;
        CategoricalIndices = categoricalIndices;
        CategoricalColumns = categoricalColumns;
        Label = label;
        UnknownCategories = unknownCategories;
    }

    /// <summary>The rows these features were computed from.</summary>
    public DataTable Source { get; }

    public int RowCount => Source.RowCount;

    /// <summary>Row-major, <see cref="RowCount"/> × <see cref="FeatureCount"/>. NaN only where missing values are kept.</summary>
    public float[] Features { get; }

    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>What each matrix column holds (a learner with native categorical splits uses <see cref="FeatureKind.CategoryCode"/>).</summary>
    public IReadOnlyList<FeatureKind> FeatureKinds { get; }

    public int FeatureCount => FeatureNames.Count;

    /// <summary>Row-major, <see cref="RowCount"/> × <see cref="CategoricalColumns"/>.Count.</summary>
    public int[] CategoricalIndices { get; }

    public IReadOnlyList<CategoricalIndexColumn> CategoricalColumns { get; }

    /// <summary>Null when the input rows had no label column (prediction).</summary>
    public LabelData? Label { get; }

    /// <summary>Per categorical column, how many rows held a level not seen in training (they went to the unknown slot).</summary>
    public IReadOnlyDictionary<string, int> UnknownCategories { get; }

    /// <summary>One row of the feature matrix.</summary>
    public ReadOnlySpan<float> Row(int row) => Features.AsSpan(row * FeatureCount, FeatureCount);

    /// <summary>The label, or an error saying that the rows have none (a trainer needs one).</summary>
    public LabelData RequireLabel(string who) =>
        Label ?? throw new InvalidOperationException($"{who} needs a label, but the featurized rows have none: the label column was not in the input");
}
