using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLPipelines.Data.DataViews;

/// <summary>
/// An <see cref="IColumnMapping"/> applied to single rows, as ML.NET's PredictionEngine asks:
/// the added columns of a row are computed when first read, one row at a time.
/// </summary>
public sealed class MappedRowMapper(DataViewSchema inputSchema, IColumnMapping mapping) : IRowToRowMapper
{
    private readonly IColumnMapping _mapping = mapping;

    public DataViewSchema InputSchema { get; } = inputSchema;

    public DataViewSchema OutputSchema { get; } = MappedDataView.SchemaOf(inputSchema, mapping);

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var columns = dependingColumns.ToList();
        var inputs = columns.Where(c => c.Index < InputSchema.Count).Select(c => InputSchema[c.Index]);
        return columns.Any(c => c.Index >= InputSchema.Count) ? inputs.Union(_mapping.InputColumns(InputSchema)) : inputs;
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
        new Row(this, input, activeColumns.Select(c => c.Index).ToHashSet());

    private sealed class Row(MappedRowMapper mapper, DataViewRow input, HashSet<int> active) : DataViewRow
    {
        private readonly IMappingBatch? _batch = active.Any(i => i >= mapper.InputSchema.Count) ? mapper._mapping.Bind(input) : null;
        private long _computedAt = -1;

        public override long Position => input.Position;

        public override long Batch => input.Batch;

        public override DataViewSchema Schema => mapper.OutputSchema;

        public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);

        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < mapper.InputSchema.Count) return input.GetGetter<TValue>(mapper.InputSchema[column.Index]);
            var getter = _batch!.Getter(column.Index - mapper.InputSchema.Count, Current);
            return getter as ValueGetter<TValue>
                   ?? throw new InvalidOperationException($"column '{column.Name}' is {column.Type}, not {typeof(TValue).Name}");
        }

        private int Current()
        {
            // PredictionEngine reuses one row object and moves its input along (its position may
            // stay at -1), so every read recomputes unless the position says it is the same row.
            if (_computedAt != input.Position || input.Position < 0)
            {
                _batch!.Clear();
                _batch.Add();
                _batch.Compute();
                _computedAt = input.Position;
            }
            return 0;
        }
    }
}
