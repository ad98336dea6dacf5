using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLPipelines.Data.DataViews;

/// <summary>
/// An input view with columns added by an <see cref="IColumnMapping"/>: the input's columns
/// come first (an added column of the same name hides the input's), then the added ones. Added
/// columns are computed only when asked for. With a batch size above 1 the view reads ahead
/// with a second cursor over the input that collects a batch of rows, computes them in one
/// call, and hands the results out while the first cursor supplies the input's own columns in
/// step (ML.NET computes only the columns a cursor asks for, so the two cursors share little
/// work). Such a view does not shuffle.
/// </summary>
public sealed class MappedDataView : IDataView
{
    private readonly IDataView _input;
    private readonly IColumnMapping _mapping;
    private readonly int _inputCount;

    public MappedDataView(IDataView input, IColumnMapping mapping)
    {
        _input = input;
        _mapping = mapping;
        _inputCount = input.Schema.Count;
        Schema = SchemaOf(input.Schema, mapping);
    }

    /// <summary>The input's columns followed by the mapping's.</summary>
    public static DataViewSchema SchemaOf(DataViewSchema input, IColumnMapping mapping)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        builder.AddColumns(mapping.AddedColumns);
        return builder.ToSchema();
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => _mapping.BatchSize == 1 && _input.CanShuffle;

    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.Select(c => c.Index).ToHashSet();
        var inputColumns = needed.Where(i => i < _inputCount).Select(i => _input.Schema[i]).ToList();
        var added = needed.Any(i => i >= _inputCount);
        if (!added) return new Cursor(this, _input.GetRowCursor(inputColumns, rand), null, needed);
        var mappingInputs = _mapping.InputColumns(_input.Schema);
        if (_mapping.BatchSize == 1)
        {
            var cursor = _input.GetRowCursor(inputColumns.Union(mappingInputs), rand);
            return new Cursor(this, cursor, cursor, needed);
        }
        var main = inputColumns.Count > 0 ? _input.GetRowCursor(inputColumns) : null;
        return new Cursor(this, main, _input.GetRowCursor(mappingInputs), needed);
    }

    /// <summary>
    /// Walks the input with the main cursor (the input's own columns; null when none is
    /// asked for) and computes the added columns from the cursor ahead, which is the
    /// same cursor as the main cursor for a batch size of 1, and runs up to a batch
    /// ahead of it otherwise.
    /// </summary>
    private sealed class Cursor : DataViewRowCursor
    {
        private readonly MappedDataView _view;
        private readonly DataViewRowCursor? _main;
        private readonly DataViewRowCursor? _ahead;
        private readonly IMappingBatch? _batch;
        private readonly HashSet<int> _active;
        private readonly int _batchSize;
        private long _position = -1;
        private int _inBatch;
        private int _batchCount;
        private long _computedAt = -1;

        public Cursor(MappedDataView view, DataViewRowCursor? main, DataViewRowCursor? ahead, HashSet<int> active)
        {
            _view = view;
            _main = main;
            _ahead = ahead;
            _active = active;
            _batchSize = view._mapping.BatchSize;
            _batch = ahead is null ? null : view._mapping.Bind(ahead);
        }

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => _view.Schema;

        private bool SharedCursor => ReferenceEquals(_main, _ahead);

        public override bool MoveNext()
        {
            if (_ahead is null || SharedCursor)
            {
                if (!(_main ?? _ahead)!.MoveNext()) return false;
                _position++;
                return true;
            }
            var hasMain = _main?.MoveNext();
            if (++_inBatch >= _batchCount && !NextBatch())
            {
                if (hasMain == true) throw new InvalidOperationException("the input view gave two cursors different numbers of rows; cache it (ml.Data.Cache) before scoring");
                return false;
            }
            if (hasMain == false) throw new InvalidOperationException("the input view gave two cursors different numbers of rows; cache it (ml.Data.Cache) before scoring");
            _position++;
            return true;
        }

        private bool NextBatch()
        {
            _batch!.Clear();
            _batchCount = 0;
            while (_batchCount < _batchSize && _ahead!.MoveNext())
            {
                _batch.Add();
                _batchCount++;
            }
            _inBatch = 0;
            if (_batchCount == 0) return false;
            _batch.Compute();
            return true;
        }

        /// <summary>For a batch size of 1: computes the current row when one of its added columns is first read.</summary>
        private int CurrentRow()
        {
            if (SharedCursor && _computedAt != _position)
            {
                _batch!.Clear();
                _batch.Add();
                _batch.Compute();
                _computedAt = _position;
            }
            return SharedCursor ? 0 : _inBatch;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            _main?.GetIdGetter() ?? ((ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0));

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!_active.Contains(column.Index)) throw new InvalidOperationException($"column '{column.Name}' was not requested when the cursor was made");
            if (column.Index < _view._inputCount) return _main!.GetGetter<TValue>(_view._input.Schema[column.Index]);
            var getter = _batch!.Getter(column.Index - _view._inputCount, CurrentRow);
            return getter as ValueGetter<TValue>
                   ?? throw new InvalidOperationException($"column '{column.Name}' is {column.Type}, not {typeof(TValue).Name}");
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _main?.Dispose();
                if (!SharedCursor) _ahead?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
