using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLPipelines.Deep.Onnx;
using MLPipelines.Onnx;
using MLPipelines.Onnx.Protobuf;
using MLPipelines.Torch;

namespace MLPipelines.Vision.Tests;

/// <summary>ONNX Runtime as the reference our networks are compared with, and a network written to an ONNX file.</summary>
internal static class OnnxReference
{
    /// <summary>Runs a single-input, single-output model on [N, C, H, W] float32 images; returns the output's values.</summary>
    public static float[] Run(string modelPath, float[] images, int[] shape)
    {
        using var session = new InferenceSession(modelPath);
        var input = NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), new DenseTensor<float>(images, shape));
        using var results = session.Run([input]);
        return [.. results.Single().AsEnumerable<float>()];
    }

    /// <summary>Writes <paramref name="network"/>'s evaluation-mode forward pass as an ONNX model of [N, <paramref name="inputShape"/>] inputs.</summary>
    public static void Write(IOnnxModule network, long[] inputShape, long outputs, string path)
    {
        var graph = new OnnxGraph("network");
        var images = graph.Input("images", TensorProto.Types.DataType.Float, inputShape);
        graph.Output("logits", network.WriteOnnx(graph, images), TensorProto.Types.DataType.Float, outputs);
        File.WriteAllBytes(path, graph.ToModel("test", new Dictionary<string, string>()).ToByteArray());
    }

    /// <summary>Deterministic images with values spread like the pixels a network sees.</summary>
    public static float[] Images(int seed, int count, double scale, params int[] imageShape)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count * imageShape.Aggregate(1, (a, b) => a * b)).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale))];
    }

    public static double MaxAbsoluteDifference(float[] expected, MLPipelines.Torch.Tensor actual)
    {
        var values = actual.ToArray<float>();
        Assert.Equal(expected.Length, values.Length);
        return expected.Zip(values, (e, a) => Math.Abs((double)e - a)).Max();
    }
}
