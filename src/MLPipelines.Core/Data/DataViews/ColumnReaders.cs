using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLPipelines.Data.DataViews;

/// <summary>
/// Reads one scalar column of an ML.NET row as the project's column kinds see it: numbers of
/// any ML.NET number type as doubles (NaN missing); dates (DateTime, DateTimeOffset) as days since 1970-01-01,
/// the time of day the fraction, as <c>LoadCsv</c> reads ISO dates (the default DateTime, 0001-01-01,
/// which ML.NET's text loader gives an empty field, is missing); booleans; text (empty is missing); keys as
/// their 0-based level (−1 for the missing key 0) with the level names from the KeyValues
/// annotation (or the key numbers when there is none).
/// </summary>
public static class ColumnReaders
{
    /// <summary>What the project can make of a column's type, or null when nothing (vectors, images, spans).</summary>
    public static ColumnType? KindOf(DataViewType type) => type switch
    {
        NumberDataViewType or DateTimeDataViewType or DateTimeOffsetDataViewType => ColumnType.Numeric,
        BooleanDataViewType => ColumnType.Boolean,
        TextDataViewType => ColumnType.Categorical,
        KeyDataViewType => ColumnType.Categorical,
        _ => null,
    };

    /// <summary>A reader of a number column as doubles.</summary>
    public static Func<double> Number(DataViewRow row, DataViewSchema.Column column)
    {
        var type = column.Type.RawType;
        if (type == typeof(float)) { var g = row.GetGetter<float>(column); float v = 0; return () => { g(ref v); return v; }; }
        if (type == typeof(double)) { var g = row.GetGetter<double>(column); double v = 0; return () => { g(ref v); return v; }; }
        if (type == typeof(sbyte)) { var g = row.GetGetter<sbyte>(column); sbyte v = 0; return () => { g(ref v); return v; }; }
        if (type == typeof(byte)) { var g = row.GetGetter<byte>(column); byte v = 0; return () => { g(ref v); return v; }; }
        if (type == typeof(short)) { var g = row.GetGetter<short>(column); short v = 0; return () => { g(ref v); return v; }; }
        if (type == typeof(ushort)) { var g = row.GetGetter<ushort>(column); ushort v = 0; return () => { g(ref v); return v; }; }
        if (type == typeof(int)) { var g = row.GetGetter<int>(column); int v = 0; return () => { g(ref v); return v; }; }
        if (type == typeof(uint)) { var g = row.GetGetter<uint>(column); uint v = 0; return () => { g(ref v); return v; }; }
        if (type == typeof(long)) { var g = row.GetGetter<long>(column); long v = 0; return () => { g(ref v); return v; }; }
        if (type == typeof(ulong)) { var g = row.GetGetter<ulong>(column); ulong v = 0; return () => { g(ref v); return v; }; }
        if (type == typeof(DateTime)) { var g = row.GetGetter<DateTime>(column); DateTime v = default; return () => { g(ref v); return Days(v); }; }
        if (type == typeof(DateTimeOffset)) { var g = row.GetGetter<DateTimeOffset>(column); DateTimeOffset v = default; return () => { g(ref v); return Days(v.DateTime); }; }
        throw new NotSupportedException($"column '{column.Name}' is {column.Type}, not a number");
    }

