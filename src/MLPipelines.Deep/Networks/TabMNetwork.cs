using MLPipelines.Deep.Onnx;
using MLPipelines.Deep.Options;
using MLPipelines.Onnx;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;

namespace MLPipelines.Deep.Networks;

/// <summary>
/// BatchEnsemble's linear layer for k members: one shared weight W and per-member adapters,
/// y_i = ((x_i ⊙ r_i) W) ⊙ s_i + b_i. [B, k, in] → [B, k, out]. W is initialized like PyTorch's
/// Linear; r and s with ones; the k biases with one shared draw.
/// </summary>
public sealed class LinearEnsemble : Module<Tensor, Tensor>, IOnnxModule
{
    public Tensor Weight { get; }
    public Tensor InputScale { get; }
    public Tensor OutputScale { get; }
    public Tensor Bias { get; }

    public LinearEnsemble(int inputs, int outputs, int k)
    {
        var bound = 1 / Math.Sqrt(inputs);
        using var _ = TorchRuntime.NoGrad();
        Weight = RegisterParameter("weight", Tensors.Empty([outputs, inputs]).UniformInPlace(-bound, bound));
        InputScale = RegisterParameter("r", Tensors.Ones([k, inputs]));
        OutputScale = RegisterParameter("s", Tensors.Ones([k, outputs]));
        using var bias = Tensors.Empty([outputs]).UniformInPlace(-bound, bound);
        Bias = RegisterParameter("bias", bias.Unsqueeze(0).Repeat(k, 1));
    }

    /// <summary>Predicting (gradients off), the output scale and bias are applied in place: two fewer [B·k, out] tensors written per layer.</summary>
    public override Tensor Forward(Tensor input)
    {
        var product = Functional.Linear(input * InputScale, Weight);
        return TorchRuntime.IsGradEnabled ? product * OutputScale + Bias : product.MulInPlace(OutputScale).AddInPlace(Bias);
    }

    public string WriteOnnx(OnnxGraph graph, string input)
    {
        var product = graph.MatMul(graph.Mul(input, graph.Weights("r", InputScale)), graph.TransposedWeights("weight", Weight));
        return graph.Add(graph.Mul(product, graph.Weights("s", OutputScale)), graph.Weights("bias", Bias));
    }
}

/// <summary>TabM-mini's adapter: each of the k members scales the input by its own r: [B, 1, in] → [B, k, in].</summary>
public sealed class ScaleEnsemble : Module<Tensor, Tensor>
{
    public Tensor Scale { get; }

    public ScaleEnsemble(int inputs, int k) => Scale = RegisterParameter("r", Tensors.Ones([k, inputs]));

    public override Tensor Forward(Tensor input) => input * Scale;
}

/// <summary>
/// TabM (Gorishniy et al. 2024, "TabM: advancing tabular deep learning with parameter-efficient
/// ensembling"): an MLP of k members, blocks of Linear → ReLU → Dropout, and k separate output
/// heads. <see cref="TabMArchitecture.Mini"/> (the reference's "tabm-mini"): one adapter
/// r ∈ ℝ^{k×in} scales the input per member, and the blocks are plain linear layers shared by all
/// members — each block is one matrix product over the B·k rows. <see cref="TabMArchitecture.Full"/>
/// ("tabm"): every block is a <see cref="LinearEnsemble"/> with its own adapters. The first
/// adapter is initialized with random signs (normal when numeric embeddings are used), one draw
/// per member and input feature, so the members start different; all other adapters start at 1.
/// </summary>
public sealed class TabMNetwork : TabularNetwork
{
    private readonly FlatInput _input;
    private readonly ScaleEnsemble? _adapter;
    private readonly List<Module<Tensor, Tensor>> _blocks = [];
    private readonly Dropout _dropout;
    private readonly NLinear _heads;
    private readonly int _k;

