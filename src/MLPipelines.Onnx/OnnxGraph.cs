using Google.Protobuf;
using MLPipelines.Onnx.Protobuf;

namespace MLPipelines.Onnx;

/// <summary>
/// Builds one ONNX graph: inputs, constant tensors (initializers), nodes and outputs, each value
/// named uniquely. Exporters add nodes in order; <see cref="ToModel"/> checks the graph
/// (<see cref="OnnxCheck"/>) and wraps it in a model with its opsets and metadata.
/// </summary>
public sealed class OnnxGraph
{
    /// <summary>The standard domain's opset the exporters write for.</summary>
    public const int Opset = 17;

    /// <summary>ai.onnx.ml's opset: 5 has TreeEnsemble (category-set splits).</summary>
    public const int MLOpset = 5;

    /// <summary>The ai.onnx.ml domain's name.</summary>
    public const string MLDomain = "ai.onnx.ml";

    /// <summary>The symbolic batch dimension of every input and output.</summary>
    public const string BatchDimension = "N";

    private readonly GraphProto _graph;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Stack<string> _scopes = new();

    public OnnxGraph(string name)
    {
        _graph = new GraphProto { Name = name };
    }

    /// <summary>A graph input of shape [N, …]; returns its name.</summary>
    public string Input(string name, TensorProto.Types.DataType type, params long[] dimensionsAfterBatch)
    {
        Claim(name);
        _graph.Input.Add(ValueInfo(name, type, dimensionsAfterBatch));
        return name;
    }

    /// <summary>Declares <paramref name="value"/> a graph output of shape [N, …] under the name <paramref name="name"/> (an Identity node when they differ).</summary>
    public void Output(string name, string value, TensorProto.Types.DataType type, params long[] dimensionsAfterBatch)
    {
        if (name != value)
        {
            Claim(name);
            _graph.Node.Add(new NodeProto { OpType = "Identity", Input = { value }, Output = { name }, Name = name + "/Identity" });
        }
        _graph.Output.Add(ValueInfo(name, type, dimensionsAfterBatch));
    }

    /// <summary>Names created inside <paramref name="scope"/> start with it ("hidden0/MatMul"), until the result is disposed.</summary>
    public IDisposable Scope(string scope)
    {
        _scopes.Push(scope);
        return new PopScope(_scopes);
    }

    /// <summary>A float32 constant of the given shape.</summary>
    public string Constant(string hint, ReadOnlySpan<float> values, params long[] dimensions) =>
        AddInitializer(hint, TensorProto.Types.DataType.Float, dimensions, values.Length, Raw(values));

    /// <summary>A float64 constant of the given shape.</summary>
    public string Constant(string hint, ReadOnlySpan<double> values, params long[] dimensions) =>
        AddInitializer(hint, TensorProto.Types.DataType.Double, dimensions, values.Length, Raw(values));

    /// <summary>An int64 constant of the given shape.</summary>
    public string Constant(string hint, ReadOnlySpan<long> values, params long[] dimensions) =>
        AddInitializer(hint, TensorProto.Types.DataType.Int64, dimensions, values.Length, Raw(values));

    /// <summary>A string constant of the given shape.</summary>
    public string Constant(string hint, IReadOnlyList<string> values, params long[] dimensions)
    {
        var name = AddInitializer(hint, TensorProto.Types.DataType.String, dimensions, values.Count, null);
        _graph.Initializer[^1].StringData.AddRange(values.Select(ByteString.CopyFromUtf8));
        return name;
    }

    /// <summary>Little-endian raw data, as ONNX stores numeric tensors (this runs on little-endian machines only: x64 and arm64).</summary>
    private static ByteString Raw<T>(ReadOnlySpan<T> values) where T : unmanaged =>
        ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));

    /// <summary>A scalar float64 constant.</summary>
    public string Scalar(double value) => Constant("scalar", [value]);

    /// <summary>A scalar float32 constant.</summary>
    public string ScalarFloat(float value) => Constant("scalar", [value]);

    /// <summary>Adds a node with one output; returns the output's name.</summary>
    public string Node(string op, IEnumerable<string> inputs, params AttributeProto[] attributes) =>
        Node(op, inputs, 1, "", attributes)[0];

    /// <summary>Adds a node of any domain with <paramref name="outputs"/> outputs; returns their names.</summary>
    public string[] Node(string op, IEnumerable<string> inputs, int outputs, string domain, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Domain = domain, Name = UniqueName(op) };
        node.Input.AddRange(inputs);
        for (var i = 0; i < outputs; i++) node.Output.Add(UniqueName(op + "_out"));
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return node.Output.ToArray();
    }

    /// <summary>The model: this graph, checked, with the opsets it uses, the producer and the metadata.</summary>
    public ModelProto ToModel(string producerVersion, IReadOnlyDictionary<string, string> metadata)
    {
        OnnxCheck.Graph(_graph);
        var model = new ModelProto
        {
            IrVersion = 10,
            ProducerName = "MLPipelines",
            ProducerVersion = producerVersion,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        if (_graph.Node.Any(n => n.Domain == MLDomain)) model.OpsetImport.Add(new OperatorSetIdProto { Domain = MLDomain, Version = MLOpset });
        foreach (var (key, value) in metadata) model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    private string AddInitializer(string hint, TensorProto.Types.DataType type, long[] dimensions, int count, ByteString? raw)
    {
        var expected = dimensions.Aggregate(1L, (a, b) => a * b);
        if (expected != count) throw new ArgumentException($"a constant of shape [{string.Join(", ", dimensions)}] holds {expected} values, not {count}");
        var tensor = new TensorProto { Name = UniqueName(hint), DataType = (int)type };
        tensor.Dims.AddRange(dimensions);
        if (raw is not null) tensor.RawData = raw;
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, long[] dimensionsAfterBatch)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        foreach (var dimension in dimensionsAfterBatch) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dimension });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private string UniqueName(string hint)
    {
        var stem = _scopes.Count == 0 ? hint : string.Join("/", _scopes.Reverse()) + "/" + hint;
        var name = stem;
        for (var i = 1; !_names.Add(name); i++) name = $"{stem}_{i}";
        return name;
    }

    private void Claim(string name)
    {
        if (!_names.Add(name)) throw new ArgumentException($"the graph already has a value named '{name}'");
    }

    private sealed class PopScope(Stack<string> scopes) : IDisposable
    {
        public void Dispose() => scopes.Pop();
    }
}
