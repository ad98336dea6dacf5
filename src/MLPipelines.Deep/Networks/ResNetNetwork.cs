using MLPipelines.Deep.Onnx;
using MLPipelines.Deep.Options;
using MLPipelines.Onnx;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;

namespace MLPipelines.Deep.Networks;

/// <summary>
/// ResNet for tabular data (Gorishniy et al. 2021, "Revisiting deep learning models for tabular
/// data"): a linear layer to the main width, then blocks x + Dropout(Linear(Dropout(ReLU(Linear(BN(x)))))),
/// then BN, ReLU and the output layer.
/// </summary>
public sealed class ResNetNetwork : TabularNetwork
{
    private sealed class Block : Module<Tensor, Tensor>, IOnnxModule
    {
        private readonly BatchNorm1d _norm;
        private readonly Linear _first, _second;
        private readonly Dropout _hiddenDropout, _residualDropout;

        public Block(int main, int hidden, double hiddenDropout, double residualDropout)
        {
            _norm = RegisterModule("norm", new BatchNorm1d(main));
            _first = RegisterModule("linear_first", new Linear(main, hidden));
            _hiddenDropout = RegisterModule("dropout_first", new Dropout(hiddenDropout));
            _second = RegisterModule("linear_second", new Linear(hidden, main));
            _residualDropout = RegisterModule("dropout_second", new Dropout(residualDropout));
        }

        public override Tensor Forward(Tensor x) =>
            x + _residualDropout.Forward(_second.Forward(_hiddenDropout.ForwardAfterRelu(_first.Forward(_norm.Forward(x)))));

        public string WriteOnnx(OnnxGraph graph, string x)
        {
            string hidden;
            using (graph.Scope("norm")) hidden = graph.BatchNorm(_norm, x);
            using (graph.Scope("linear_first")) hidden = graph.Relu(graph.Linear(_first, hidden));
            using (graph.Scope("linear_second")) hidden = graph.Linear(_second, hidden);
            return graph.Add(x, hidden);
        }
    }

    private readonly FlatInput _input;
    private readonly Linear _first;
    private readonly List<Block> _blocks = [];
    private readonly BatchNorm1d _headNorm;
    private readonly Linear _head;

    public ResNetNetwork(NetworkShape shape, ResNetOptions options)
    {
        _input = RegisterModule("input", new FlatInput(shape, options));
        _first = RegisterModule("first", new Linear(_input.Width, options.MainWidth));
        for (var i = 0; i < options.Blocks; i++)
            _blocks.Add(RegisterModule($"block{i}", new Block(options.MainWidth, options.HiddenWidth, options.HiddenDropout, options.ResidualDropout)));
        _headNorm = RegisterModule("head_norm", new BatchNorm1d(options.MainWidth));
        _head = RegisterModule("head", new Linear(options.MainWidth, shape.Outputs));
        WidestActivation = new[] { _input.Width, options.MainWidth, options.HiddenWidth }.Max();
    }

    public override bool IsHead(string name) => name.StartsWith("head.", StringComparison.Ordinal);

    public override long WidestActivation { get; }

    public override IEnumerable<(string Name, int Axis)> FlatInputParameters => [("first.weight", 1)];

    public override Tensor Forward(NetworkInput input)
    {
        var x = _first.Forward(_input.Forward(input));
        foreach (var block in _blocks) x = block.Forward(x);
        return _head.Forward(_headNorm.Forward(x).Relu()).Unsqueeze(1);
    }

    public override string WriteOnnx(OnnxGraph graph, string features, string? categories)
    {
        using var _ = graph.Scope("resnet");
        var x = _input.WriteOnnx(graph, features, categories);
        using (graph.Scope("first")) x = graph.Linear(_first, x);
        for (var i = 0; i < _blocks.Count; i++)
            using (graph.Scope($"block{i}")) x = _blocks[i].WriteOnnx(graph, x);
        using (graph.Scope("head_norm")) x = graph.Relu(graph.BatchNorm(_headNorm, x));
        using (graph.Scope("head")) return graph.Unsqueeze(graph.Linear(_head, x), 1);
    }
}
