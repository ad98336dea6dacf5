using Microsoft.ML.Data;
using MLPipelines.Onnx;
using MLPipelines.Onnx.Protobuf;
using MLPipelines.Transforms.Scaling;

namespace MLPipelines.Transforms;

public sealed partial class FeaturizerTransformer
{
    /// <summary>
    /// The feature vector [N, slots] (float32) as ONNX nodes, from each plan's raw column [N, 1]
    /// (<paramref name="input"/> gives its graph input and ML.NET type), doing what each plan's
    /// writer does to a row: numbers in float64 — non-finite values missing, filled (or NaN),
    /// scaled, then float32, with a 0/1 indicator — Booleans as 0/1, categories one-hot. The
    /// numbers and Booleans are handled as one [N, k] block each (a few nodes whatever the column
    /// count); the slots are put in the plans' order by one final gather.
    /// </summary>
    internal string WriteOnnx(OnnxGraph graph, Func<ColumnPlan, (string Input, DataViewType Type)> input)
    {
        using var _ = graph.Scope("featurizer");
        var parts = new List<string>();
        var partSlots = new List<int>();   // for each column of the concatenated parts, its slot in the feature vector
        var numeric = Plans.Select((plan, i) => (Plan: plan as NumericPlan, Offset: _offsets[i])).Where(p => p.Plan is not null).ToList();
        if (numeric.Count > 0)
        {
            var x = graph.Concat(numeric.Select(p => Value(graph, p.Plan!, ToDouble(graph, input(p.Plan!)))).ToArray(), axis: 1);
            var missing = graph.Or(graph.IsNaN(x), graph.IsInf(x));
            var filled = graph.Where(missing, graph.Constant("fill", numeric.Select(p => p.Plan!.Fill ?? double.NaN).ToArray(), 1, numeric.Count), x);
            var scaled = NumericScaler.WriteOnnx(graph, filled, numeric.Select(p => p.Plan!.Scaler).ToArray());
            parts.Add(graph.Cast(scaled, TensorProto.Types.DataType.Float));
            partSlots.AddRange(numeric.Select(p => p.Offset));
            var indicated = numeric.Select((p, j) => (p.Plan!.Indicator, j, p.Offset)).Where(p => p.Indicator).ToList();
            if (indicated.Count > 0)
            {
                parts.Add(graph.Columns(graph.Cast(missing, TensorProto.Types.DataType.Float), indicated.Select(p => (long)p.j).ToArray()));
                partSlots.AddRange(indicated.Select(p => p.Offset + 1));
            }
        }
        var booleans = Plans.Select((plan, i) => (Plan: plan as BooleanPlan, Offset: _offsets[i])).Where(p => p.Plan is not null).ToList();
        if (booleans.Count > 0)
        {
            parts.Add(graph.Cast(graph.Concat(booleans.Select(p => input(p.Plan!).Input).ToArray(), axis: 1), TensorProto.Types.DataType.Float));
            partSlots.AddRange(booleans.Select(p => p.Offset));
        }
        for (var i = 0; i < Plans.Count; i++)
        {
            if (Plans[i] is not CategoricalPlan categorical) continue;
            var (name, type) = input(categorical);
            parts.Add(categorical.WriteOnnx(graph, name, type));
            partSlots.AddRange(Enumerable.Range(_offsets[i], categorical.SlotNames().Count()));
        }
        var joined = graph.Concat(parts, axis: 1);
        var position = new long[partSlots.Count];
        for (var column = 0; column < partSlots.Count; column++) position[partSlots[column]] = column;
        return position.Select((p, slot) => p == slot).All(same => same) ? joined : graph.Columns(joined, position);
    }

    /// <summary>What a numeric plan writes of its column [N, 1] (float64): the number, or the part of the date it writes.</summary>
    private static string Value(OnnxGraph graph, NumericPlan plan, string number) =>
        plan.Part is { } part ? Calendar.WriteOnnx(graph, number, part) : number;

    /// <summary>A raw numeric column in float64, as the plans read every number.</summary>
    private static string ToDouble(OnnxGraph graph, (string Input, DataViewType Type) column) =>
        column.Type.RawType == typeof(double) ? column.Input : graph.Cast(column.Input, TensorProto.Types.DataType.Double);
}
