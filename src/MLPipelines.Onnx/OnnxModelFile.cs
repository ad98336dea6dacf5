using System.Buffers.Binary;
using Google.Protobuf;
using MLPipelines.Onnx.Protobuf;

namespace MLPipelines.Onnx;

/// <summary>
/// An ONNX file read back: its graph, and its initializers (trained weights) as float32 arrays,
/// for importing weights that another framework trained. Every failure names the file.
/// </summary>
public sealed class OnnxModelFile
{
    private readonly Dictionary<string, TensorProto> _initializers;

    /// <summary>Where the model was read from.</summary>
    public string Path { get; }

    public ModelProto Model { get; }

    public GraphProto Graph => Model.Graph;

    private OnnxModelFile(string path, ModelProto model)
    {
        (Path, Model) = (path, model);
        _initializers = [];
        foreach (var initializer in model.Graph.Initializer) _initializers[initializer.Name] = initializer;
    }

    /// <summary>Reads an ONNX model file.</summary>
    public static OnnxModelFile Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no ONNX file at {path}", path);
        ModelProto model;
        try
        {
            using var stream = File.OpenRead(path);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{path} is not an ONNX model: {e.Message}", e);
        }
        if (model.Graph is null || model.Graph.Node.Count == 0)
            throw new InvalidDataException($"{path} is not an ONNX model: it has no graph nodes");
        return new OnnxModelFile(path, model);
    }

    /// <summary>The shape of an initializer.</summary>
    public long[] Shape(string name) => [.. Initializer(name).Dims];

    /// <summary>An initializer's float32 values in row-major order, from either of the encodings ONNX allows (raw bytes or the float field).</summary>
    public float[] Floats(string name)
    {
        var tensor = Initializer(name);
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
            throw new InvalidDataException($"{Path}: initializer '{name}' holds {(TensorProto.Types.DataType)tensor.DataType}, not float32");
        var count = tensor.Dims.Aggregate(1L, (a, b) => a * b);
        float[] values;
        if (tensor.RawData.Length > 0)
        {
            var bytes = tensor.RawData.Span;
            values = new float[bytes.Length / sizeof(float)];
            for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
        }
        else values = [.. tensor.FloatData];
        if (values.Length != count)
            throw new InvalidDataException($"{Path}: initializer '{name}' has {values.Length} values for its shape [{string.Join(", ", tensor.Dims)}]");
        return values;
    }

    private TensorProto Initializer(string name) =>
        _initializers.TryGetValue(name, out var tensor) ? tensor : throw new InvalidDataException($"{Path} has no initializer '{name}'");

    /// <summary>A node's integer-list attribute, or <paramref name="fallback"/> when the node does not set it.</summary>
    public static long[] Ints(NodeProto node, string attribute, long[] fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == attribute) is { } found ? [.. found.Ints] : fallback;

    /// <summary>A node's integer attribute, or <paramref name="fallback"/> when the node does not set it.</summary>
    public static long Int(NodeProto node, string attribute, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == attribute) is { } found ? found.I : fallback;

    /// <summary>A node's float attribute, or <paramref name="fallback"/> when the node does not set it.</summary>
    public static float Float(NodeProto node, string attribute, float fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == attribute) is { } found ? found.F : fallback;
}
