using MLPipelines.Data;
using MLPipelines.ModelFiles;
using MLPipelines.Pipelines;

namespace MLPipelines.Transforms;

/// <summary>
/// A fitted featurizer: applies what <see cref="Featurizer"/> learned to any rows. The input
/// must have every feature column with the type it had in training (others are ignored);
/// the label column is optional (absent when predicting).
/// </summary>
public sealed class FittedFeaturizer : ITransformer<DataTable, FeaturizedData>, ILoadableStage<FittedFeaturizer>, IHasInputSchema
{
    private const string StateFile = "featurizer.json";

    private sealed record State(LabelEncoding Label, ColumnPlan[] Plans, IgnoredColumn[] Ignored);

    private readonly int[] _featureOffsets;
    private readonly int[] _indexOffsets;

    public FittedFeaturizer(LabelEncoding label, IReadOnlyList<ColumnPlan> plans, IReadOnlyList<IgnoredColumn> ignored)
    {
        Label = label;
        Plans = plans;
        IgnoredColumns = ignored;
        FeatureNames = plans.SelectMany(p => p.FeatureNames()).ToArray();
        FeatureKinds = plans.SelectMany(p => p.FeatureKinds()).ToArray();
        CategoricalColumns = plans.SelectMany(p => p.IndexColumns()).ToArray();
        _featureOffsets = Offsets(plans.Select(p => p.FeatureNames().Count()));
        _indexOffsets = Offsets(plans.Select(p => p.IndexColumns().Count()));
        InputColumns = plans.Select(p => new SchemaEntry(p.Column, p.InputType, ColumnRole.Feature))
            .Append(new SchemaEntry(label.Column, label.ColumnType, ColumnRole.Label)).ToArray();
    }

    public LabelEncoding Label { get; }

    /// <summary>One plan per feature column, in input order.</summary>
    public IReadOnlyList<ColumnPlan> Plans { get; }

    /// <summary>Columns of the training data that are not features, with the reason.</summary>
    public IReadOnlyList<IgnoredColumn> IgnoredColumns { get; }

    /// <summary>The names of the feature matrix's columns.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>What each column of the feature matrix holds.</summary>
    public IReadOnlyList<FeatureKind> FeatureKinds { get; }

    /// <summary>The categorical index columns (embedding encoding).</summary>
    public IReadOnlyList<CategoricalIndexColumn> CategoricalColumns { get; }

    /// <summary>The feature columns (role Feature) and the label (role Label) the model reads.</summary>
    public IReadOnlyList<SchemaEntry> InputColumns { get; }

    public FeaturizedData Transform(DataTable data)
    {
        CheckSchema(data);
        var writer = new FeatureWriter(data.RowCount, FeatureNames.Count, CategoricalColumns.Count);
        for (var i = 0; i < Plans.Count; i++)
        {
            writer.FeatureOffset = _featureOffsets[i];
            writer.IndexOffset = _indexOffsets[i];
            Plans[i].Write(data[Plans[i].Column], writer);
        }
        return new FeaturizedData(data, writer.Features, FeatureNames, FeatureKinds, writer.Indices, CategoricalColumns, Label.Encode(data), writer.UnknownCategories);
    }

    private void CheckSchema(DataTable data)
    {
        var problems = new List<string>();
        foreach (var plan in Plans)
        {
            if (!data.Schema.TryGetColumn(plan.Column, out var column))
                problems.Add($"it has no column '{plan.Column}' ({plan.InputType})");
            else if (column.Type != plan.InputType)
                problems.Add($"column '{plan.Column}' is {column.Type}, but the model was trained with it as {plan.InputType}");
        }
        if (problems.Count > 0)
            throw new DataValidationException($"the input does not fit the model: {string.Join("; ", problems)}. " +
                "The model reads: " + string.Join(", ", Plans.Select(p => $"{p.Column} ({p.InputType})")) +
                " (when reading a CSV, declare column types with CsvOptions.ColumnTypes)");
    }

    public void Save(ModelWriter writer) => writer.WriteJson(StateFile, new State(Label, Plans.ToArray(), IgnoredColumns.ToArray()));

    public static FittedFeaturizer Load(ModelReader reader)
    {
        var state = reader.ReadJson<State>(StateFile);
        return new FittedFeaturizer(state.Label, state.Plans, state.Ignored);
    }

    private static int[] Offsets(IEnumerable<int> counts)
    {
        var offsets = new List<int>();
        var total = 0;
        foreach (var count in counts)
        {
            offsets.Add(total);
            total += count;
        }
        return offsets.ToArray();
    }
}
