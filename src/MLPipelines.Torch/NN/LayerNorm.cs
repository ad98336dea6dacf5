namespace MLPipelines.Torch.NN;

/// <summary>Normalizes each sample over its last dimension(s), then scales (init 1) and shifts (init 0).</summary>
public sealed class LayerNorm : Module<Tensor, Tensor>
{
    private readonly long[] _shape;
    private readonly double _eps;

    /// <summary>The ε added to the variance.</summary>
    public double Epsilon => _eps;

    public Tensor? Weight { get; }
    public Tensor? Bias { get; }

    public LayerNorm(long features, double eps = 1e-5, bool elementwiseAffine = true) : this([features], eps, elementwiseAffine) { }

    public LayerNorm(long[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true)
    {
        _shape = normalizedShape.ToArray();
        _eps = eps;
        if (!elementwiseAffine) return;
        Weight = RegisterParameter("weight", Tensors.Ones(_shape));
        Bias = RegisterParameter("bias", Tensors.Zeros(_shape));
    }

    public override Tensor Forward(Tensor input) => Functional.LayerNorm(input, _shape, Weight, Bias, _eps);
}
