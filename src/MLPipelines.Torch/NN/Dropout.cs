namespace MLPipelines.Torch.NN;

/// <summary>In training, zeroes each element with probability p and scales the rest by 1/(1-p); in evaluation, the identity.</summary>
public sealed class Dropout : Module<Tensor, Tensor>
{
    public double Probability { get; }

    public Dropout(double probability = 0.5)
    {
        if (probability is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(probability), probability, "a dropout probability is between 0 and 1");
        Probability = probability;
    }

    public override Tensor Forward(Tensor input) => Functional.Dropout(input, Probability, IsTraining);

    /// <summary>Dropout after a ReLU, fused: the same as <c>Forward(input.Relu())</c> in one pass.</summary>
    public Tensor ForwardAfterRelu(Tensor input) => Functional.ReluDropout(input, Probability, IsTraining);
}
