using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLPipelines.Tests;

/// <summary>
/// Reads the prediction columns of a pipeline's output and of ApplyOnnxModel's over an exported
/// file alike (ONNX outputs arrive as vectors of one), and measures how far two sets of scores are
/// apart. Shared by the ONNX tests and the benchmarks' every-row parity check (linked there).
/// </summary>
internal static class ScoredColumns
{
    /// <summary>Each row's Score, followed by its Probability when the output has one (binary).</summary>
    public static List<float[]> Scores(IDataView scored)
    {
        var columns = new[] { "Score", "Probability" }.Select(scored.Schema.GetColumnOrNull).OfType<DataViewSchema.Column>().ToArray();
        var result = new List<float[]>();
        using var cursor = scored.GetRowCursor(columns);
        var getters = columns.Select(c => Floats(cursor, c)).ToArray();
        while (cursor.MoveNext()) result.Add(getters.SelectMany(g => g()).ToArray());
        return result;
    }

    /// <summary>
    /// The predicted labels as text — a key's value, a Boolean, a class name — or none when the
    /// output has no PredictedLabel (regression).
    /// </summary>
    public static List<string> Labels(IDataView scored)
    {
        var result = new List<string>();
        if (scored.Schema.GetColumnOrNull("PredictedLabel") is not { } column) return result;
        using var cursor = scored.GetRowCursor([column]);
        switch (column.Type)
        {
            case BooleanDataViewType:
                var boolean = cursor.GetGetter<bool>(column);
                var b = false;
                while (cursor.MoveNext()) { boolean(ref b); result.Add(b.ToString()); }
                break;
            case VectorDataViewType { ItemType: BooleanDataViewType }:
                var booleans = cursor.GetGetter<VBuffer<bool>>(column);
                VBuffer<bool> bs = default;
                while (cursor.MoveNext()) { booleans(ref bs); result.Add(bs.GetItemOrDefault(0).ToString()); }
                break;
            case KeyDataViewType:
                VBuffer<ReadOnlyMemory<char>> names = default;
                column.GetKeyValues(ref names);
                var keyNames = names.DenseValues().Select(n => n.ToString()).ToArray();
                var key = cursor.GetGetter<uint>(column);
                uint k = 0;
                while (cursor.MoveNext()) { key(ref k); result.Add(k == 0 ? "" : keyNames[k - 1]); }
                break;
            default:
                var text = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(column);
                VBuffer<ReadOnlyMemory<char>> t = default;
                while (cursor.MoveNext()) { text(ref t); result.Add(t.GetItemOrDefault(0).ToString()); }
                break;
        }
        return result;
    }

    /// <summary>
    /// The largest difference between two sets of scores relative to max(1, |score|, the scores'
    /// standard deviation) — scores near 0 (small probabilities, margins) are compared absolutely,
    /// a regression's by the scale of its predictions, where float rounding lives — and where it
    /// is. A NaN on one side only is an infinite difference.
    /// </summary>
    public static (double Largest, string Where) LargestDifference(List<float[]> expected, List<float[]> actual)
    {
        if (expected.Count != actual.Count) throw new InvalidOperationException($"{expected.Count} native rows but {actual.Count} ONNX rows");
        if (expected.Count == 0) return (0, "");
        var spread = Enumerable.Range(0, expected[0].Length).Select(k => StandardDeviation(expected.Select(row => (double)row[k]).Where(double.IsFinite).ToArray())).ToArray();
        var (largest, where) = (0.0, "");
        for (var r = 0; r < expected.Count; r++)
        {
            if (expected[r].Length != actual[r].Length) throw new InvalidOperationException($"row {r}: {expected[r].Length} native values but {actual[r].Length} ONNX values");
            for (var k = 0; k < expected[r].Length; k++)
            {
                var (e, a) = (expected[r][k], actual[r][k]);
                var difference = float.IsNaN(e) != float.IsNaN(a) ? double.PositiveInfinity
                    : float.IsNaN(e) ? 0 : Math.Abs(e - a) / Math.Max(Math.Max(1, Math.Abs(e)), spread[k]);
                if (difference > largest) (largest, where) = (difference, $"row {r}, value {k}: native {e:R}, ONNX {a:R}");
            }
        }
        return (largest, where);
    }

    private static double StandardDeviation(double[] values)
    {
        if (values.Length == 0) return 0;
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }

    private static Func<float[]> Floats(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        if (column.Type is VectorDataViewType)
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> value = default;
            return () =>
            {
                getter(ref value);
                return value.DenseValues().ToArray();
            };
        }
        var scalar = cursor.GetGetter<float>(column);
        float v = 0;
        return () =>
        {
            scalar(ref v);
            return [v];
        };
    }
}
