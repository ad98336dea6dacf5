using MLPipelines.Deep.Onnx;
using MLPipelines.Onnx;
using MLPipelines.Onnx.Protobuf;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;

namespace MLPipelines.Vision.Networks;

/// <summary>
/// A whole image model, from pixel vectors to logits, so that training, prediction and the ONNX export
/// prepare images alike: [N, C·H·W] pixels (0–255) → [N, C, H, W] images → grey repeated into the
/// classifier's 3 channels when it takes colour → channels reversed when it takes blue first (ML.NET's
/// pretrained ResNet) → bilinear resizing to <see cref="Size"/> → per channel (x − mean) · scale → classifier.
/// </summary>
public sealed class ImageNetwork : Module<Tensor, Tensor>, IOnnxModule
{
    private readonly Tensor _mean;
    private readonly Tensor _scale;

    public ImageShape Input { get; }

    /// <summary>The side of the square images the classifier sees.</summary>
    public int Size { get; }

    /// <summary>Whether colour channels enter the classifier in reverse order (blue, green, red).</summary>
    public bool ReverseChannels { get; }

    public ImageClassifier Classifier { get; }

    /// <param name="input">The images' shape in the pixel vectors.</param>
    /// <param name="size">The side the images are resized to.</param>
    /// <param name="reverseChannels">Whether colour enters the classifier blue first.</param>
    /// <param name="classifier">The network on the prepared images.</param>
    /// <param name="mean">Per classifier channel, subtracted from the pixel values (0–255).</param>
    /// <param name="scale">Per classifier channel, multiplies the centred values.</param>
    public ImageNetwork(ImageShape input, int size, bool reverseChannels, ImageClassifier classifier, float[] mean, float[] scale)
    {
        var channels = classifier.InputChannels;
        if (input.Channels != channels && !(input.Channels == 1 && channels == 3))
            throw new ArgumentException($"{input} images cannot enter a classifier of {channels} channels");
        if (mean.Length != channels || scale.Length != channels)
            throw new ArgumentException($"the classifier has {channels} channels, the normalization {mean.Length} means and {scale.Length} scales");
        (Input, Size, ReverseChannels) = (input, size, reverseChannels);
        Classifier = RegisterModule("classifier", classifier);
        _mean = RegisterBuffer("channel_mean", Tensors.FromArray(mean, 1, channels, 1, 1));
        _scale = RegisterBuffer("channel_scale", Tensors.FromArray(scale, 1, channels, 1, 1));
    }

    /// <summary>[N, C·H·W] pixel vectors → [N, C, H, W] images (a view).</summary>
    public Tensor Images(Tensor pixels) => pixels.View(-1, Input.Channels, Input.Height, Input.Width);

    /// <summary>[N, C, H, W] images → what the classifier takes: its channels, resized and normalized.</summary>
    public Tensor Prepare(Tensor images)
    {
        var x = images;
        if (Input.Channels == 1 && Classifier.InputChannels == 3) x = x.Expand(-1, 3, -1, -1);
        // Grey repeated into three channels reads the same in any order.
        if (ReverseChannels && Input.Channels == 3) x = x.Flip(1);
        if (Size != Input.Height || Size != Input.Width) x = Functional.ResizeBilinear(x.Contiguous(), Size);
        return (x - _mean) * _scale;
    }

    /// <summary>[N, C·H·W] pixels → [N, classes] logits.</summary>
    public override Tensor Forward(Tensor pixels) => Classifier.Forward(Prepare(Images(pixels)));

    /// <summary>The same steps as ONNX nodes, from [N, C·H·W] float32 pixels to [N, classes] logits.</summary>
    public string WriteOnnx(OnnxGraph graph, string pixels)
    {
        string x;
        using (graph.Scope("prepare"))
        {
            x = graph.Reshape(pixels, -1, Input.Channels, Input.Height, Input.Width);
            var channels = Classifier.InputChannels;
            if (Input.Channels == 1 && channels == 3) x = graph.Concat([x, x, x], axis: 1);
            if (ReverseChannels && Input.Channels == 3) x = graph.Gather(x, graph.Constant("blue_first", [2L, 1L, 0L], 3), axis: 1);
            if (Size != Input.Height || Size != Input.Width)
            {
                var sizes = graph.Concat([graph.Rows(x), graph.Constant("size", [(long)channels, Size, Size], 3)], axis: 0);
                x = graph.Node("Resize", [x, "", "", sizes], Attributes.String("mode", "linear"),
                    Attributes.String("coordinate_transformation_mode", "half_pixel"));
            }
            x = graph.Mul(graph.Sub(x, graph.Weights("mean", _mean)), graph.Weights("scale", _scale));
        }
        using (graph.Scope("classifier")) return Classifier.WriteOnnx(graph, x);
    }
}
