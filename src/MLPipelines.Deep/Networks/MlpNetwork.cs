using MLPipelines.Deep.Onnx;
using MLPipelines.Deep.Options;
using MLPipelines.Onnx;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;
using MLPipelines.Torch.Optim;

namespace MLPipelines.Deep.Networks;

/// <summary>
/// A linear layer in the neural tangent parametrization, as RealMLP uses it: weights drawn
/// N(0, 1) and the product scaled by 1/√in at run time, so that one learning rate suits every
/// width. Biases are drawn N(0, 1) (zero for a zero-initialized layer), unless
/// <see cref="InitializeFromData"/> sets both from the data.
/// </summary>
public sealed class NtkLinear : Module<Tensor, Tensor>, IOnnxModule
{
    /// <summary>How many training rows each "he+5" bias mixes.</summary>
    private const int BiasRows = 5;

    private readonly double _scale;

    public Tensor Weight { get; }
    public Tensor Bias { get; }

    public NtkLinear(int inputs, int outputs, bool zeroInit = false)
    {
        _scale = 1 / Math.Sqrt(inputs);
        using var _ = TorchRuntime.NoGrad();
        Weight = RegisterParameter("weight", zeroInit ? Tensors.Zeros([outputs, inputs]) : Tensors.Randn([outputs, inputs]));
        Bias = RegisterParameter("bias", zeroInit ? Tensors.Zeros([outputs]) : Tensors.Randn([outputs]));
    }

    public override Tensor Forward(Tensor input) => Functional.Linear(input, Weight) * _scale + Bias;

    public string WriteOnnx(OnnxGraph graph, string input) =>
        graph.Add(graph.Mul(graph.MatMul(input, graph.TransposedWeights("weight", Weight)), graph.ScalarFloat((float)_scale)), graph.Weights("bias", Bias));

    /// <summary>
    /// RealMLP's data-dependent initialization on the rows' inputs [N, in]: "std" — each output's
    /// weights divided by the standard deviation of its pre-activation over the rows (so that
    /// it is 1); "he+5" — each output's bias is −Σλᵢzᵢ over 5 random rows' pre-activations zᵢ
    /// with weights λ ~ Dirichlet(1, …, 1), putting the neuron's kink inside the data. Returns
    /// the new pre-activations with their biases, [N, out].
    /// </summary>
    public Tensor InitializeFromData(Tensor input)
    {
        using var _ = TorchRuntime.NoGrad();
        var z = Functional.Linear(input, Weight) * _scale;
        var std = z.Std(0, unbiased: false);
        std += std.Lt(1e-12).To(DType.Float32);    // a constant pre-activation keeps its weights
        Weight.CopyFrom(Weight / std.Unsqueeze(1));
        z /= std;
        var outputs = Weight.Size(0);
        var rows = Tensors.RandInt(0, z.Size(0), [BiasRows, outputs], device: z.Device);
        var exponential = -Tensors.Rand([BiasRows, outputs], device: z.Device).Clamp(min: 1e-12).Log();
        var lambda = exponential / exponential.Sum(0, keepDim: true);
        Bias.CopyFrom(-(lambda * z.Gather(0, rows)).Sum(0));
        return z + Bias;
    }
}

/// <summary>
/// RealMLP's parametric activation: x + α·(σ(x) − x), one α per neuron starting at 1 (σ itself);
/// α can learn to move towards the identity.
/// </summary>
public sealed class ParametricActivation : Module<Tensor, Tensor>, IOnnxModule
{
    private readonly bool _selu;

    public Tensor Alpha { get; }

    public ParametricActivation(int width, bool selu)
    {
        _selu = selu;
        Alpha = RegisterParameter("alpha", Tensors.Ones([width]));
    }

    public override Tensor Forward(Tensor input) => input + Alpha * (MlpNetwork.Activate(input, _selu) - input);

    public string WriteOnnx(OnnxGraph graph, string input) =>
        graph.Add(input, graph.Mul(graph.Weights("alpha", Alpha), graph.Sub(MlpNetwork.ActivateOnnx(graph, input, _selu), input)));
}

/// <summary>
/// The MLP, RealMLP-style (Holzmüller et al. 2024): the flat input (numeric embeddings, one-hot
/// slots, categorical embeddings), a learnable per-feature scaling layer (initialized to 1, trained
/// with a 6× learning rate), NTK-parametrized layers of 256 with (parametric) SELU for
/// classification or Mish for regression, each followed by scheduled dropout, and an
/// NTK-parametrized output layer. TD initializes every layer from the data; TD-S zero-initializes
/// the output layer, so training starts from a constant prediction.
/// </summary>
public sealed class MlpNetwork : TabularNetwork
{
    /// <summary>At most this many training rows initialize the layers (more change nothing but the time).</summary>
    private const int InitializationRows = 16_384;

