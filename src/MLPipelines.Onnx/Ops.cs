using MLPipelines.Onnx.Protobuf;

namespace MLPipelines.Onnx;

/// <summary>The standard operators the exporters use, as calls that return the output's name (opset <see cref="OnnxGraph.Opset"/> signatures).</summary>
public static class Ops
{
    public static string Add(this OnnxGraph g, string a, string b) => g.Node("Add", [a, b]);

    public static string Sub(this OnnxGraph g, string a, string b) => g.Node("Sub", [a, b]);

    public static string Mul(this OnnxGraph g, string a, string b) => g.Node("Mul", [a, b]);

    public static string Div(this OnnxGraph g, string a, string b) => g.Node("Div", [a, b]);

    public static string Neg(this OnnxGraph g, string x) => g.Node("Neg", [x]);

    public static string Sqrt(this OnnxGraph g, string x) => g.Node("Sqrt", [x]);

    public static string Exp(this OnnxGraph g, string x) => g.Node("Exp", [x]);

    public static string Log(this OnnxGraph g, string x) => g.Node("Log", [x]);

    public static string Abs(this OnnxGraph g, string x) => g.Node("Abs", [x]);

    public static string Sin(this OnnxGraph g, string x) => g.Node("Sin", [x]);

    public static string Cos(this OnnxGraph g, string x) => g.Node("Cos", [x]);

    public static string Tanh(this OnnxGraph g, string x) => g.Node("Tanh", [x]);

    public static string Relu(this OnnxGraph g, string x) => g.Node("Relu", [x]);

    public static string Sigmoid(this OnnxGraph g, string x) => g.Node("Sigmoid", [x]);

    public static string Softplus(this OnnxGraph g, string x) => g.Node("Softplus", [x]);

    public static string Not(this OnnxGraph g, string x) => g.Node("Not", [x]);

    public static string Or(this OnnxGraph g, string a, string b) => g.Node("Or", [a, b]);

    public static string And(this OnnxGraph g, string a, string b) => g.Node("And", [a, b]);

    public static string Less(this OnnxGraph g, string a, string b) => g.Node("Less", [a, b]);

    public static string LessOrEqual(this OnnxGraph g, string a, string b) => g.Node("LessOrEqual", [a, b]);

    public static string Greater(this OnnxGraph g, string a, string b) => g.Node("Greater", [a, b]);

    public static string Equal(this OnnxGraph g, string a, string b) => g.Node("Equal", [a, b]);

    public static string IsNaN(this OnnxGraph g, string x) => g.Node("IsNaN", [x]);

    public static string IsInf(this OnnxGraph g, string x) => g.Node("IsInf", [x]);

    public static string Where(this OnnxGraph g, string condition, string whenTrue, string whenFalse) => g.Node("Where", [condition, whenTrue, whenFalse]);

    public static string Max(this OnnxGraph g, string a, string b) => g.Node("Max", [a, b]);

    public static string Min(this OnnxGraph g, string a, string b) => g.Node("Min", [a, b]);

    public static string MatMul(this OnnxGraph g, string a, string b) => g.Node("MatMul", [a, b]);

    public static string Cast(this OnnxGraph g, string x, TensorProto.Types.DataType to) => g.Node("Cast", [x], Attributes.Int("to", (int)to));

    public static string Identity(this OnnxGraph g, string x) => g.Node("Identity", [x]);

    public static string Concat(this OnnxGraph g, IReadOnlyList<string> parts, int axis) =>
        parts.Count == 1 ? parts[0] : g.Node("Concat", parts, Attributes.Int("axis", axis));

    public static string Gather(this OnnxGraph g, string data, string indices, int axis) => g.Node("Gather", [data, indices], Attributes.Int("axis", axis));

    /// <summary>Columns of a [N, F] value, by their indices.</summary>
    public static string Columns(this OnnxGraph g, string x, IReadOnlyList<long> columns) =>
        g.Gather(x, g.Constant("columns", columns.ToArray(), columns.Count), axis: 1);

    /// <summary>x[start:end] along <paramref name="axis"/> (negative positions count from the end; long.MaxValue for "to the end").</summary>
    public static string Slice(this OnnxGraph g, string x, long start, long end, long axis) =>
        g.Node("Slice", [x, g.Constant("starts", [start], 1), g.Constant("ends", [end], 1), g.Constant("axes", [axis], 1)]);

    /// <summary>x's shape, as an int64 vector.</summary>
    public static string Shape(this OnnxGraph g, string x) => g.Node("Shape", [x]);

    /// <summary>The rows of x (its first dimension) as an int64 vector [1], for shapes built at run time.</summary>
    public static string Rows(this OnnxGraph g, string x) => g.Gather(g.Shape(x), g.Constant("first_axis", [0L], 1), axis: 0);

    /// <summary>A [1, k] constant repeated for each row of <paramref name="like"/>: [N, k].</summary>
    public static string RepeatRows(this OnnxGraph g, ReadOnlySpan<float> row, string like) =>
        g.Expand(g.Constant("row", row, 1, row.Length), g.Concat([g.Rows(like), g.Constant("width", [(long)row.Length], 1)], axis: 0));

    /// <summary>x broadcast to <paramref name="shape"/> (an int64 vector value).</summary>
    public static string Expand(this OnnxGraph g, string x, string shape) => g.Node("Expand", [x, shape]);

    /// <summary>Reshape; a 0 in <paramref name="shape"/> keeps that dimension of x (ONNX's convention).</summary>
    public static string Reshape(this OnnxGraph g, string x, params long[] shape) => g.Node("Reshape", [x, g.Constant("shape", shape, shape.Length)]);

    public static string Unsqueeze(this OnnxGraph g, string x, params long[] axes) => g.Node("Unsqueeze", [x, g.Constant("axes", axes, axes.Length)]);

    public static string Squeeze(this OnnxGraph g, string x, params long[] axes) => g.Node("Squeeze", [x, g.Constant("axes", axes, axes.Length)]);

    public static string Transpose(this OnnxGraph g, string x, params long[] permutation) => g.Node("Transpose", [x], Attributes.Ints("perm", permutation));

    public static string ReduceSum(this OnnxGraph g, string x, long axis, bool keepDims) =>
        g.Node("ReduceSum", [x, g.Constant("axes", [axis], 1)], Attributes.Int("keepdims", keepDims ? 1 : 0));

    public static string ReduceMean(this OnnxGraph g, string x, long axis, bool keepDims) =>
        g.Node("ReduceMean", [x], Attributes.Ints("axes", [axis]), Attributes.Int("keepdims", keepDims ? 1 : 0));

    public static string ReduceMax(this OnnxGraph g, string x, long axis, bool keepDims) =>
        g.Node("ReduceMax", [x], Attributes.Ints("axes", [axis]), Attributes.Int("keepdims", keepDims ? 1 : 0));

    public static string ArgMax(this OnnxGraph g, string x, long axis, bool keepDims) =>
        g.Node("ArgMax", [x], Attributes.Int("axis", axis), Attributes.Int("keepdims", keepDims ? 1 : 0), Attributes.Int("select_last_index", 0));

    public static string Softmax(this OnnxGraph g, string x, long axis) => g.Node("Softmax", [x], Attributes.Int("axis", axis));
}
