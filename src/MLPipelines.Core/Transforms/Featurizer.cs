using MLPipelines.Data;
using MLPipelines.Pipelines;
using MLPipelines.Transforms.Scaling;

namespace MLPipelines.Transforms;

/// <summary>
/// Learns, from training rows only, how to turn a table into a feature matrix: the label's
/// encoding, and per feature column its imputation, scaling and categorical encoding
/// (<see cref="FeaturizerOptions"/>). Text columns are not featurized yet and are ignored
/// (listed in <see cref="FittedFeaturizer.IgnoredColumns"/>).
/// </summary>
public sealed class Featurizer(string label, FeaturizerOptions? options = null) : IEstimator<DataTable, FeaturizedData>
{
    public string Label { get; } = label;

    public FeaturizerOptions Options { get; } = options ?? new FeaturizerOptions();

    public FittedFeaturizer Fit(DataTable data)
    {
        var labelEncoding = LabelEncoding.Fit(data, Label, Options.PositiveClass);
        foreach (var name in Options.IgnoredColumns)
            if (!data.Schema.Contains(name))
                throw new DataValidationException($"'{name}' is listed as ignored, but the data has no such column (columns: {string.Join(", ", data.Schema.Select(c => c.Name))})");

        var plans = new List<ColumnPlan>();
        var ignored = new List<IgnoredColumn>();
        foreach (var column in data.Columns)
        {
            if (column.Name == Label) continue;
            if (Options.IgnoredColumns.Contains(column.Name))
                ignored.Add(new IgnoredColumn(column.Name, "listed in IgnoredColumns"));
            else if (column is TextColumn)
                ignored.Add(new IgnoredColumn(column.Name, "text columns are not featurized yet"));
            else if (PlanFor(column) is { } plan)
                plans.Add(plan);
            else
                ignored.Add(new IgnoredColumn(column.Name, "no value in the training rows"));
        }
        if (plans.Count == 0)
            throw new DataValidationException($"no column can be a feature: besides the label '{Label}' there are only {string.Join(", ", ignored.Select(i => $"{i.Column} ({i.Reason})"))}");
        return new FittedFeaturizer(labelEncoding, plans, ignored);
    }

    ITransformer<DataTable, FeaturizedData> IEstimator<DataTable, FeaturizedData>.Fit(DataTable input) => Fit(input);

    private ColumnPlan? PlanFor(DataColumn column)
    {
        var missing = column.MissingCount;
        if (missing == column.Length) return null;
        var impute = Options.MissingValues == MissingValueHandling.Impute;
        var indicator = Options.MissingIndicators && missing > 0;
        switch (column)
        {
            case NumericColumn numeric:
                var values = numeric.Values;
                var finite = Quantiles.SortedFinite(values);
                if (finite.Length == 0) return null;
                indicator = Options.MissingIndicators && finite.Length < values.Length;
                return new NumericPlan(column.Name, impute ? Quantiles.Linear(finite, 0.5) : null, indicator, NumericScaler.Fit(Options.NumericScaling, values));
            case BooleanColumn boolean:
                var trues = 0;
                foreach (var v in boolean.Values) if (v == 1) trues++;
                var falses = column.Length - missing - trues;
                return new BooleanPlan(column.Name, impute ? (trues > falses ? 1 : 0) : null, indicator);
            case CategoricalColumn categorical:
                var counts = new int[categorical.Levels.Count];
                foreach (var code in categorical.Codes) if (code >= 0) counts[code]++;
                var levels = categorical.Levels.Where((_, i) => counts[i] > 0).Order(StringComparer.Ordinal).ToArray();
                var encoding = levels.Length <= Options.MaxOneHotLevels ? Options.CategoricalEncoding : Options.HighCardinalityEncoding;
                int? fill = null;
                if (impute)
                {
                    // The most frequent level; ties go to the first in ordinal order.
                    var mostFrequent = categorical.Levels.Select((level, i) => (level, count: counts[i]))
                        .Where(p => p.count > 0).OrderByDescending(p => p.count).ThenBy(p => p.level, StringComparer.Ordinal).First().level;
                    fill = Array.IndexOf(levels, mostFrequent);
                }
                return new CategoricalPlan(column.Name, levels, encoding, fill, indicator);
            default:
                return null;
        }
    }
}
