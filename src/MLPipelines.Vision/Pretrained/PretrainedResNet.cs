using MLPipelines.Onnx;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;
using MLPipelines.Vision.Networks;

namespace MLPipelines.Vision.Pretrained;

/// <summary>
/// The ImageNet-pretrained ResNet that ML.NET ships in Microsoft.ML.DnnImageFeaturizer.ResNet18: a CNTK
/// model exported to ONNX, with stages of 2, 2, 2 and 3 basic blocks (one block more in the last stage
/// than torchvision's ResNet-18). Its inputs are 224 × 224 BGR pixels on the 0–255 scale minus a mean
/// image (its preprocessing model); <see cref="ChannelMeans"/> is that image's mean per channel.
/// </summary>
public sealed class PretrainedResNet : IDisposable
{
    /// <summary>Where the package puts the model, relative to an application's output folder.</summary>
    public const string ModelRelativePath = "DnnImageModels/ResNet18Onnx/ResNet18.onnx";

    /// <summary>Where the package puts the preprocessing model (RGB → BGR, minus the mean image).</summary>
    public const string PreprocessingRelativePath = "DnnImageModels/ResNetPrepOnnx/ResNetPreprocess.onnx";

    private const string PackageFolder = "microsoft.ml.dnnimagefeaturizer.resnet18/0.23.1/tools";

    /// <summary>The model file the weights came from.</summary>
    public string ModelPath { get; }

    /// <summary>The blocks in each of the four stages, as read from the file.</summary>
    public IReadOnlyList<int> BlocksPerStage { get; }

    /// <summary>Every parameter and buffer of the network except the head, by <see cref="ResNet"/>'s names.</summary>
    public StateDict Body { get; }

    /// <summary>The mean pixel value (0–255) the network expects subtracted, per input channel (blue, green, red).</summary>
    public IReadOnlyList<float> ChannelMeans { get; }

    private PretrainedResNet(string modelPath, StateDict body, int[] blocksPerStage, float[] channelMeans) =>
        (ModelPath, Body, BlocksPerStage, ChannelMeans) = (modelPath, body, blocksPerStage, channelMeans);

    /// <summary>
    /// The model file next to the application (where the package's build step copies it), else in the
    /// NuGet package cache; null when neither has it.
    /// </summary>
    public static string? Locate()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string[] candidates = [Path.Combine(AppContext.BaseDirectory, ModelRelativePath), Path.Combine(packages, PackageFolder, ModelRelativePath)];
        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// Reads the weights and the mean image. <paramref name="modelPath"/> defaults to <see cref="Locate"/>'s
    /// answer; the preprocessing model is looked for beside it (…/ResNetPrepOnnx/ResNetPreprocess.onnx).
    /// </summary>
    public static PretrainedResNet Load(string? modelPath = null)
    {
        modelPath ??= Locate() ?? throw new FileNotFoundException(
            $"the pretrained ResNet ({ModelRelativePath}) is neither next to the application nor in the NuGet cache: " +
            "reference the package Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1, or pass the file's path");
        var preprocessingPath = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(modelPath)))!,
            "ResNetPrepOnnx", "ResNetPreprocess.onnx");
        var means = MeanImageChannelMeans(OnnxModelFile.Load(preprocessingPath));
        var (body, blocks) = OnnxResNetImport.Read(OnnxModelFile.Load(modelPath));
        return new PretrainedResNet(modelPath, body, blocks, means);
    }

    /// <summary>A network of this file's stages with its weights and a fresh head of <paramref name="classes"/> outputs.</summary>
    public ResNet CreateNetwork(int classes)
    {
        var network = new ResNet(classes, BlocksPerStage);
        var result = network.LoadStateDict(Body, strict: false);
        if (result.UnexpectedKeys.Count > 0 || result.MissingKeys.Any(k => !ResNet.IsHead(k)))
        {
            network.Dispose();
            throw new InvalidOperationException($"{ModelPath}'s weights do not fill the network: unexpected " +
                $"[{string.Join(", ", result.UnexpectedKeys)}], missing [{string.Join(", ", result.MissingKeys.Where(k => !ResNet.IsHead(k)))}]");
        }
        return network;
    }

    private static float[] MeanImageChannelMeans(OnnxModelFile preprocessing)
    {
        const string name = "MeanImage";
        var shape = preprocessing.Shape(name);
        if (shape is not [1, 3, _, _])
            throw new InvalidDataException($"{preprocessing.Path}: '{name}' is [{string.Join(", ", shape)}], not a [1, 3, H, W] image");
        var values = preprocessing.Floats(name);
        var plane = values.Length / 3;
        return [.. Enumerable.Range(0, 3).Select(c => (float)values.AsSpan(c * plane, plane).ToArray().Average())];
    }

    public void Dispose() => Body.Dispose();
}
