using MLPipelines.Deep.Onnx;
using MLPipelines.Onnx;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;

namespace MLPipelines.Vision.Networks;

/// <summary>
/// A convolutional classifier: a body that turns [N, C, H, W] images into [N, F] features and a linear
/// head ("fc", torchvision's name) on them. The body is what pretrained weights fill and what
/// fine-tuning may freeze.
/// </summary>
public abstract class ImageClassifier : Module<Tensor, Tensor>, IOnnxModule
{
    /// <summary>The name the head is registered under.</summary>
    public const string HeadName = "fc";

    /// <summary>The channels the body takes (3 for ImageNet networks).</summary>
    public abstract int InputChannels { get; }

    /// <summary>The linear head: [classes, F].</summary>
    public abstract Linear Head { get; }

    /// <summary>[N, C, H, W] images → [N, F] features.</summary>
    public abstract Tensor Features(Tensor images);

    /// <summary>The features as ONNX nodes (evaluation mode).</summary>
    public abstract string WriteFeaturesOnnx(OnnxGraph graph, string images);

    /// <summary>[N, C, H, W] images → [N, classes] logits.</summary>
    public override Tensor Forward(Tensor images) => Head.Forward(Features(images));

    /// <summary>Whether a parameter belongs to the head (what pretrained weights do not fill).</summary>
    public static bool IsHead(string parameterName) => parameterName.StartsWith(HeadName + ".", StringComparison.Ordinal);

    public string WriteOnnx(OnnxGraph graph, string images)
    {
        var features = WriteFeaturesOnnx(graph, images);
        using (graph.Scope("head")) return graph.Linear(Head, features);
    }

    /// <summary>Kaiming-normal convolutions (fan-out, ReLU gain), as torchvision initializes networks trained from scratch.</summary>
    protected void InitializeConvolutions()
    {
        using var _ = TorchRuntime.NoGrad();
        foreach (var (_, module) in NamedModules())
            if (module is Conv2d conv)
            {
                var shape = conv.Weight.Shape;
                conv.Weight.NormalInPlace(0, Math.Sqrt(2.0 / (shape[0] * shape[2] * shape[3])));
            }
    }
}
