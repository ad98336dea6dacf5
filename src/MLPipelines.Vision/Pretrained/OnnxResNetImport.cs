using MLPipelines.Onnx;
using MLPipelines.Onnx.Protobuf;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;
using MLPipelines.Vision.Networks;

namespace MLPipelines.Vision.Pretrained;

/// <summary>
/// Reads the weights of a ResNet of basic blocks exported to ONNX (Conv → BatchNormalization pairs,
/// bias-free convolutions) into a state dictionary keyed by <see cref="ResNet"/>'s names. ONNX names
/// weights as its exporter pleases (CNTK: "Parameter91"), so the layers are told apart by the graph:
/// the first convolution is the stem, 1 × 1 convolutions are shortcuts, the other convolutions pair
/// up into blocks in graph order, and a block starts a new stage when its width changes.
/// </summary>
internal static class OnnxResNetImport
{
    public static (StateDict Body, int[] BlocksPerStage) Read(OnnxModelFile file)
    {
        var pairs = ConvolutionsWithTheirNorms(file);
        if (pairs.Count == 0) throw Invalid(file, "it has no convolution");
        var (stem, rest) = (pairs[0], pairs.Skip(1).ToList());
        var shortcuts = rest.Where(p => IsPointwise(file, p.Conv)).ToList();
        var mains = rest.Where(p => !IsPointwise(file, p.Conv)).ToList();
        if (mains.Count % 2 != 0) throw Invalid(file, $"its {mains.Count} 3 × 3 convolutions after the stem do not pair into blocks");

        var body = new StateDict();
        try
        {
            Add(body, file, "conv1", "bn1", stem, expectedStride: 2);
            var blocksPerStage = new List<int>();
            var width = ResNet.StageChannels[0];
            for (var i = 0; i < mains.Count; i += 2)
            {
                var blockWidth = file.Shape(mains[i].Conv.Input[1])[0];
                var startsStage = blocksPerStage.Count == 0 || blockWidth != width;
                if (startsStage)
                {
                    if (blocksPerStage.Count == ResNet.StageChannels.Count || blockWidth != ResNet.StageChannels[blocksPerStage.Count])
                        throw Invalid(file, $"a block of width {blockWidth} does not follow ResNet's stages ({string.Join(", ", ResNet.StageChannels)})");
                    blocksPerStage.Add(0);
                    width = blockWidth;
                }
                var (stage, block) = (blocksPerStage.Count, blocksPerStage[^1]);
                var prefix = $"layer{stage}.{block}.";
                var downsamples = startsStage && stage > 1;
                Add(body, file, prefix + "conv1", prefix + "bn1", mains[i], expectedStride: downsamples ? 2 : 1);
                Add(body, file, prefix + "conv2", prefix + "bn2", mains[i + 1], expectedStride: 1);
                if (downsamples)
                {
                    var index = shortcuts.FindIndex(p => file.Shape(p.Conv.Input[1])[0] == blockWidth);
                    if (index < 0) throw Invalid(file, $"the first block of width {blockWidth} has no 1 × 1 shortcut convolution");
                    var shortcut = shortcuts[index];
                    shortcuts.RemoveAt(index);
                    Add(body, file, prefix + "downsample.0", prefix + "downsample.1", shortcut, expectedStride: 2);
                }
                blocksPerStage[^1]++;
            }
            if (blocksPerStage.Count != ResNet.StageChannels.Count) throw Invalid(file, $"it has {blocksPerStage.Count} stages, not {ResNet.StageChannels.Count}");
            if (shortcuts.Count > 0) throw Invalid(file, $"shortcut convolution {shortcuts[0].Conv.Input[1]} belongs to no stage's first block");
            return (body, [.. blocksPerStage]);
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    private static List<(NodeProto Conv, NodeProto Norm)> ConvolutionsWithTheirNorms(OnnxModelFile file)
    {
        var normsByInput = file.Graph.Node.Where(n => n.OpType == "BatchNormalization").ToDictionary(n => n.Input[0]);
        var pairs = new List<(NodeProto, NodeProto)>();
        foreach (var conv in file.Graph.Node.Where(n => n.OpType == "Conv"))
        {
            if (conv.Input.Count > 2 && conv.Input[2].Length > 0)
                throw Invalid(file, $"convolution {conv.Input[1]} has a bias; a ResNet's convolutions have none (batch normalization follows)");
            if (OnnxModelFile.Int(conv, "group", 1) != 1) throw Invalid(file, $"convolution {conv.Input[1]} is grouped");
            var norm = normsByInput.GetValueOrDefault(conv.Output[0])
                ?? throw Invalid(file, $"convolution {conv.Input[1]} is not followed by batch normalization");
            pairs.Add((conv, norm));
        }
        return pairs;
    }

    private static bool IsPointwise(OnnxModelFile file, NodeProto conv) => file.Shape(conv.Input[1]) is [_, _, 1, 1];

    private static void Add(StateDict body, OnnxModelFile file, string convName, string normName, (NodeProto Conv, NodeProto Norm) pair,
        int expectedStride)
    {
        var strides = OnnxModelFile.Ints(pair.Conv, "strides", [1, 1]);
        if (strides.Any(s => s != expectedStride))
            throw Invalid(file, $"convolution {pair.Conv.Input[1]} (our {convName}) has strides [{string.Join(", ", strides)}], expected {expectedStride}");
        var epsilon = OnnxModelFile.Float(pair.Norm, "epsilon", 1e-5f);
        if (Math.Abs(epsilon - 1e-5) > 1e-9)
            throw Invalid(file, $"batch normalization {pair.Norm.Output[0]} has ε = {epsilon}; the network's is 1e-5");

        body.Add(convName + ".weight", Weights(file, pair.Conv.Input[1]));
        string[] normParts = ["weight", "bias", "running_mean", "running_var"];
        for (var k = 0; k < normParts.Length; k++) body.Add($"{normName}.{normParts[k]}", Weights(file, pair.Norm.Input[k + 1]));
        body.Add(normName + ".num_batches_tracked", Tensors.Zeros([], DType.Int64).DetachFromDisposeScope());
    }

    private static Tensor Weights(OnnxModelFile file, string name) =>
        Tensors.FromSpan<float>(file.Floats(name), file.Shape(name), Device.CPU).DetachFromDisposeScope();

    private static InvalidDataException Invalid(OnnxModelFile file, string why) =>
        new($"{file.Path} is not a ResNet of basic blocks that this import reads: {why}");
}
