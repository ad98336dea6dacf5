namespace MLPipelines.Torch.NN;

/// <summary>A lookup table: int64 indices → rows of a [count, dimension] weight, initialized N(0, 1).</summary>
public sealed class Embedding : Module<Tensor, Tensor>
{
    public Tensor Weight { get; }

    public Embedding(long count, long dimension)
    {
        using var _ = TorchRuntime.NoGrad();
        Weight = RegisterParameter("weight", Tensors.Randn([count, dimension]));
    }

    public override Tensor Forward(Tensor indices) => Functional.Embedding(Weight, indices);
}
