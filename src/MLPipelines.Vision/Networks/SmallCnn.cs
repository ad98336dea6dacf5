using MLPipelines.Deep.Onnx;
using MLPipelines.Onnx;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;

namespace MLPipelines.Vision.Networks;

/// <summary>
/// A small CNN for training from scratch on small images (MNIST-sized and up): three stages of 3 × 3
/// convolution → batch norm → ReLU (two convolutions each in the first two, 32 and 64 channels, each
/// followed by 2 × 2 max pooling; one of 128 channels in the third), global average pooling, dropout
/// and a linear head. About 0.3 M parameters.
/// </summary>
public sealed class SmallCnn : ImageClassifier
{
    /// <summary>The width of <see cref="Features"/>.</summary>
    public const int FeatureCount = 128;

    private static readonly (int Channels, int Convolutions, bool Pool)[] Stages = [(32, 2, true), (64, 2, true), (FeatureCount, 1, false)];

    private readonly List<(Conv2d Conv, BatchNorm2d Norm)> _layers = [];
    private readonly List<int> _poolAfter = [];
    private readonly Dropout _dropout;
    private readonly int _inputChannels;

    public override Linear Head { get; }

    public override int InputChannels => _inputChannels;

    public SmallCnn(int classes, int inputChannels, double dropout = 0.25)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        _inputChannels = inputChannels;
        var channels = (long)inputChannels;
        foreach (var (width, convolutions, pool) in Stages)
        {
            for (var c = 0; c < convolutions; c++)
            {
                var index = _layers.Count;
                _layers.Add((RegisterModule($"conv{index}", new Conv2d(channels, width, 3, padding: 1, bias: false)),
                             RegisterModule($"bn{index}", new BatchNorm2d(width))));
                channels = width;
            }
            if (pool) _poolAfter.Add(_layers.Count - 1);
        }
        _dropout = RegisterModule("dropout", new Dropout(dropout));
        Head = RegisterModule(HeadName, new Linear(FeatureCount, classes));
        InitializeConvolutions();
    }

    public override Tensor Features(Tensor images)
    {
        var x = images;
        for (var i = 0; i < _layers.Count; i++)
        {
            x = _layers[i].Norm.Forward(_layers[i].Conv.Forward(x)).Relu();
            if (_poolAfter.Contains(i)) x = Functional.MaxPool2d(x, 2);
        }
        return _dropout.Forward(Functional.AdaptiveAvgPool2d(x, 1).Flatten(1));
    }

    /// <summary>Dropout is the identity in evaluation mode: the ONNX form has none.</summary>
    public override string WriteFeaturesOnnx(OnnxGraph graph, string images)
    {
        var x = images;
        for (var i = 0; i < _layers.Count; i++)
            using (graph.Scope($"conv{i}"))
            {
                x = graph.Relu(graph.BatchNorm(_layers[i].Norm, graph.Conv(_layers[i].Conv, x)));
                if (_poolAfter.Contains(i))
                    x = graph.Node("MaxPool", [x], Attributes.Ints("kernel_shape", [2, 2]), Attributes.Ints("strides", [2, 2]));
            }
        return graph.Node("Flatten", [graph.Node("GlobalAveragePool", [x])], Attributes.Int("axis", 1));
    }
}
