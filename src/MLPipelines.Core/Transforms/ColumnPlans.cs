using System.Text.Json.Serialization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data;
using MLPipelines.Data.DataViews;
using MLPipelines.Transforms.Scaling;

namespace MLPipelines.Transforms;

/// <summary>
/// What the featurizer learned about one input column from the training rows, and how it
/// writes that column's slots of the feature vector. Serializable as JSON (it goes into
/// model files).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(NumericPlan), "numeric")]
[JsonDerivedType(typeof(BooleanPlan), "boolean")]
[JsonDerivedType(typeof(CategoricalPlan), "categorical")]
public abstract partial record ColumnPlan(string Column)
{
    /// <summary>What the input column must hold.</summary>
    [JsonIgnore]
    public abstract ColumnType InputType { get; }

    /// <summary>The names of the slots this plan writes, in order.</summary>
    public abstract IEnumerable<string> SlotNames();

    /// <summary>The [first, last] one-hot range among this plan's slots, if it writes one.</summary>
    public virtual (int First, int Last)? CategoricalRange => null;

    /// <summary>A writer of the plan's slots for the current row of <paramref name="row"/>.</summary>
    internal abstract SlotWriter Bind(DataViewRow row, DataViewSchema.Column column);

    private protected static string IndicatorName(string column) => column + "_missing";
}

/// <summary>Writes one row's slots of a plan into the feature vector.</summary>
internal delegate void SlotWriter(Span<float> slots);

/// <summary>
/// A number: non-finite values are missing; they are filled with <see cref="Fill"/> (the
/// training median) or kept as NaN when it is null; then <see cref="Scaler"/>, if any. For a
/// column of dates (a day count), a plan per <see cref="Part"/> reads the same column and writes
/// that part of the date instead ("sold.month").
/// </summary>
public sealed partial record NumericPlan(string Column, double? Fill, bool Indicator, NumericScaler? Scaler) : ColumnPlan(Column)
{
    /// <summary>The part of the date this plan writes (<see cref="Calendar"/>); null: the number itself.</summary>
    public CalendarPart? Part { get; init; }

    public override ColumnType InputType => ColumnType.Numeric;

    public override IEnumerable<string> SlotNames()
    {
        var name = Part is { } part ? $"{Column}.{part.ToString().ToLowerInvariant()}" : Column;
        return Indicator ? [name, IndicatorName(name)] : [name];
    }

    internal override SlotWriter Bind(DataViewRow row, DataViewSchema.Column column)
    {
        var read = ColumnReaders.Number(row, column);
        if (Part is { } part)
        {
            var readDay = read;
            read = () => Calendar.Part(readDay(), part);
        }
        return slots =>
        {
            var value = read();
            var missing = !double.IsFinite(value);
            if (missing) value = Fill ?? double.NaN;
            if (Scaler is not null && !double.IsNaN(value)) value = Scaler.Transform(value);
            slots[0] = (float)value;
            if (Indicator) slots[1] = missing ? 1f : 0f;
        };
    }
}

/// <summary>true → 1, false → 0. ML.NET's Boolean has no missing value; a boolean column with missing values reaches the featurizer as a number.</summary>
public sealed partial record BooleanPlan(string Column) : ColumnPlan(Column)
{
    public override ColumnType InputType => ColumnType.Boolean;

    public override IEnumerable<string> SlotNames() => [Column];

    internal override SlotWriter Bind(DataViewRow row, DataViewSchema.Column column)
    {
        var read = row.GetGetter<bool>(column);
        return slots =>
        {
            var value = false;
            read(ref value);
            slots[0] = value ? 1f : 0f;
        };
    }
}

/// <summary>
/// A category, one-hot encoded over <see cref="Levels"/> (the training levels, ordinal order)
/// and marked as a categorical slot range. A missing value (empty text, key 0) is filled with
/// level <see cref="FillLevel"/> (the most frequent), or, when that is null, left as all zeros;
/// a level not seen in training is all zeros.
/// </summary>
public sealed partial record CategoricalPlan(string Column, string[] Levels, int? FillLevel, bool Indicator) : ColumnPlan(Column)
{
    public override ColumnType InputType => ColumnType.Categorical;

    public override IEnumerable<string> SlotNames()
    {
        var levels = Levels.Select(level => $"{Column}.{level}");
        return Indicator ? levels.Append(IndicatorName(Column)) : levels;
    }

    public override (int First, int Last)? CategoricalRange => (0, Levels.Length - 1);

    internal override SlotWriter Bind(DataViewRow row, DataViewSchema.Column column)
    {
        var index = Levels.Select((level, i) => (level, i)).ToDictionary(p => p.level, p => p.i, StringComparer.Ordinal);
        Func<int?> level;
        if (column.Type is KeyDataViewType)
        {
            // Keys: the training level of each key value, found once.
            var keyLevels = ColumnReaders.KeyNames(column).Select(name => index.TryGetValue(name, out var i) ? i : -1).ToArray();
            var readKey = ColumnReaders.Key(row, column);
            level = () => readKey() is var key && key == 0 ? null : key <= (ulong)keyLevels.Length ? keyLevels[key - 1] : -1;
        }
        else
        {
            var lookup = index.GetAlternateLookup<ReadOnlySpan<char>>();
            var readText = row.GetGetter<ReadOnlyMemory<char>>(column);
            ReadOnlyMemory<char> text = default;
            level = () =>
            {
                readText(ref text);
                return text.IsEmpty ? null : lookup.TryGetValue(text.Span, out var i) ? i : -1;
            };
        }
        return slots =>
        {
            var value = level();
            var missing = value is null;
            var hot = value ?? FillLevel ?? -1;
            slots[..Levels.Length].Clear();
            if (hot >= 0) slots[hot] = 1f;
            if (Indicator) slots[Levels.Length] = missing ? 1f : 0f;
        };
    }
}

/// <summary>A column the featurizer does not use, and why.</summary>
public sealed record IgnoredColumn(string Column, string Reason);
