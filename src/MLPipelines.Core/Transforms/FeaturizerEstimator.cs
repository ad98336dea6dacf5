using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data;
using MLPipelines.Data.DataViews;
using MLPipelines.Trainers;
using MLPipelines.Transforms.Scaling;

namespace MLPipelines.Transforms;

/// <summary>
/// Learns, from training rows only, how to turn raw columns into one feature vector: per
/// column its imputation, missing-value indicator, scaling, and for categories (text, keys)
/// the one-hot levels, marked as ML.NET's categorical slot ranges (<see cref="FeaturizerOptions"/>).
/// Free text (mostly distinct values with spaces) and identifiers (categories with more distinct
/// values than 99% of the rows) are not featurized and are listed with the reason. The label and
/// example weight columns are never features.
/// </summary>
public sealed class FeaturizerEstimator(string? labelColumnName, FeaturizerOptions? options = null, string? exampleWeightColumnName = null)
    : IEstimator<FeaturizerTransformer>
{
    public string? LabelColumnName { get; } = labelColumnName;

    public string? ExampleWeightColumnName { get; } = exampleWeightColumnName;

    public FeaturizerOptions Options { get; } = options ?? new FeaturizerOptions();

    public FeaturizerTransformer Fit(IDataView input)
    {
        var schema = input.Schema;
        foreach (var name in Options.IgnoredColumns.Concat(Options.InputColumnNames ?? []))
            if (schema.GetColumnOrNull(name) is null)
                throw new DataValidationException($"the featurizer was given the column '{name}', but the data has no such column (columns: {TrainerSchema.ColumnNames(schema)})");

        var ignored = new List<IgnoredColumn>();
        var candidates = new List<DataViewSchema.Column>();
        var chosen = Options.InputColumnNames?.ToHashSet(StringComparer.Ordinal);
        foreach (var column in schema.Where(c => !c.IsHidden))
        {
            if (column.Name == LabelColumnName || column.Name == ExampleWeightColumnName || (chosen is not null && !chosen.Contains(column.Name))) continue;
            if (Options.IgnoredColumns.Contains(column.Name)) ignored.Add(new IgnoredColumn(column.Name, "listed in IgnoredColumns"));
            else if (ColumnReaders.KindOf(column.Type) is null) ignored.Add(new IgnoredColumn(column.Name, $"its type {column.Type} is not featurized"));
            else candidates.Add(column);
        }
        var table = ColumnReaders.ToTable(input, candidates);
        var plans = new List<ColumnPlan>();
        foreach (var column in table.Columns)
        {
            var plan = PlanFor(column, out var reason);
            if (plan is not null) plans.Add(plan);
            else ignored.Add(new IgnoredColumn(column.Name, reason!));
        }
        if (plans.Count == 0)
            throw new DataValidationException($"no column can be a feature: besides the label '{LabelColumnName}' there are only " +
                                              (ignored.Count == 0 ? "no columns" : string.Join(", ", ignored.Select(i => $"{i.Column} ({i.Reason})"))));
        return new FeaturizerTransformer(Options.OutputColumnName, plans, ignored);
    }

    /// <summary>The input with the feature vector (its length is known only once fitted).</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        var annotations = new SchemaShape(
        [
            new SchemaShape.Column(AnnotationNames.SlotNames, SchemaShape.Column.VectorKind.Vector, TextDataViewType.Instance, false),
            new SchemaShape.Column(AnnotationNames.CategoricalSlotRanges, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Int32, false),
        ]);
        var features = new SchemaShape.Column(Options.OutputColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false, annotations);
        return new SchemaShape(inputSchema.Where(c => c.Name != Options.OutputColumnName).Append(features));
    }

    private ColumnPlan? PlanFor(DataColumn column, out string? reason)
    {
        reason = null;
        var missing = column.MissingCount;
        if (missing == column.Length)
        {
            reason = "no value in the training rows";
            return null;
        }
        var impute = Options.MissingValues == MissingValueHandling.Impute;
        var indicator = Options.MissingIndicators && missing > 0;
        switch (column)
        {
            case NumericColumn numeric:
                var finite = Quantiles.SortedFinite(numeric.Values);
                if (finite.Length == 0)
                {
                    reason = "no finite value in the training rows";
                    return null;
                }
                indicator = Options.MissingIndicators && finite.Length < numeric.Length;
                return new NumericPlan(column.Name, impute ? Quantiles.Linear(finite, 0.5) : null, indicator, NumericScaler.Fit(Options.NumericScaling, numeric.Values));
            case BooleanColumn:
                return new BooleanPlan(column.Name);
            case CategoricalColumn categorical:
                if (TextKinds.LooksLikeFreeText(categorical))
                {
                    reason = "free text (mostly distinct values with spaces) is not featurized";
                    return null;
                }
                var counts = new int[categorical.Levels.Count];
                foreach (var code in categorical.Codes) if (code >= 0) counts[code]++;
                var distinct = counts.Count(c => c > 0);
                if (TextKinds.IsIdentifier(column.Length, distinct))
                {
                    reason = $"an identifier: {distinct:N0} distinct values in {column.Length:N0} rows, each level seen about once";
                    return null;
                }
                var levels = categorical.Levels.Where((_, i) => counts[i] > 0).Order(StringComparer.Ordinal).ToArray();
                int? fill = null;
                if (impute)
                {
                    // The most frequent level; ties go to the first in ordinal order.
                    var mostFrequent = categorical.Levels.Select((level, i) => (level, count: counts[i]))
                        .Where(p => p.count > 0).OrderByDescending(p => p.count).ThenBy(p => p.level, StringComparer.Ordinal).First().level;
                    fill = Array.IndexOf(levels, mostFrequent);
                }
                return new CategoricalPlan(column.Name, levels, fill, indicator);
            default:
                reason = $"{column.Type} columns are not featurized";
                return null;
        }
    }

}
