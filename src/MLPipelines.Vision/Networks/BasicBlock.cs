using MLPipelines.Deep.Onnx;
using MLPipelines.Onnx;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;

namespace MLPipelines.Vision.Networks;

/// <summary>
/// ResNet's basic block (He et al. 2016): two 3 × 3 convolutions with batch normalization, added to
/// the input — through a strided 1 × 1 convolution ("downsample") when the block halves the image or
/// widens the channels. Parameter names are torchvision's.
/// </summary>
public sealed class BasicBlock : Module<Tensor, Tensor>, IOnnxModule
{
    private readonly Conv2d _conv1;
    private readonly BatchNorm2d _bn1;
    private readonly Conv2d _conv2;
    private readonly BatchNorm2d _bn2;
    private readonly Sequential? _downsample;

    public BasicBlock(long inputChannels, long outputChannels, long stride)
    {
        _conv1 = RegisterModule("conv1", new Conv2d(inputChannels, outputChannels, 3, stride: stride, padding: 1, bias: false));
        _bn1 = RegisterModule("bn1", new BatchNorm2d(outputChannels));
        _conv2 = RegisterModule("conv2", new Conv2d(outputChannels, outputChannels, 3, padding: 1, bias: false));
        _bn2 = RegisterModule("bn2", new BatchNorm2d(outputChannels));
        if (stride != 1 || inputChannels != outputChannels)
            _downsample = RegisterModule("downsample", new Sequential(
                new Conv2d(inputChannels, outputChannels, 1, stride: stride, bias: false), new BatchNorm2d(outputChannels)));
    }

    public override Tensor Forward(Tensor x)
    {
        var main = _bn2.Forward(_conv2.Forward(_bn1.Forward(_conv1.Forward(x)).Relu()));
        var shortcut = _downsample?.Forward(x) ?? x;
        return (main + shortcut).Relu();
    }

    public string WriteOnnx(OnnxGraph graph, string x)
    {
        string main;
        using (graph.Scope("conv1")) main = graph.Relu(graph.BatchNorm(_bn1, graph.Conv(_conv1, x)));
        using (graph.Scope("conv2")) main = graph.BatchNorm(_bn2, graph.Conv(_conv2, main));
        var shortcut = x;
        if (_downsample is not null)
            using (graph.Scope("downsample"))
                shortcut = graph.BatchNorm((BatchNorm2d)_downsample.Layers[1], graph.Conv((Conv2d)_downsample.Layers[0], x));
        return graph.Relu(graph.Add(main, shortcut));
    }
}
