using System.Text.Json.Serialization;
using MLPipelines.Data;
using MLPipelines.Transforms.Scaling;

namespace MLPipelines.Transforms;

/// <summary>
/// What the featurizer learned about one input column from the training rows, and how it
/// turns that column into features. Serializable as JSON (it goes into model files).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(NumericPlan), "numeric")]
[JsonDerivedType(typeof(BooleanPlan), "boolean")]
[JsonDerivedType(typeof(CategoricalPlan), "categorical")]
public abstract record ColumnPlan(string Column)
{
    /// <summary>The type the input column must have.</summary>
    [JsonIgnore]
    public abstract ColumnType InputType { get; }

    /// <summary>The names of the matrix columns this plan writes, in order.</summary>
    public abstract IEnumerable<string> FeatureNames();

    /// <summary>What each matrix column of <see cref="FeatureNames"/> holds.</summary>
    public abstract IEnumerable<FeatureKind> FeatureKinds();

    /// <summary>The index columns this plan writes (embedding indices).</summary>
    public virtual IEnumerable<CategoricalIndexColumn> IndexColumns() => [];

    internal abstract void Write(DataColumn column, FeatureWriter writer);

    private protected static string IndicatorName(string column) => column + "_missing";
}

/// <summary>
/// A number: non-finite values are missing; they are filled with <see cref="Fill"/> (the
/// training median) or kept as NaN when it is null; then <see cref="Scaler"/>, if any.
/// </summary>
public sealed record NumericPlan(string Column, double? Fill, bool Indicator, NumericScaler? Scaler) : ColumnPlan(Column)
{
    public override ColumnType InputType => ColumnType.Numeric;

    public override IEnumerable<string> FeatureNames() => Indicator ? [Column, IndicatorName(Column)] : [Column];

    public override IEnumerable<FeatureKind> FeatureKinds() => Indicator ? [FeatureKind.Numeric, FeatureKind.MissingIndicator] : [FeatureKind.Numeric];

    internal override void Write(DataColumn column, FeatureWriter writer)
    {
        var values = ((NumericColumn)column).Values;
        for (var row = 0; row < values.Length; row++)
        {
            var value = values[row];
            var missing = !double.IsFinite(value);
            if (missing) value = Fill ?? double.NaN;
            if (Scaler is not null && !double.IsNaN(value)) value = Scaler.Transform(value);
            writer.Set(row, 0, (float)value);
            if (Indicator) writer.Set(row, 1, missing ? 1f : 0f);
        }
    }
}

/// <summary>true → 1, false → 0; missing filled with <see cref="Fill"/> (the most frequent value) or kept as NaN.</summary>
public sealed record BooleanPlan(string Column, double? Fill, bool Indicator) : ColumnPlan(Column)
{
    public override ColumnType InputType => ColumnType.Boolean;

    public override IEnumerable<string> FeatureNames() => Indicator ? [Column, IndicatorName(Column)] : [Column];

    public override IEnumerable<FeatureKind> FeatureKinds() => Indicator ? [FeatureKind.Boolean, FeatureKind.MissingIndicator] : [FeatureKind.Boolean];

    internal override void Write(DataColumn column, FeatureWriter writer)
    {
        var values = ((BooleanColumn)column).Values;
        for (var row = 0; row < values.Length; row++)
        {
            var missing = values[row] == BooleanColumn.Missing;
            writer.Set(row, 0, missing ? (float)(Fill ?? double.NaN) : values[row]);
            if (Indicator) writer.Set(row, 1, missing ? 1f : 0f);
        }
    }
}

/// <summary>
/// A category: <see cref="Levels"/> are the training levels (ordinal order). A missing value
/// is filled with level <see cref="FillLevel"/> (the most frequent) or, when that is null,
/// left missing (one-hot: all zeros; ordinal: NaN; embedding: the unknown slot). A level not
/// seen in training goes to the unknown slot (one-hot: all zeros; ordinal and embedding: 0)
/// and is counted in <see cref="FeaturizedData.UnknownCategories"/>.
/// </summary>
public sealed record CategoricalPlan(string Column, string[] Levels, CategoricalEncoding Encoding, int? FillLevel, bool Indicator) : ColumnPlan(Column)
{
    public override ColumnType InputType => ColumnType.Categorical;

    public override IEnumerable<string> FeatureNames()
    {
        IEnumerable<string> encoded = Encoding switch
        {
            CategoricalEncoding.OneHot => Levels.Select(level => $"{Column}={level}"),
            CategoricalEncoding.Ordinal => [Column],
            _ => [],
        };
        return Indicator ? encoded.Append(IndicatorName(Column)) : encoded;
    }

    public override IEnumerable<FeatureKind> FeatureKinds()
    {
        IEnumerable<FeatureKind> encoded = Encoding switch
        {
            CategoricalEncoding.OneHot => Levels.Select(_ => FeatureKind.OneHot),
            CategoricalEncoding.Ordinal => [FeatureKind.CategoryCode],
            _ => [],
        };
        return Indicator ? encoded.Append(FeatureKind.MissingIndicator) : encoded;
    }

    public override IEnumerable<CategoricalIndexColumn> IndexColumns() =>
        Encoding == CategoricalEncoding.Embedding ? [new CategoricalIndexColumn(Column, Levels.Length + 1)] : [];

    internal override void Write(DataColumn column, FeatureWriter writer)
    {
        var input = (CategoricalColumn)column;
        // The input's own level codes → training level index (-1: not seen in training).
        var index = Levels.Select((level, i) => (level, i)).ToDictionary(p => p.level, p => p.i, StringComparer.Ordinal);
        var map = input.Levels.Select(level => index.TryGetValue(level, out var i) ? i : -1).ToArray();
        var codes = input.Codes;
        var unknown = 0;
        var indicatorColumn = Encoding switch { CategoricalEncoding.OneHot => Levels.Length, CategoricalEncoding.Ordinal => 1, _ => 0 };
        for (var row = 0; row < codes.Length; row++)
        {
            var missing = codes[row] == CategoricalColumn.Missing;
            var level = missing ? FillLevel ?? -1 : map[codes[row]];
            if (!missing && level < 0) unknown++;
            switch (Encoding)
            {
                case CategoricalEncoding.OneHot:
                    if (level >= 0) writer.Set(row, level, 1f);
                    break;
                case CategoricalEncoding.Ordinal:
                    writer.Set(row, 0, missing && level < 0 ? float.NaN : level + 1);
                    break;
                default:
                    writer.SetIndex(row, level + 1);
                    break;
            }
            if (Indicator) writer.Set(row, indicatorColumn, missing ? 1f : 0f);
        }
        if (unknown > 0) writer.UnknownCategories[Column] = unknown;
    }
}

/// <summary>A column the featurizer does not use, and why.</summary>
public sealed record IgnoredColumn(string Column, string Reason);
