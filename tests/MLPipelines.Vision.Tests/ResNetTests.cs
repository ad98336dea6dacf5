using MLPipelines.Onnx;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;
using MLPipelines.Vision.Networks;
using MLPipelines.Vision.Pretrained;
using Xunit.Abstractions;

namespace MLPipelines.Vision.Tests;

/// <summary>ResNet's structure, its ONNX form against ONNX Runtime, and weights imported from ONNX files (ours and ML.NET's).</summary>
public sealed class ResNetTests(ITestOutputHelper output) : IDisposable
{
    private readonly DisposeScope _scope = TorchRuntime.NewDisposeScope();
    private readonly string _folder = Directory.CreateTempSubdirectory("resnet-tests-").FullName;

    public void Dispose()
    {
        _scope.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void ResNet18_has_torchvisions_names_shapes_and_parameter_count()
    {
        using var network = new ResNet(classes: 1000);
        // torchvision.models.resnet18(): 11,689,512 parameters.
        Assert.Equal(11_689_512, network.ParameterCount);
        var names = network.NamedParameters().Select(p => p.Name).ToList();
        Assert.Contains("layer2.0.downsample.0.weight", names);
        Assert.Contains("layer4.1.bn2.bias", names);
        Assert.DoesNotContain("layer1.0.downsample.0.weight", names);
        Assert.Contains("layer3.1.bn1.running_var", network.NamedBuffers().Select(b => b.Name));
        network.Eval();
        Assert.Equal([2L, 1000], network.Forward(Tensors.Randn([2, 3, 32, 32])).Shape);
        Assert.Equal([2L, ResNet.FeatureCount], network.Features(Tensors.Randn([2, 3, 40, 56])).Shape);
    }

    /// <summary>A small ResNet with batch-norm statistics that are not the identity, so that the comparison sees them.</summary>
    private static ResNet TrainedLookingResNet(int classes, IReadOnlyList<int> blocks, int inputChannels)
    {
        TorchRuntime.ManualSeed(7);
        var network = new ResNet(classes, blocks, inputChannels);
        using var _ = TorchRuntime.NoGrad();
        foreach (var (name, buffer) in network.NamedBuffers())
        {
            if (name.EndsWith("running_mean", StringComparison.Ordinal)) buffer.NormalInPlace(0, 0.1);
            if (name.EndsWith("running_var", StringComparison.Ordinal)) buffer.UniformInPlace(0.5, 2);
        }
        foreach (var (name, parameter) in network.NamedParameters())
            if (name.Contains(".bn", StringComparison.Ordinal) || name.Contains("downsample.1", StringComparison.Ordinal)) parameter.UniformInPlace(0.5, 1.5);
        network.Eval();
        return network;
    }

    [Fact]
    public void Its_onnx_form_matches_onnx_runtime_and_its_weights_import_back_by_the_graph()
    {
        using var network = TrainedLookingResNet(classes: 4, blocks: [1, 1, 2, 1], inputChannels: 1);
        var path = Path.Combine(_folder, "resnet.onnx");
        OnnxReference.Write(network, [1, 32, 32], 4, path);

        var images = OnnxReference.Images(seed: 1, count: 3, scale: 1, 1, 32, 32);
        var reference = OnnxReference.Run(path, images, [3, 1, 32, 32]);
        var ours = network.Forward(Tensors.FromArray(images, 3, 1, 32, 32));
        Assert.True(OnnxReference.MaxAbsoluteDifference(reference, ours) < 1e-4);
        Assert.True(reference.Max() - reference.Min() > 0.1, "the logits should not be constant");

        // Our exporter writes each block's shortcut after its main path (CNTK's file: before): the import goes by the graph, not the order.
        var (body, blocks) = OnnxResNetImport.Read(OnnxModelFile.Load(path));
        using (body)
        {
            Assert.Equal([1, 1, 2, 1], blocks);
            var expected = network.StateDict();
            var bodyNames = expected.Keys.Where(k => !ResNet.IsHead(k)).ToList();
            Assert.Equal(bodyNames.Order(), body.Keys.Order());
            foreach (var name in bodyNames.Where(n => !n.EndsWith("num_batches_tracked", StringComparison.Ordinal)))
                Assert.True(expected[name].ToArray<float>().SequenceEqual(body[name].ToArray<float>()), $"{name} differs after the import");
        }
    }

    [Fact]
    public void A_graph_that_is_not_a_resnet_is_refused_with_the_reason()
    {
        TorchRuntime.ManualSeed(3);
        using var plain = new Linear(4, 2);
        var graph = new OnnxGraph("linear");
        var x = graph.Input("x", MLPipelines.Onnx.Protobuf.TensorProto.Types.DataType.Float, 4);
        graph.Output("y", MLPipelines.Deep.Onnx.OnnxLayers.Linear(graph, plain, x), MLPipelines.Onnx.Protobuf.TensorProto.Types.DataType.Float, 2);
        var path = Path.Combine(_folder, "linear.onnx");
        File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(graph.ToModel("test", new Dictionary<string, string>())));
        var error = Assert.Throws<InvalidDataException>(() => OnnxResNetImport.Read(OnnxModelFile.Load(path)));
        Assert.Contains("linear.onnx is not a ResNet of basic blocks", error.Message);
        Assert.Contains("it has no convolution", error.Message);

        File.WriteAllText(Path.Combine(_folder, "text.onnx"), "not protobuf at all");
        Assert.Contains("is not an ONNX model", Assert.Throws<InvalidDataException>(() => OnnxModelFile.Load(Path.Combine(_folder, "text.onnx"))).Message);
    }

    [Fact]
    public void MLNets_pretrained_resnet_gives_onnx_runtimes_features()
    {
        var modelPath = PretrainedResNet.Locate();
        Assert.True(modelPath is not null, "the package Microsoft.ML.DnnImageFeaturizer.ResNet18 copies the model next to the tests");
        using var pretrained = PretrainedResNet.Load(modelPath);
        Assert.Equal([2, 2, 2, 3], pretrained.BlocksPerStage);
        // The mean image's channels are blue, green, red on the 0–255 scale.
        Assert.InRange(pretrained.ChannelMeans[0], 100, 106);
        Assert.InRange(pretrained.ChannelMeans[2], 120, 126);

        using var network = pretrained.CreateNetwork(classes: 10);
        network.Eval();
        // Preprocessed pixels (0–255 minus the mean): the scale the network was trained on.
        var images = OnnxReference.Images(seed: 2, count: 2, scale: 120, 3, 224, 224);
        // The file's input is [1, 3, 224, 224]: one image per run.
        var imageSize = 3 * 224 * 224;
        float[] reference = [.. Enumerable.Range(0, 2).SelectMany(i => OnnxReference.Run(modelPath!, images[(i * imageSize)..((i + 1) * imageSize)], [1, 3, 224, 224]))];
        using var _ = TorchRuntime.NoGrad();
        var ours = network.Features(Tensors.FromArray(images, 2, 3, 224, 224));
        var difference = OnnxReference.MaxAbsoluteDifference(reference, ours);
        output.WriteLine($"pretrained ResNet features, ours vs ONNX Runtime: largest difference {difference:E2}, largest feature {reference.Max():F2}");
        Assert.True(difference <= 1e-4, $"features differ from ONNX Runtime's by up to {difference:G3}");
        Assert.True(reference.Count(v => v > 0.1f) > 100, "the comparison should be between features that are not mostly zero");
    }
}
