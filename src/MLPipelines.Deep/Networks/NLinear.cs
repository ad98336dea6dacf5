using MLPipelines.Deep.Onnx;
using MLPipelines.Onnx;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;

namespace MLPipelines.Deep.Networks;

/// <summary>
/// n independent linear layers applied to n slices: [B, n, in] → [B, n, out], one batched
/// matrix product. Used per feature (embeddings) and per ensemble member (TabM's heads).
/// Initialized like PyTorch's Linear: U(±1/√in).
/// </summary>
public sealed class NLinear : Module<Tensor, Tensor>, IOnnxModule
{
    public Tensor Weight { get; }
    public Tensor Bias { get; }

    public NLinear(int n, int inputs, int outputs)
    {
        var bound = 1 / Math.Sqrt(inputs);
        using var _ = TorchRuntime.NoGrad();
        Weight = RegisterParameter("weight", Tensors.Empty([n, inputs, outputs]).UniformInPlace(-bound, bound));
        Bias = RegisterParameter("bias", Tensors.Empty([n, outputs]).UniformInPlace(-bound, bound));
    }

    public override Tensor Forward(Tensor input) =>
        // [B, n, in] → [n, B, in] · [n, in, out] → [n, B, out] → [B, n, out]
        input.Transpose(0, 1).MatMul(Weight).Transpose(0, 1) + Bias;

    public string WriteOnnx(OnnxGraph graph, string input)
    {
        var product = graph.MatMul(graph.Transpose(input, 1, 0, 2), graph.Weights("weight", Weight));
        return graph.Add(graph.Transpose(product, 1, 0, 2), graph.Weights("bias", Bias));
    }
}
