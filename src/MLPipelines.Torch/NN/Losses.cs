using MLPipelines.Torch.Interop;

namespace MLPipelines.Torch.NN;

/// <summary>How a loss combines its per-element values. The values are libtorch's.</summary>
public enum Reduction
{
    None = 0,
    Mean = 1,
    Sum = 2,
}

/// <summary>Loss functions.</summary>
public static class Losses
{
    /// <summary>Mean squared error.</summary>
    public static Tensor MeanSquaredError(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
        Native.Tensor(NativeMethods.mlp_mse_loss(input.Handle, target.Handle, (int)reduction));

    /// <summary>Mean absolute error.</summary>
    public static Tensor MeanAbsoluteError(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
        Native.Tensor(NativeMethods.mlp_l1_loss(input.Handle, target.Handle, (int)reduction));

    /// <summary>
    /// Softmax cross-entropy of logits [N, C] against int64 class indices [N] (or class
    /// probabilities [N, C]). <paramref name="classWeights"/> [C] rescales each class;
    /// <paramref name="labelSmoothing"/> mixes the target with the uniform distribution.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor target, Tensor? classWeights = null,
        Reduction reduction = Reduction.Mean, double labelSmoothing = 0.0) =>
        Native.Tensor(NativeMethods.mlp_cross_entropy(logits.Handle, target.Handle, Native.Optional(classWeights),
            (int)reduction, labelSmoothing));

    /// <summary>Negative log-likelihood of log-probabilities [N, C] against int64 class indices [N].</summary>
    public static Tensor NegativeLogLikelihood(Tensor logProbabilities, Tensor target, Tensor? classWeights = null,
        Reduction reduction = Reduction.Mean) =>
        Native.Tensor(NativeMethods.mlp_nll_loss(logProbabilities.Handle, target.Handle, Native.Optional(classWeights), (int)reduction));

    /// <summary>
    /// Binary cross-entropy of logits against 0/1 targets of the same shape, computed stably.
    /// <paramref name="weight"/> rescales each element; <paramref name="positiveWeight"/> the positive terms.
    /// </summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor target, Tensor? weight = null,
        Tensor? positiveWeight = null, Reduction reduction = Reduction.Mean) =>
        Native.Tensor(NativeMethods.mlp_bce_with_logits(logits.Handle, target.Handle, Native.Optional(weight),
            Native.Optional(positiveWeight), (int)reduction));
}
