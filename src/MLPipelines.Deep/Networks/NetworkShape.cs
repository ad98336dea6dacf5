using MLPipelines.Trainers;

namespace MLPipelines.Deep.Networks;

/// <summary>A batch of rows as networks take it: the feature matrix [B, F] and, when there are any, the categorical indices [B, C] (int64).</summary>
public sealed record NetworkInput(Torch.Tensor Features, Torch.Tensor? Categories);

/// <summary>
/// What a network's construction depends on besides its options: the feature matrix's columns
/// and kinds, the categorical index columns' cardinalities, the number of outputs, and (for
/// piecewise-linear embeddings) the bin edges learned from the training rows. Saved with the
/// model so that the network can be rebuilt exactly.
/// </summary>
public sealed record NetworkShape(FeatureKind[] FeatureKinds, int[] CategoricalCardinalities, int Outputs, double[][]? Bins)
{
    public int FeatureCount => FeatureKinds.Length;

    /// <summary>Matrix columns holding numbers (those numeric embeddings apply to).</summary>
    public int[] NumericColumns => Enumerable.Range(0, FeatureCount).Where(i => FeatureKinds[i] == FeatureKind.Numeric).ToArray();

    /// <summary>Matrix columns passed through as they are (indicators, one-hot levels, booleans, codes).</summary>
    public int[] OtherColumns => Enumerable.Range(0, FeatureCount).Where(i => FeatureKinds[i] != FeatureKind.Numeric).ToArray();
}
