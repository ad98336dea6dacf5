using MLPipelines.Deep.Onnx;
using MLPipelines.Onnx;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;

namespace MLPipelines.Vision.Networks;

/// <summary>
/// A ResNet of basic blocks (He et al. 2016) as torchvision builds it, with torchvision's parameter
/// names: a 7 × 7 stride-2 stem and 3 × 3 max pooling, four stages of basic blocks (64, 128, 256,
/// 512 channels; stages 2–4 halve the image), global average pooling and a linear head.
/// Two blocks per stage is ResNet-18. Any image of at least 32 × 32 pixels passes.
/// </summary>
public sealed class ResNet : ImageClassifier
{
    /// <summary>The width of <see cref="Features"/>.</summary>
    public const int FeatureCount = 512;

    /// <summary>The output channels of the four stages.</summary>
    public static readonly IReadOnlyList<long> StageChannels = [64, 128, 256, FeatureCount];

    /// <summary>The last stage's name: what <see cref="Options.ImageFineTuning.LastStage"/> trains besides the head.</summary>
    public const string LastStageName = "layer4";

    /// <summary>ResNet-18's two blocks in each stage.</summary>
    public static readonly IReadOnlyList<int> ResNet18Blocks = [2, 2, 2, 2];

    private readonly Conv2d _conv1;
    private readonly BatchNorm2d _bn1;
    // The stem's pooling: 3 × 3 windows, stride 2, padding 1.
    private const int PoolSize = 3, PoolStride = 2, PoolPadding = 1;

    private readonly MaxPool2d _maxPool = new(PoolSize, stride: PoolStride, padding: PoolPadding);
    private readonly Sequential[] _stages;
    private readonly AdaptiveAvgPool2d _averagePool = new(1);

    /// <summary>The blocks in each of the four stages.</summary>
    public IReadOnlyList<int> BlocksPerStage { get; }

    private readonly int _inputChannels;

    /// <summary>The linear head on the pooled features.</summary>
    public override Linear Head { get; }

    public override int InputChannels => _inputChannels;

    public ResNet(int classes, IReadOnlyList<int>? blocksPerStage = null, int inputChannels = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        BlocksPerStage = blocksPerStage ?? ResNet18Blocks;
        if (BlocksPerStage.Count != StageChannels.Count || BlocksPerStage.Any(b => b < 1))
            throw new ArgumentException($"a ResNet has {StageChannels.Count} stages of at least one block each, not [{string.Join(", ", BlocksPerStage)}]",
                nameof(blocksPerStage));
        _inputChannels = inputChannels;
        _conv1 = RegisterModule("conv1", new Conv2d(inputChannels, StageChannels[0], 7, stride: 2, padding: 3, bias: false));
        _bn1 = RegisterModule("bn1", new BatchNorm2d(StageChannels[0]));
        _stages = new Sequential[StageChannels.Count];
        var channels = StageChannels[0];
        for (var s = 0; s < _stages.Length; s++)
        {
            var stage = new Sequential();
            for (var b = 0; b < BlocksPerStage[s]; b++)
                stage.Append(new BasicBlock(b == 0 ? channels : StageChannels[s], StageChannels[s], stride: s > 0 && b == 0 ? 2 : 1));
            _stages[s] = RegisterModule($"layer{s + 1}", stage);
            channels = StageChannels[s];
        }
        Head = RegisterModule(HeadName, new Linear(FeatureCount, classes));
        InitializeConvolutions();
    }

    /// <summary>[N, C, H, W] images → [N, 512] pooled features.</summary>
    public override Tensor Features(Tensor images)
    {
        var x = _maxPool.Forward(_bn1.Forward(_conv1.Forward(images)).Relu());
        foreach (var stage in _stages) x = stage.Forward(x);
        return _averagePool.Forward(x).Flatten(1);
    }

    public override string WriteFeaturesOnnx(OnnxGraph graph, string images)
    {
        string x;
        using (graph.Scope("stem"))
        {
            x = graph.Relu(graph.BatchNorm(_bn1, graph.Conv(_conv1, images)));
            x = graph.Node("MaxPool", [x], Attributes.Ints("kernel_shape", [PoolSize, PoolSize]),
                Attributes.Ints("strides", [PoolStride, PoolStride]), Attributes.Ints("pads", [PoolPadding, PoolPadding, PoolPadding, PoolPadding]));
        }
        for (var s = 0; s < _stages.Length; s++)
            for (var b = 0; b < _stages[s].Layers.Count; b++)
                using (graph.Scope($"layer{s + 1}.{b}"))
                    x = ((BasicBlock)_stages[s].Layers[b]).WriteOnnx(graph, x);
        return graph.Node("Flatten", [graph.Node("GlobalAveragePool", [x])], Attributes.Int("axis", 1));
    }
}
