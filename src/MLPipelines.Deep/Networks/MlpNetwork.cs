using MLPipelines.Deep.Options;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;

namespace MLPipelines.Deep.Networks;

/// <summary>
/// A linear layer in the neural tangent parametrization, as RealMLP uses it: weights drawn
/// N(0, 1) and the product scaled by 1/√in at run time, so that one learning rate suits every
/// width. Biases are drawn N(0, 1) (zero for a zero-initialized layer).
/// </summary>
public sealed class NtkLinear : Module<Tensor, Tensor>
{
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
}

/// <summary>
/// The MLP, RealMLP-style (Holzmüller et al. 2024, the "TD-S" configuration): a learnable
/// per-feature scaling layer in front (initialized to 1, trained with a 6× learning rate),
/// then NTK-parametrized layers of 256 with SELU (classification) or Mish (regression), and a
/// zero-initialized output layer, so training starts from a constant prediction.
/// </summary>
public sealed class MlpNetwork : TabularNetwork
{
    private readonly FlatInput _input;
    private readonly Tensor _scale;
    private readonly List<NtkLinear> _hidden = [];
    private readonly NtkLinear _output;
    private readonly bool _selu;

    public MlpNetwork(NetworkShape shape, MlpOptions options, bool classification)
    {
        _input = RegisterModule("input", new FlatInput(shape, options));
        _scale = RegisterParameter("front_scale", Tensors.Ones([_input.Width]));
        var width = _input.Width;
        for (var i = 0; i < options.HiddenLayers.Length; i++)
        {
            _hidden.Add(RegisterModule($"hidden{i}", new NtkLinear(width, options.HiddenLayers[i])));
            width = options.HiddenLayers[i];
        }
        _output = RegisterModule("output", new NtkLinear(width, shape.Outputs, zeroInit: true));
        _selu = options.Activation switch
        {
            MlpActivation.Selu => true,
            MlpActivation.Mish => false,
            _ => classification,
        };
    }

    /// <summary>The front scaling layer's parameter name (it trains with its own learning-rate factor).</summary>
    public const string FrontScale = "front_scale";

    public override Tensor Forward(NetworkInput input)
    {
        var x = _input.Forward(input) * _scale;
        foreach (var layer in _hidden)
        {
            x = layer.Forward(x);
            x = _selu ? x.Selu() : x.Mish();
        }
        return _output.Forward(x).Unsqueeze(1);
    }
}
