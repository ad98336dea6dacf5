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
                throw new DataValidationException($"the featurizer was given the column '{name}', but the data has no such column {ColumnList.For(name, TrainerSchema.Visible(schema))}");

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
            if (plan is null) ignored.Add(new IgnoredColumn(column.Name, reason!));
            else plans.Add(plan);
            if (plan is NumericPlan && ColumnReaders.HoldsDates(schema[column.Name])) plans.AddRange(CalendarPlans((NumericColumn)column));
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

    /// <summary>
    /// For a column of dates (days since 1970-01-01), a plan per calendar part beside the day count: the year, month,
    /// day and weekday, AutoGluon's default date features. The day count carries the trend; the parts carry the seasons
    /// and weeks, which a tree could only approximate with many splits of the count. Each part is filled with its training
    /// median and scaled as the numbers are; the day count's indicator stands for all of them.
    /// </summary>
    private IEnumerable<NumericPlan> CalendarPlans(NumericColumn days) => Enum.GetValues<CalendarPart>().Select(part =>
    {
        var values = days.Values.ToArray().Select(day => Calendar.Part(day, part)).ToArray();
        var finite = Quantiles.SortedFinite(values);
        var fill = Options.MissingValues == MissingValueHandling.Impute ? Quantiles.Linear(finite, 0.5) : (double?)null;
        return new NumericPlan(days.Name, fill, Indicator: false, NumericScaler.Fit(Options.NumericScaling, values)) { Part = part };
    });

    /// <summary>
    /// Why a column with one value in every training row is left out (AutoGluon drops such "useless" features too): no
    /// model can learn from it. A constant with missing values is kept, since where it is missing may tell something.
    /// </summary>
    private static string Constant(string value) => $"one value in every training row ({value})";

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
                if (finite.Length == numeric.Length && finite[0] == finite[^1])
                {
                    reason = Constant(numeric.Format(0)!);
                    return null;
                }
                return new NumericPlan(column.Name, impute ? Quantiles.Linear(finite, 0.5) : null, indicator, NumericScaler.Fit(Options.NumericScaling, numeric.Values));
            case BooleanColumn boolean:
                if (boolean.Values.IndexOfAnyExcept(boolean.Values[0]) < 0)
                {
                    reason = Constant(boolean.Format(0)!);
                    return null;
                }
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
                if (distinct == 1 && missing == 0)
                {
                    reason = Constant(categorical.Format(0)!);
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