    private readonly FlatInput _input;
    private readonly Tensor _scale;
    private readonly List<NtkLinear> _hidden = [];
    private readonly List<Module<Tensor, Tensor>?> _activations = [];
    private readonly Dropout _dropout;
    private readonly NtkLinear _output;
    private readonly bool _selu;
    private readonly double _dropoutProbability;
    private readonly bool _dataInitialization;

    public MlpNetwork(NetworkShape shape, MlpOptions options, bool classification)
    {
        _selu = options.Activation switch
        {
            MlpActivation.Selu => true,
            MlpActivation.Mish => false,
            _ => classification,
        };
        _input = RegisterModule("input", new FlatInput(shape, options));
        _scale = RegisterParameter(FrontScale, Tensors.Ones([_input.Width]));
        var width = _input.Width;
        for (var i = 0; i < options.HiddenLayers.Length; i++)
        {
            _hidden.Add(RegisterModule($"hidden{i}", new NtkLinear(width, options.HiddenLayers[i])));
            _activations.Add(options.ParametricActivations ? RegisterModule($"activation{i}", new ParametricActivation(options.HiddenLayers[i], _selu)) : null);
            width = options.HiddenLayers[i];
        }
        WidestActivation = options.HiddenLayers.Append(_input.Width).Max();
        _dataInitialization = options.DataDependentInitialization;
        _output = RegisterModule("output", new NtkLinear(width, shape.Outputs, zeroInit: !_dataInitialization));
        _dropoutProbability = options.Dropout;
        _dropout = RegisterModule("dropout", new Dropout(options.Dropout));
    }

    public override long WidestActivation { get; }

    /// <summary>The front scaling layer's parameter name (it trains with its own learning-rate factor).</summary>
    public const string FrontScale = "front_scale";

    public override bool IsHead(string name) => name.StartsWith("output.", StringComparison.Ordinal);

    public override IEnumerable<(string Name, int Axis)> FlatInputParameters => [(FrontScale, 0), ("hidden0.weight", 1)];

    internal static Tensor Activate(Tensor x, bool selu) => selu ? x.Selu() : x.Mish();

    internal static string ActivateOnnx(OnnxGraph graph, string x, bool selu) => selu ? graph.Selu(x) : graph.Mish(x);

    private Tensor Activation(int layer, Tensor x) => _activations[layer]?.Forward(x) ?? Activate(x, _selu);

    public override Tensor Forward(NetworkInput input)
    {
        var x = _input.Forward(input) * _scale;
        for (var i = 0; i < _hidden.Count; i++) x = _dropout.Forward(Activation(i, _hidden[i].Forward(x)));
        return _output.Forward(x).Unsqueeze(1);
    }

    public override string WriteOnnx(OnnxGraph graph, string features, string? categories)
    {
        using var _ = graph.Scope("mlp");
        var x = graph.Mul(_input.WriteOnnx(graph, features, categories), graph.Weights(FrontScale, _scale));
        for (var i = 0; i < _hidden.Count; i++)
        {
            using var layer = graph.Scope($"hidden{i}");
            x = _hidden[i].WriteOnnx(graph, x);
            x = _activations[i] is { } activation ? ((IOnnxModule)activation).WriteOnnx(graph, x) : ActivateOnnx(graph, x, _selu);
        }
        using (graph.Scope("output")) return graph.Unsqueeze(_output.WriteOnnx(graph, x), 1);
    }

    /// <summary>TD: every layer, in order, initialized on the previous layers' outputs for a sample of the training rows (no dropout).</summary>
    public override void InitializeFromData(NetworkInput rows)
    {
        if (!_dataInitialization) return;
        using var scope = TorchRuntime.NewDisposeScope();
        using var _ = TorchRuntime.NoGrad();
        if (rows.Features.Size(0) > InitializationRows)
        {
            var sample = Tensors.RandPerm(rows.Features.Size(0), device: rows.Features.Device).Narrow(0, 0, InitializationRows);
            rows = new NetworkInput(rows.Features.IndexSelect(0, sample), rows.Categories?.IndexSelect(0, sample));
        }
        var x = _input.Forward(rows) * _scale;
        for (var i = 0; i < _hidden.Count; i++) x = Activation(i, _hidden[i].InitializeFromData(x));
        _output.InitializeFromData(x);
    }

    /// <summary>Dropout follows the flat-cos schedule (RealMLP-TD).</summary>
    public override void OnTrainingProgress(double progress) =>
        _dropout.Probability = _dropoutProbability * FlatCosineSchedule.At(progress);
}
