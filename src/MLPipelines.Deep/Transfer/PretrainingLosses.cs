using MLPipelines.Torch;
using MLPipelines.Torch.NN;

namespace MLPipelines.Deep.Transfer;

/// <summary>The self-supervised objectives' losses and their corruption of rows.</summary>
public static class PretrainingLosses
{
    /// <summary>Squared error of the reconstruction [B, k, F] (k members) against the original rows [B, F], averaged over everything.</summary>
    public static Tensor Reconstruction(Tensor output, Tensor original) =>
        Losses.MeanSquaredError(output, original.Unsqueeze(1).Expand(output.Size(0), output.Size(1), output.Size(2)));

    /// <summary>
    /// InfoNCE as SCARF uses it: row i's anchor [B, D] and positive [B, D] are a pair, every other
    /// row's positive a negative; similarity is the cosine over <paramref name="temperature"/>;
    /// the loss is the cross-entropy of each anchor picking its own positive, averaged over rows.
    /// </summary>
    public static Tensor InfoNce(Tensor anchors, Tensor positives, double temperature)
    {
        var a = anchors / anchors.Square().Sum(1, keepDim: true).Sqrt().Clamp(min: 1e-12);
        var p = positives / positives.Square().Sum(1, keepDim: true).Sqrt().Clamp(min: 1e-12);
        var logits = a.MatMul(p.Transpose(0, 1)) / temperature;
        return Losses.CrossEntropy(logits, Tensors.Arange(0, anchors.Size(0), device: anchors.Device));
    }

    /// <summary>
    /// Each value replaced with probability <paramref name="rate"/> by the same column's value in a
    /// row drawn uniformly from <paramref name="pool"/> [N, F] (the column's empirical marginal,
    /// as VIME and SCARF corrupt). <paramref name="rows"/> is [B, F]; works for index columns too.
    /// </summary>
    public static Tensor Corrupt(Tensor rows, Tensor pool, double rate)
    {
        var mask = Tensors.Rand(rows.Shape, device: rows.Device).Lt(rate);
        var donors = Tensors.RandInt(0, pool.Size(0), rows.Shape, device: rows.Device);
        return Tensor.Where(mask, pool.Gather(0, donors), rows);
    }
}
