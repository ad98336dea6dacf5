using Google.Protobuf;
using MLPipelines.Onnx.Protobuf;

namespace MLPipelines.Onnx;

/// <summary>Node attributes, by kind.</summary>
public static class Attributes
{
    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Ints(string name, IEnumerable<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Floats(string name, IEnumerable<float> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        attribute.Floats.AddRange(values);
        return attribute;
    }

    public static AttributeProto Strings(string name, IEnumerable<string> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        attribute.Strings.AddRange(values.Select(ByteString.CopyFromUtf8));
        return attribute;
    }

    /// <summary>A tensor attribute (TreeEnsemble takes its splits and leaf weights as tensors).</summary>
    public static AttributeProto Tensor(string name, TensorProto value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = value };

    /// <summary>A float32 or float64 vector as a tensor (for <see cref="Tensor"/>).</summary>
    public static TensorProto Vector(float[] values)
    {
        var tensor = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(values.Length);
        tensor.FloatData.AddRange(values);
        return tensor;
    }

    /// <summary>A uint8 vector as a tensor (TreeEnsemble's node modes).</summary>
    public static TensorProto Bytes(byte[] values)
    {
        var tensor = new TensorProto { DataType = (int)TensorProto.Types.DataType.Uint8 };
        tensor.Dims.Add(values.Length);
        tensor.RawData = ByteString.CopyFrom(values);
        return tensor;
    }
}
