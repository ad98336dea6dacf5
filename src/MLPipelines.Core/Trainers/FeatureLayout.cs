using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data;
using MLPipelines.Data.DataViews;

namespace MLPipelines.Trainers;

/// <summary>What a column of the matrix a learner sees holds.</summary>
public enum FeatureKind
{
    /// <summary>A number.</summary>
    Numeric,

    /// <summary>A number that is only ever 0 or 1 in the training rows (a flag, a missing-value indicator): numeric embeddings leave it alone.</summary>
    Binary,

    /// <summary>One slot of a one-hot-encoded category, kept as a 0/1 column.</summary>
    OneHot,

    /// <summary>A category's level 0..K−1 (NaN when none is set), from a one-hot range collapsed into one column: for learners that split categories natively.</summary>
    CategoryCode,
}

/// <summary>How a learner takes a categorical feature that ML.NET one-hot encoded (a <c>CategoricalSlotRanges</c> range).</summary>
public enum CategoricalTreatment
{
    /// <summary>Its slots stay 0/1 columns.</summary>
    OneHot,

    /// <summary>One column holding the level (<see cref="FeatureKind.CategoryCode"/>).</summary>
    Code,

    /// <summary>An index column (0 none, 1..K the levels), for embedding layers.</summary>
    Index,
}

/// <summary>A column of the learner's matrix: slot <see cref="FirstSlot"/> of the feature vector, or for a category code the range up to <see cref="LastSlot"/>.</summary>
public sealed record LayoutColumn(string Name, FeatureKind Kind, int FirstSlot, int LastSlot);

/// <summary>A categorical feature given to embeddings: the one-hot range of the feature vector, as an index 0 (none) or 1..K.</summary>
public sealed record LayoutIndex(string Name, int FirstSlot, int LastSlot)
{
    /// <summary>K levels and the "none" index.</summary>
    public int Cardinality => LastSlot - FirstSlot + 2;
}

/// <summary>
/// How a feature vector (ML.NET's <c>Features</c> column: a known-size vector of Single) becomes
/// the rows a learner sees: numeric slots are copied; each categorical range that ML.NET's
/// <c>OneHotEncoding</c> marked (the <c>CategoricalSlotRanges</c> annotation, which
/// <c>Concatenate</c> carries along) stays one-hot, becomes one code column, or becomes an
/// embedding index, as the learner chooses. Without the annotation every slot is numeric.
/// Plain data: it is saved with the model and applied to every row the model predicts.
/// </summary>
public sealed partial record FeatureLayout(int InputLength, LayoutColumn[] Columns, LayoutIndex[] Indices)
{
    /// <summary>Builds the layout of a feature column; <paramref name="treatment"/> picks, from a range's level count, what to make of it.</summary>
    public static FeatureLayout For(DataViewSchema.Column features, Func<int, CategoricalTreatment> treatment)
    {
        var length = ((VectorDataViewType)features.Type).Size;
        var names = SlotNames(features, length);
        var ranges = CategoricalRanges(features, length);
        var columns = new List<LayoutColumn>();
        var indices = new List<LayoutIndex>();
        var slot = 0;
        foreach (var (first, last) in ranges.Append((length, length)))
        {
            for (; slot < first; slot++) columns.Add(new LayoutColumn(names[slot], FeatureKind.Numeric, slot, slot));
            if (first == length) break;
            var name = RangeName(names, first, last);
            switch (treatment(last - first + 1))
            {
                case CategoricalTreatment.OneHot:
                    for (var s = first; s <= last; s++) columns.Add(new LayoutColumn(names[s], FeatureKind.OneHot, s, s));
                    break;
                case CategoricalTreatment.Code:
                    columns.Add(new LayoutColumn(name, FeatureKind.CategoryCode, first, last));
                    break;
                default:
                    indices.Add(new LayoutIndex(name, first, last));
                    break;
            }
            slot = last + 1;
        }
        return new FeatureLayout(length, columns.ToArray(), indices.ToArray());
    }

    /// <summary>The learner's matrix width.</summary>
    public int Width => Columns.Length;

    public IReadOnlyList<string> FeatureNames => Columns.Select(c => c.Name).ToArray();

