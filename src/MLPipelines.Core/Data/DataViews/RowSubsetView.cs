using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLPipelines.Data.DataViews;

/// <summary>
/// Some rows of a view, by position (0-based, increasing), in their order: what a split or a
/// fold of any view is. A cursor walks the input and skips the rows that are not kept.
/// </summary>
public sealed class RowSubsetView : IDataView
{
    private readonly IDataView _input;
    private readonly int[] _rows;

    public RowSubsetView(IDataView input, int[] rows)
    {
        for (var i = 1; i < rows.Length; i++)
            if (rows[i] <= rows[i - 1]) throw new ArgumentException("row positions must increase", nameof(rows));
        _input = input;
        _rows = rows;
    }

    /// <summary>A subset of <paramref name="input"/>: a <see cref="DataTableView"/> picks its rows directly, other views are walked.</summary>
    public static IDataView Of(IDataView input, int[] rows) =>
        input is DataTableView table ? table.Subset(rows) : new RowSubsetView(input, rows);

    public DataViewSchema Schema => _input.Schema;

    public bool CanShuffle => false;

    public long? GetRowCount() => _rows.Length;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(_input.GetRowCursor(columnsNeeded), _rows);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(DataViewRowCursor input, int[] rows) : DataViewRowCursor
    {
        private long _position = -1;
        private long _inputPosition = -1;

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => input.Schema;

        public override bool MoveNext()
        {
            if (_position + 1 >= rows.Length) return false;
            var target = rows[_position + 1];
            while (_inputPosition < target)
            {
                if (!input.MoveNext()) return false;
                _inputPosition++;
            }
            _position++;
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => input.IsColumnActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => input.GetGetter<TValue>(column);

        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

        protected override void Dispose(bool disposing)
        {
            if (disposing) input.Dispose();
            base.Dispose(disposing);
        }
    }
}
