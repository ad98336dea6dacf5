using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLPipelines.Data.DataViews;

/// <summary>The names of ML.NET's standard column annotations (ML.NET keeps its constants internal).</summary>
public static class AnnotationNames
{
    /// <summary>The names of a vector column's slots (vector of Text).</summary>
    public const string SlotNames = "SlotNames";

    /// <summary>The values of a key column's keys (a vector of the values' type).</summary>
    public const string KeyValues = "KeyValues";

    /// <summary>[first, last] slot pairs of a vector column that one-hot encode one category each (vector of Int32); LightGbm and this project's trainers read them.</summary>
    public const string CategoricalSlotRanges = "CategoricalSlotRanges";

    /// <summary>What a score column is for ("Regression", "BinaryClassification", ...): evaluators read it.</summary>
    public const string ScoreColumnKind = "ScoreColumnKind";

    /// <summary>What a column of a scorer's output holds ("Score", "Probability", "PredictedLabel").</summary>
    public const string ScoreValueKind = "ScoreValueKind";

    /// <summary>Groups the columns one scorer added.</summary>
    public const string ScoreColumnSetId = "ScoreColumnSetId";

    /// <summary>True on a probability column.</summary>
    public const string IsNormalized = "IsNormalized";

    /// <summary>True on a number column that holds dates as days since 1970-01-01 (this project's: <see cref="NumericColumn.HoldsDates"/>); the featurizer adds their calendar parts.</summary>
    public const string HoldsDates = "MLPipelines.HoldsDates";
}

/// <summary>
/// A key column's KeyValues annotation, kept as text with its item type so that it can be
/// saved in a model file and written back with the same type (text, numbers or booleans).
/// </summary>
public sealed record KeyValuesAnnotation(string ItemType, string[] Values)
{
    private static readonly Dictionary<string, DataViewType> Types = new()
    {
        ["Text"] = TextDataViewType.Instance,
        ["Single"] = NumberDataViewType.Single,
        ["Double"] = NumberDataViewType.Double,
        ["Int32"] = NumberDataViewType.Int32,
        ["UInt32"] = NumberDataViewType.UInt32,
        ["Int64"] = NumberDataViewType.Int64,
        ["UInt64"] = NumberDataViewType.UInt64,
        ["Boolean"] = BooleanDataViewType.Instance,
    };

    /// <summary>The column's key values (text, numbers or booleans; other types are replaced by the key numbers as text).</summary>
    public static KeyValuesAnnotation Read(DataViewSchema.Column column)
    {
        var annotation = column.Annotations.Schema.GetColumnOrNull(AnnotationNames.KeyValues)
                         ?? throw new InvalidOperationException($"column '{column.Name}' has no key values");
        var item = ((VectorDataViewType)annotation.Type).ItemType;
        var name = Types.FirstOrDefault(t => t.Value.Equals(item)).Key;
        return name switch
        {
            "Single" => new(name, Format<float>(column)),
            "Double" => new(name, Format<double>(column)),
            "Int32" => new(name, Format<int>(column)),
            "UInt32" => new(name, Format<uint>(column)),
            "Int64" => new(name, Format<long>(column)),
            "UInt64" => new(name, Format<ulong>(column)),
            "Boolean" => new(name, Format<bool>(column)),
            "Text" => new(name, Format<ReadOnlyMemory<char>>(column)),
            // Another item type (dates, say): the keys' numbers stand in for the values.
            _ => new("Text", Enumerable.Range(1, (int)((KeyDataViewType)column.Type).Count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray()),
        };
    }

    /// <summary>The item type to write back.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public DataViewType Type => Types.TryGetValue(ItemType, out var type) ? type : TextDataViewType.Instance;

    /// <summary>Adds the annotation, typed as it was read.</summary>
    public void AddTo(DataViewSchema.Annotations.Builder builder)
    {
        switch (ItemType)
        {
            case "Single": Add(builder, s => float.Parse(s, CultureInfo.InvariantCulture)); break;
            case "Double": Add(builder, s => double.Parse(s, CultureInfo.InvariantCulture)); break;
            case "Int32": Add(builder, s => int.Parse(s, CultureInfo.InvariantCulture)); break;
            case "UInt32": Add(builder, s => uint.Parse(s, CultureInfo.InvariantCulture)); break;
            case "Int64": Add(builder, s => long.Parse(s, CultureInfo.InvariantCulture)); break;
            case "UInt64": Add(builder, s => ulong.Parse(s, CultureInfo.InvariantCulture)); break;
            case "Boolean": Add(builder, bool.Parse); break;
            default: Add(builder, s => s.AsMemory()); break;
        }
    }

    private void Add<T>(DataViewSchema.Annotations.Builder builder, Func<string, T> parse)
    {
        var values = Values.Select(parse).ToArray();
        var type = new VectorDataViewType((PrimitiveDataViewType)Type, values.Length);
        builder.Add(AnnotationNames.KeyValues, type, (ValueGetter<VBuffer<T>>)((ref VBuffer<T> value) => value = new VBuffer<T>(values.Length, values.ToArray())));
    }

    private static string[] Format<T>(DataViewSchema.Column column)
    {
        VBuffer<T> values = default;
        column.GetKeyValues(ref values);
        return values.DenseValues().Select(v => v switch
        {
            ReadOnlyMemory<char> text => text.ToString(),
            IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
            _ => v!.ToString()!,
        }).ToArray();
    }
}
