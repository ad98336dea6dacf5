namespace MLPipelines.Torch.NN;

/// <summary>In training, zeroes each element with probability p and scales the rest by 1/(1-p); in evaluation, the identity.</summary>
public sealed class Dropout : Module<Tensor, Tensor>
{
    private double _probability;

    public Dropout(double probability = 0.5) => Probability = probability;

    /// <summary>The probability of zeroing an element; settable between steps (RealMLP schedules it).</summary>
    public double Probability
    {
        get => _probability;
        set
        {
            if (value is < 0 or > 1 || double.IsNaN(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "a dropout probability is between 0 and 1");
            _probability = value;
        }
    }

    public override Tensor Forward(Tensor input) => Functional.Dropout(input, Probability, IsTraining);

    /// <summary>Dropout after a ReLU, fused: the same as <c>Forward(input.Relu())</c> in one pass (in place when predicting: <see cref="Functional.ReluDropout"/>).</summary>
    public Tensor ForwardAfterRelu(Tensor input) => Functional.ReluDropout(input, Probability, IsTraining);
}