    /// <summary>
    /// A DateTime as days since 1970-01-01 (its Kind is not read: the wall-clock time, as the CSV reader reads one); the
    /// default DateTime is missing. A DateTimeOffset is read by its wall-clock time too, where it was recorded (its
    /// <c>DateTime</c>, as pandas' calendar fields read a time-zone-aware time): the hour and weekday of a purchase are
    /// the buyer's, not UTC's.
    /// </summary>
    public static double Days(DateTime value) =>
        value == default ? double.NaN : (value.Ticks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerDay;

    /// <summary>
    /// Whether a column holds dates: a DateTime or DateTimeOffset, or a day count marked so (<see cref="DataTableView.HoldsDates"/>: an ISO
    /// date column of <c>LoadCsv</c>).
    /// </summary>
    public static bool HoldsDates(DataViewSchema.Column column) =>
        column.Type is DateTimeDataViewType or DateTimeOffsetDataViewType || DataTableView.HoldsDates(column);

    /// <summary>A reader of a key column: the 1-based key, 0 for missing.</summary>
    public static Func<ulong> Key(DataViewRow row, DataViewSchema.Column column)
    {
        var type = column.Type.RawType;
        if (type == typeof(uint)) { var g = row.GetGetter<uint>(column); uint v = 0; return () => { g(ref v); return v; }; }
        if (type == typeof(byte)) { var g = row.GetGetter<byte>(column); byte v = 0; return () => { g(ref v); return v; }; }
        if (type == typeof(ushort)) { var g = row.GetGetter<ushort>(column); ushort v = 0; return () => { g(ref v); return v; }; }
        if (type == typeof(ulong)) { var g = row.GetGetter<ulong>(column); ulong v = 0; return () => { g(ref v); return v; }; }
        throw new NotSupportedException($"column '{column.Name}' is {column.Type}, not a key");
    }

    /// <summary>The names of a key column's levels, in key order: its KeyValues annotation as text, or "1", "2", ... without one.</summary>
    public static string[] KeyNames(DataViewSchema.Column column)
    {
        var count = (int)((KeyDataViewType)column.Type).Count;
        var values = column.Annotations.Schema.GetColumnOrNull(AnnotationNames.KeyValues);
        if (values is { Type: VectorDataViewType vector } && vector.Size == count)
            return KeyValuesAnnotation.Read(column).Values;
        return Enumerable.Range(1, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>
    /// Reads columns of a view into a table: numbers, booleans, categories (text and keys), and
    /// vectors of Single of known size as one column per slot ("Score.Adelie": the slot's name,
    /// or its index). A column of another type is an error that names it. <paramref name="rowsRead"/>, if given, hears
    /// how many rows are read so far, every 1,024 (what reports a long scoring's progress).
    /// </summary>
    public static DataTable ToTable(IDataView data, IReadOnlyList<DataViewSchema.Column> columns, Action<long>? rowsRead = null)
    {
        var builders = columns.Select(c => (Builder)(KindOf(c.Type) switch
        {
            ColumnType.Numeric => new NumericBuilder(c),
            ColumnType.Boolean => new BooleanBuilder(c),
            ColumnType.Categorical when c.Type is KeyDataViewType => new KeyBuilder(c),
            ColumnType.Categorical => new TextBuilder(c),
            _ when IsSingleVector(c.Type) => new VectorBuilder(c),
            _ => throw new DataValidationException($"column '{c.Name}' is {c.Type}: only numbers, booleans, text, keys and vectors of Single can be read as table columns"),
        })).ToArray();
        using (var cursor = data.GetRowCursor(columns))
        {
            foreach (var builder in builders) builder.Bind(cursor);
            long rows = 0;
            while (cursor.MoveNext())
            {
                foreach (var builder in builders) builder.Add();
                if (++rows % 1024 == 0) rowsRead?.Invoke(rows);
            }
        }
        return new DataTable(builders.SelectMany(b => b.Build()));
    }

    /// <summary>A vector of Single of known size.</summary>
    public static bool IsSingleVector(DataViewType type) => type is VectorDataViewType { Size: > 0, ItemType: var item } && item == NumberDataViewType.Single;

    private abstract class Builder(DataViewSchema.Column column)
    {
        protected DataViewSchema.Column Column { get; } = column;

        public abstract void Bind(DataViewRow row);

        public abstract void Add();

        public abstract IEnumerable<DataColumn> Build();
    }

    private sealed class NumericBuilder(DataViewSchema.Column column) : Builder(column)
    {
        private readonly List<double> _values = [];
        private Func<double> _read = null!;

        public override void Bind(DataViewRow row) => _read = Number(row, Column);

        public override void Add() => _values.Add(_read());

        public override IEnumerable<DataColumn> Build() => [new NumericColumn(Column.Name, _values.ToArray()) { HoldsDates = HoldsDates(Column) }];
    }

    private sealed class BooleanBuilder(DataViewSchema.Column column) : Builder(column)
    {
        private readonly List<sbyte> _values = [];
        private ValueGetter<bool> _read = null!;

        public override void Bind(DataViewRow row) => _read = row.GetGetter<bool>(Column);

        public override void Add()
        {
            var value = false;
            _read(ref value);
            _values.Add(value ? (sbyte)1 : (sbyte)0);
        }

        public override IEnumerable<DataColumn> Build() => [new BooleanColumn(Column.Name, _values.ToArray())];
    }

    private sealed class TextBuilder(DataViewSchema.Column column) : Builder(column)
    {
        private readonly List<string> _levels = [];
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
        private readonly List<int> _codes = [];
        private ValueGetter<ReadOnlyMemory<char>> _read = null!;

        public override void Bind(DataViewRow row) => _read = row.GetGetter<ReadOnlyMemory<char>>(Column);

        public override void Add()
        {
            ReadOnlyMemory<char> value = default;
            _read(ref value);
            if (value.IsEmpty)
            {
                _codes.Add(CategoricalColumn.Missing);
                return;
            }
            var lookup = _index.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!lookup.TryGetValue(value.Span, out var code))
            {
                code = _levels.Count;
                var level = value.ToString();
                _levels.Add(level);
                _index.Add(level, code);
            }
            _codes.Add(code);
        }

        public override IEnumerable<DataColumn> Build() => [new CategoricalColumn(Column.Name, _levels.ToArray(), _codes.ToArray())];
    }

    private sealed class KeyBuilder(DataViewSchema.Column column) : Builder(column)
    {
        private readonly List<int> _codes = [];
        private Func<ulong> _read = null!;

        public override void Bind(DataViewRow row) => _read = Key(row, Column);

        public override void Add() => _codes.Add((int)_read() - 1);

        public override IEnumerable<DataColumn> Build() => [new CategoricalColumn(Column.Name, KeyNames(Column), _codes.ToArray())];
    }

    private sealed class VectorBuilder(DataViewSchema.Column column) : Builder(column)
    {
        private readonly int _size = ((VectorDataViewType)column.Type).Size;
        private readonly List<float> _values = [];
        private ValueGetter<VBuffer<float>> _read = null!;
        private VBuffer<float> _vector;

        public override void Bind(DataViewRow row) => _read = row.GetGetter<VBuffer<float>>(Column);

        public override void Add()
        {
            _read(ref _vector);
            foreach (var value in _vector.DenseValues()) _values.Add(value);
        }

        public override IEnumerable<DataColumn> Build()
        {
            var names = Enumerable.Range(0, _size).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            if (Column.Annotations.Schema.GetColumnOrNull(AnnotationNames.SlotNames) is { Type: VectorDataViewType { Size: var size } } && size == _size)
            {
                VBuffer<ReadOnlyMemory<char>> slots = default;
                Column.GetSlotNames(ref slots);
                foreach (var (slot, name) in slots.Items()) if (!name.IsEmpty) names[slot] = name.ToString();
            }
            var rows = _values.Count / _size;
            return names.Select((name, slot) => new NumericColumn($"{Column.Name}.{name}", Enumerable.Range(0, rows).Select(r => (double)_values[r * _size + slot]).ToArray()));
        }
    }
}
