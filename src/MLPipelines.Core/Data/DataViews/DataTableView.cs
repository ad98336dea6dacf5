using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLPipelines.Data.DataViews;

/// <summary>
/// A <see cref="DataTable"/> as an ML.NET <see cref="IDataView"/>, without copying: numbers are
/// <c>Single</c> (NaN missing), categories and text are <c>Text</c> (missing is empty), booleans
/// are <c>Boolean</c> — except a boolean column with missing values, which ML.NET's Boolean
/// cannot hold: it is <c>Single</c> 1/0 with NaN for missing. Rows can be shuffled (ML.NET's
/// <c>ShuffleRows</c>) and the view can be a subset of the table's rows, in a given order.
/// </summary>
public sealed class DataTableView : IDataView
{
    private readonly int[]? _rows;

    /// <param name="table">The rows.</param>
    /// <param name="rows">The table's rows this view holds, in this order; all rows when null.</param>
    public DataTableView(DataTable table, int[]? rows = null)
    {
        Table = table;
        _rows = rows;
        var builder = new DataViewSchema.Builder();
        foreach (var column in table.Columns) builder.AddColumn(column.Name, ViewTypeOf(column), column is NumericColumn { HoldsDates: true } ? DateAnnotation : null);
        Schema = builder.ToSchema();
    }

    /// <summary>What a column of dates carries (<see cref="AnnotationNames.HoldsDates"/>).</summary>
    private static readonly DataViewSchema.Annotations DateAnnotation = DateAnnotations();

    private static DataViewSchema.Annotations DateAnnotations()
    {
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add(AnnotationNames.HoldsDates, BooleanDataViewType.Instance, (ref bool value) => value = true);
        return builder.ToAnnotations();
    }

    /// <summary>Whether a view's column holds dates as day counts (<see cref="NumericColumn.HoldsDates"/>, kept by the transforms that pass the column on).</summary>
    public static bool HoldsDates(DataViewSchema.Column column)
    {
        if (column.Annotations.Schema.GetColumnOrNull(AnnotationNames.HoldsDates) is not { Type: BooleanDataViewType }) return false;
        var value = false;
        column.Annotations.GetValue(AnnotationNames.HoldsDates, ref value);
        return value;
    }

    /// <summary>The table this view reads.</summary>
    public DataTable Table { get; }

    /// <summary>How many rows the view holds.</summary>
    public int RowCount => _rows?.Length ?? Table.RowCount;

    public bool CanShuffle => true;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => RowCount;

    /// <summary>The view's rows at these positions, in this order.</summary>
    public DataTableView Subset(ReadOnlySpan<int> positions)
    {
        var rows = new int[positions.Length];
        for (var i = 0; i < rows.Length; i++) rows[i] = _rows is null ? positions[i] : _rows[positions[i]];
        return new DataTableView(Table, rows);
    }

    /// <summary>Describes a row of the view for error messages: "line 17 of data.csv", or "row 17".</summary>
    public string DescribeRow(int position) => Table.DescribeRow(_rows is null ? position : _rows[position]);

    /// <summary>The ML.NET type a column is seen as.</summary>
    public static DataViewType ViewTypeOf(DataColumn column) => column switch
    {
        NumericColumn => NumberDataViewType.Single,
        BooleanColumn boolean when boolean.MissingCount == 0 => BooleanDataViewType.Instance,
        BooleanColumn => NumberDataViewType.Single,
        _ => TextDataViewType.Instance,
    };

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var order = _rows ?? (rand is null ? null : Enumerable.Range(0, Table.RowCount).ToArray());
        if (rand is not null)
        {
            order = order!.ToArray();
            rand.Shuffle(order);
        }
        var active = new bool[Schema.Count];
        foreach (var column in columnsNeeded) active[column.Index] = true;
        return new Cursor(this, order, active);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(DataTableView view, int[]? order, bool[] active) : DataViewRowCursor
    {
        private long _position = -1;

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => view.Schema;

        private int Row => order is null ? (int)_position : order[_position];

        public override bool MoveNext() => ++_position < view.RowCount;

        public override bool IsColumnActive(DataViewSchema.Column column) => active[column.Index];

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)Row, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!active[column.Index]) throw new InvalidOperationException($"column '{column.Name}' was not requested when the cursor was made");
            Delegate getter = view.Table.Columns[column.Index] switch
            {
                NumericColumn numeric => (ValueGetter<float>)((ref float value) => value = (float)numeric[Row]),
                BooleanColumn boolean when column.Type is BooleanDataViewType => (ValueGetter<bool>)((ref bool value) => value = boolean.Values[Row] == 1),
                BooleanColumn boolean => (ValueGetter<float>)((ref float value) => value = boolean.Values[Row] switch { 1 => 1f, 0 => 0f, _ => float.NaN }),
                CategoricalColumn categorical => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = categorical[Row].AsMemory()),
                TextColumn text => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = text[Row].AsMemory()),
                var other => throw new NotSupportedException($"column '{other.Name}' is {other.Type}"),
            };
            return getter as ValueGetter<TValue>
                   ?? throw new InvalidOperationException($"column '{column.Name}' is {column.Type}, not {typeof(TValue).Name}");
        }
    }
}
