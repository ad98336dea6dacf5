using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data;
using MLPipelines.Data.DataViews;
using MLPipelines.ModelFiles;

namespace MLPipelines.Transforms;

/// <summary>
/// A fitted featurizer: adds the feature vector (a known-size vector of Single with slot names
/// and, for categories, ML.NET's <c>CategoricalSlotRanges</c>) to any rows that have the
/// training columns with the same kinds (numbers, booleans, categories); the label may be
/// absent. Saved and loaded by ML.NET's model files.
/// </summary>
public sealed partial class FeaturizerTransformer : IModelFileTransformer
{
    private sealed record State(string OutputColumnName, ColumnPlan[] Plans, IgnoredColumn[] Ignored);

    private const string StateFile = "featurizer.json";

    private readonly int[] _offsets;
    private readonly DataViewSchema _added;

    public FeaturizerTransformer(string outputColumnName, IReadOnlyList<ColumnPlan> plans, IReadOnlyList<IgnoredColumn> ignored)
    {
        OutputColumnName = outputColumnName;
        Plans = plans;
        IgnoredColumns = ignored;
        SlotNames = plans.SelectMany(p => p.SlotNames()).ToArray();
        var offsets = new List<int>();
        var ranges = new List<int>();
        var total = 0;
        foreach (var plan in plans)
        {
            offsets.Add(total);
            if (plan.CategoricalRange is var (first, last)) ranges.AddRange([total + first, total + last]);
            total += plan.SlotNames().Count();
        }
        _offsets = offsets.ToArray();
        CategoricalSlotRanges = ranges.ToArray();
        _added = AddedSchema();
    }

    public string OutputColumnName { get; }

    /// <summary>One plan per featurized column, in input order.</summary>
    public IReadOnlyList<ColumnPlan> Plans { get; }

    /// <summary>Columns of the training data that are not features, with the reason.</summary>
    public IReadOnlyList<IgnoredColumn> IgnoredColumns { get; }

    /// <summary>The feature vector's slot names.</summary>
    public IReadOnlyList<string> SlotNames { get; }

    /// <summary>[first, last] slot pairs of the one-hot encoded categories.</summary>
    public IReadOnlyList<int> CategoricalSlotRanges { get; }

    public bool IsRowToRowMapper => true;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => MappedDataView.SchemaOf(inputSchema, Mapping(inputSchema));

    public IDataView Transform(IDataView input) => new MappedDataView(input, Mapping(input.Schema));

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new MappedRowMapper(inputSchema, Mapping(inputSchema));

    private RowMapping Mapping(DataViewSchema input)
    {
        var problems = new List<string>();
        var columns = new DataViewSchema.Column[Plans.Count];
        for (var i = 0; i < Plans.Count; i++)
        {
            var plan = Plans[i];
            if (input.GetColumnOrNull(plan.Column) is not { } column)
                problems.Add($"it has no column '{plan.Column}'");
            else if (ColumnReaders.KindOf(column.Type) != plan.InputType)
                problems.Add($"column '{plan.Column}' is {column.Type}, but the featurizer was fitted on it as {plan.InputType}");
            else columns[i] = column;
        }
        if (problems.Count > 0)
            throw new DataValidationException($"the input does not fit the featurizer: {string.Join("; ", problems)}. " +
                                              "It reads: " + string.Join(", ", Plans.Select(p => $"{p.Column} ({p.InputType})")));
        return new RowMapping(this, columns);
    }

    private DataViewSchema AddedSchema()
    {
        var names = SlotNames.Select(n => n.AsMemory()).ToArray();
        var annotations = new DataViewSchema.Annotations.Builder();
        annotations.Add(AnnotationNames.SlotNames, new VectorDataViewType(TextDataViewType.Instance, names.Length),
            (ValueGetter<VBuffer<ReadOnlyMemory<char>>>)((ref VBuffer<ReadOnlyMemory<char>> value) => value = new VBuffer<ReadOnlyMemory<char>>(names.Length, names.ToArray())));
        if (CategoricalSlotRanges.Count > 0)
        {
            var ranges = CategoricalSlotRanges.ToArray();
            annotations.Add(AnnotationNames.CategoricalSlotRanges, new VectorDataViewType(NumberDataViewType.Int32, ranges.Length),
                (ValueGetter<VBuffer<int>>)((ref VBuffer<int> value) => value = new VBuffer<int>(ranges.Length, ranges.ToArray())));
        }
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, names.Length), annotations.ToAnnotations());
        return builder.ToSchema();
    }

    void ICanSaveModel.Save(ModelSaveContext context) => LoadableTransformer.Save(this, context);

    public void Save(ModelWriter writer) => writer.WriteJson(StateFile, new State(OutputColumnName, Plans.ToArray(), IgnoredColumns.ToArray()));

    public static FeaturizerTransformer Load(ModelReader reader)
    {
        var state = reader.ReadJson<State>(StateFile);
        return new FeaturizerTransformer(state.OutputColumnName, state.Plans, state.Ignored);
    }

    /// <summary>Computes each row's feature vector as it is reached.</summary>
    private sealed class RowMapping(FeaturizerTransformer featurizer, DataViewSchema.Column[] columns) : IColumnMapping
    {
        public DataViewSchema AddedColumns => featurizer._added;

        public int BatchSize => 1;

        public IReadOnlyList<DataViewSchema.Column> InputColumns(DataViewSchema input) => columns;

        public IMappingBatch Bind(DataViewRow input) => new Row(featurizer, input, columns);
    }

    private sealed class Row : IMappingBatch
    {
        private readonly FeaturizerTransformer _featurizer;
        private readonly SlotWriter[] _writers;
        private readonly float[] _slots;

        public Row(FeaturizerTransformer featurizer, DataViewRow input, DataViewSchema.Column[] columns)
        {
            _featurizer = featurizer;
            _writers = featurizer.Plans.Select((plan, i) => plan.Bind(input, columns[i])).ToArray();
            _slots = new float[featurizer.SlotNames.Count];
        }

        public void Clear()
        {
        }

        public void Add()
        {
            for (var i = 0; i < _writers.Length; i++) _writers[i](_slots.AsSpan(_featurizer._offsets[i]));
        }

        public void Compute()
        {
        }

        public Delegate Getter(int column, Func<int> row) => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
        {
            row();
            var editor = VBufferEditor.Create(ref value, _slots.Length);
            _slots.CopyTo(editor.Values);
            value = editor.Commit();
        });
    }
}