    public TabMNetwork(NetworkShape shape, TabMOptions options)
    {
        _k = options.EnsembleSize;
        _input = RegisterModule("input", new FlatInput(shape, options));
        var mini = options.Architecture == TabMArchitecture.Mini;
        if (mini) _adapter = RegisterModule("adapter", new ScaleEnsemble(_input.Width, _k));
        var width = _input.Width;
        for (var i = 0; i < options.Blocks; i++)
        {
            Module<Tensor, Tensor> block = mini ? new Linear(width, options.BlockWidth) : new LinearEnsemble(width, options.BlockWidth, _k);
            _blocks.Add(RegisterModule($"block{i}", block));
            width = options.BlockWidth;
        }
        _dropout = RegisterModule("dropout", new Dropout(options.Dropout));
        _heads = RegisterModule("heads", new NLinear(_k, width, shape.Outputs));
        WidestActivation = (long)_k * Math.Max(_input.Width, options.BlockWidth);
        InitializeFirstAdapter(_adapter?.Scale ?? ((LinearEnsemble)_blocks[0]).InputScale, _input.Sections, normal: options.NumericEmbedding != NumericEmbeddingKind.None);
    }

    public override int EnsembleSize => _k;

    public override long WidestActivation { get; }

    /// <summary>The first adapter's weight in the full design (the mini design names it "adapter.r").</summary>
    public const string FullDesignAdapter = "block0.r";

    /// <summary>The k members' heads.</summary>
    public override bool IsHead(string name) => name.StartsWith("heads.", StringComparison.Ordinal);

    /// <summary>The first adapter and the first block's weight (full TabM: both in the block).</summary>
    public override IEnumerable<(string Name, int Axis)> FlatInputParameters =>
        _adapter is null ? [(FullDesignAdapter, 1), ("block0.weight", 1)] : [("adapter.r", 1), ("block0.weight", 1)];

    /// <summary>The adapters r and s are scales, like normalization weights: no decay on them.</summary>
    public override bool DecaysWeight(string parameterName) =>
        base.DecaysWeight(parameterName) && !parameterName.EndsWith(".r", StringComparison.Ordinal) && !parameterName.EndsWith(".s", StringComparison.Ordinal);

    /// <summary>One value per member and input feature (the same over a feature's columns): ±1, or N(0, 1).</summary>
    private static void InitializeFirstAdapter(Tensor adapter, int[] sections, bool normal)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var _ = TorchRuntime.NoGrad();
        var k = adapter.Size(0);
        var parts = new List<Tensor>();
        foreach (var width in sections)
        {
            var draw = normal ? Tensors.Randn([k, 1]) : Tensors.RandInt(0, 2, [k, 1]).To(DType.Float32) * 2 - 1;
            parts.Add(draw.Expand(k, width));
        }
        adapter.CopyFrom(Tensor.Cat(parts, 1));
    }

    public override Tensor Forward(NetworkInput input)
    {
        var flat = _input.Forward(input).Unsqueeze(1);
        var x = _adapter is null ? flat.Expand(-1, _k, -1) : _adapter.Forward(flat);
        foreach (var block in _blocks) x = _dropout.ForwardAfterRelu(block.Forward(x));
        return _heads.Forward(x);
    }

    public override string WriteOnnx(OnnxGraph graph, string features, string? categories)
    {
        using var _ = graph.Scope("tabm");
        var flat = graph.Unsqueeze(_input.WriteOnnx(graph, features, categories), 1);
        // Without an adapter (full TabM) the k members start from the same row: broadcast it.
        var x = _adapter is null ? graph.Expand(flat, graph.Constant("shape", [1L, _k, 1L], 3)) : graph.Mul(flat, graph.Weights("adapter_r", _adapter.Scale));
        for (var i = 0; i < _blocks.Count; i++)
        {
            using var block = graph.Scope($"block{i}");
            x = graph.Relu(_blocks[i] is Linear linear ? graph.Linear(linear, x) : ((IOnnxModule)_blocks[i]).WriteOnnx(graph, x));
        }
        using (graph.Scope("heads")) return _heads.WriteOnnx(graph, x);
    }
}