    public IReadOnlyList<FeatureKind> FeatureKinds => Columns.Select(c => c.Kind).ToArray();

    /// <summary>This layout with the columns at <paramref name="binary"/> marked <see cref="FeatureKind.Binary"/>.</summary>
    public FeatureLayout WithBinary(IReadOnlySet<int> binary) =>
        this with { Columns = Columns.Select((c, i) => binary.Contains(i) ? c with { Kind = FeatureKind.Binary } : c).ToArray() };

    /// <summary>
    /// Writes one feature vector (dense, all <see cref="InputLength"/> slots) as a row of the
    /// learner's matrix and index columns. In a category range the first slot that is not 0 is
    /// the level; a range of zeros (a missing or unseen category) is NaN as a code and 0 as an index.
    /// </summary>
    public void Write(ReadOnlySpan<float> vector, Span<float> row, Span<int> indices)
    {
        for (var c = 0; c < Columns.Length; c++)
        {
            var column = Columns[c];
            row[c] = column.Kind == FeatureKind.CategoryCode
                ? Level(vector, column.FirstSlot, column.LastSlot) is var level and >= 0 ? level : float.NaN
                : vector[column.FirstSlot];
        }
        for (var i = 0; i < Indices.Length; i++) indices[i] = Level(vector, Indices[i].FirstSlot, Indices[i].LastSlot) + 1;
    }

    private static int Level(ReadOnlySpan<float> vector, int first, int last)
    {
        for (var s = first; s <= last; s++)
            if (vector[s] != 0) return s - first;
        return -1;
    }

    private static string[] SlotNames(DataViewSchema.Column features, int length)
    {
        var names = Enumerable.Range(0, length).Select(i => $"{features.Name}[{i.ToString(CultureInfo.InvariantCulture)}]").ToArray();
        if (features.Annotations.Schema.GetColumnOrNull(AnnotationNames.SlotNames) is not { Type: VectorDataViewType { Size: var size } } || size != length)
            return names;
        VBuffer<ReadOnlyMemory<char>> slotNames = default;
        features.GetSlotNames(ref slotNames);
        foreach (var (slot, name) in slotNames.Items())
            if (!name.IsEmpty) names[slot] = name.ToString();
        return names;
    }

    private static List<(int First, int Last)> CategoricalRanges(DataViewSchema.Column features, int length)
    {
        var ranges = new List<(int, int)>();
        if (features.Annotations.Schema.GetColumnOrNull(AnnotationNames.CategoricalSlotRanges) is null) return ranges;
        VBuffer<int> values = default;
        features.Annotations.GetValue(AnnotationNames.CategoricalSlotRanges, ref values);
        var flat = values.DenseValues().ToArray();
        for (var i = 0; i + 1 < flat.Length; i += 2)
        {
            var (first, last) = (flat[i], flat[i + 1]);
            if (first < 0 || last < first || last >= length)
                throw new DataValidationException($"the {AnnotationNames.CategoricalSlotRanges} annotation of '{features.Name}' holds the range [{first}, {last}], which is not within its {length} slots");
            ranges.Add((first, last));
        }
        ranges.Sort();
        for (var i = 1; i < ranges.Count; i++)
            if (ranges[i].Item1 <= ranges[i - 1].Item2)
                throw new DataValidationException($"the {AnnotationNames.CategoricalSlotRanges} annotation of '{features.Name}' holds overlapping ranges [{ranges[i - 1].Item1}, {ranges[i - 1].Item2}] and [{ranges[i].Item1}, {ranges[i].Item2}]");
        return ranges;
    }

    /// <summary>A range's name: the slots' common prefix before '.' or '=' ("cut" for "cut.Fair", "cut.Good"), or its first and last slot names.</summary>
    private static string RangeName(string[] names, int first, int last)
    {
        var name = names[first];
        var cut = name.LastIndexOfAny(['.', '=']);
        if (cut > 0)
        {
            var prefix = name[..cut];
            if (Enumerable.Range(first, last - first + 1).All(s => names[s].StartsWith(prefix + name[cut], StringComparison.Ordinal))) return prefix;
        }
        return first == last ? name : $"{name}..{names[last]}";
    }
}
