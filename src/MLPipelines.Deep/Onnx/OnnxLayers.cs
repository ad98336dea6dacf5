using MLPipelines.Onnx;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;

namespace MLPipelines.Deep.Onnx;

/// <summary>A network part that writes its evaluation-mode forward pass as ONNX nodes (float32 in, float32 out).</summary>
public interface IOnnxModule
{
    /// <summary>Writes the nodes reading <paramref name="input"/>; returns the output's name.</summary>
    string WriteOnnx(OnnxGraph graph, string input);
}

/// <summary>The bindings' layers and trained tensors as ONNX nodes and constants, in evaluation mode.</summary>
public static class OnnxLayers
{
    /// <summary>A trained tensor as a float32 constant of its shape.</summary>
    public static string Weights(this OnnxGraph graph, string hint, Tensor tensor) =>
        graph.Constant(hint, Values(tensor), tensor.Shape);

    /// <summary>A [out, in] weight as the [in, out] constant that MatMul takes.</summary>
    public static string TransposedWeights(this OnnxGraph graph, string hint, Tensor weight)
    {
        var (rows, columns) = (weight.Size(0), weight.Size(1));
        var values = Values(weight);
        var transposed = new float[values.Length];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++) transposed[c * rows + r] = values[r * columns + c];
        return graph.Constant(hint, transposed, columns, rows);
    }

    /// <summary>x Wᵀ + b over the last dimension.</summary>
    public static string Linear(this OnnxGraph graph, Linear layer, string x)
    {
        var product = graph.MatMul(x, graph.TransposedWeights("weight", layer.Weight));
        return layer.Bias is null ? product : graph.Add(product, graph.Weights("bias", layer.Bias));
    }

    /// <summary>Batch normalization with the running statistics, over dimension 1 of [N, C] or [N, C, H, W].</summary>
    public static string BatchNorm(this OnnxGraph graph, BatchNorm layer, string x)
    {
        var features = layer.RunningMean.Size(0);
        var weight = layer.Weight is null ? graph.Constant("ones", Enumerable.Repeat(1f, (int)features).ToArray(), features) : graph.Weights("weight", layer.Weight);
        var bias = layer.Bias is null ? graph.Constant("zeros", new float[features], features) : graph.Weights("bias", layer.Bias);
        return graph.Node("BatchNormalization", [x, weight, bias, graph.Weights("running_mean", layer.RunningMean), graph.Weights("running_var", layer.RunningVar)],
            Attributes.Float("epsilon", (float)layer.Epsilon));
    }

    /// <summary>A 2-d convolution of [N, C, H, W] (symmetric padding, as the layer pads).</summary>
    public static string Conv(this OnnxGraph graph, Conv2d layer, string x)
    {
        var inputs = new List<string> { x, graph.Weights("weight", layer.Weight) };
        if (layer.Bias is not null) inputs.Add(graph.Weights("bias", layer.Bias));
        var (kernel, stride, padding, dilation) = (layer.Weight.Shape[2..], layer.Stride, layer.Padding, layer.Dilation);
        return graph.Node("Conv", inputs, Attributes.Ints("kernel_shape", kernel), Attributes.Ints("strides", [stride.Height, stride.Width]),
            Attributes.Ints("pads", [padding.Height, padding.Width, padding.Height, padding.Width]),
            Attributes.Ints("dilations", [dilation.Height, dilation.Width]), Attributes.Int("group", layer.Groups));
    }

    /// <summary>Layer normalization over the last dimension.</summary>
    public static string LayerNorm(this OnnxGraph graph, LayerNorm layer, string x)
    {
        if (layer.Weight is null || layer.Bias is null) throw new OnnxExportException("a layer normalization without weights", "it is not used by the project's networks");
        return graph.Node("LayerNormalization", [x, graph.Weights("weight", layer.Weight), graph.Weights("bias", layer.Bias)],
            Attributes.Int("axis", -1), Attributes.Float("epsilon", (float)layer.Epsilon));
    }

    /// <summary>Mish: x · tanh(softplus(x)).</summary>
    public static string Mish(this OnnxGraph graph, string x) => graph.Mul(x, graph.Tanh(graph.Softplus(x)));

    /// <summary>SELU with PyTorch's constants (ONNX's defaults are the same).</summary>
    public static string Selu(this OnnxGraph graph, string x) => graph.Node("Selu", [x]);

    private static float[] Values(Tensor tensor)
    {
        using var cpu = tensor.To(DType.Float32, Device.CPU);
        return cpu.ToArray<float>();
    }
}
