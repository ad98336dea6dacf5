using System.Numerics.Tensors;

namespace MLPipelines.Trainers;

/// <summary>
/// The weighted means of features and label and the scatter about those means —
/// Σ w (x − x̄)(x − x̄)ᵀ and Σ w (x − x̄)(y − ȳ) — accumulated in double in one pass over the
/// rows. Each row moves the means and adds w·W/(W + w)·δδᵀ, δ being the row's distance from
/// the means so far (West 1979, the weighted form of Welford's update). Centering inside the
/// pass matters: the textbook XᵀWX − W·x̄x̄ᵀ loses the digits that the means share with the
/// values (a price of 10,000 ± 1 keeps four of double's sixteen digits for its spread).
/// </summary>
internal sealed class CenteredMoments
{
    private readonly double[] _delta;

    public CenteredMoments(int features)
    {
        Features = features;
        FeatureMeans = new double[features];
        Scatter = new double[(long)features * features];
        LabelScatter = new double[features];
        _delta = new double[features];
    }

    public int Features { get; }

    /// <summary>Σ w of the rows added.</summary>
    public double TotalWeight { get; private set; }

    public double[] FeatureMeans { get; }

    public double LabelMean { get; private set; }

    /// <summary>Σ w (x − x̄)(x − x̄)ᵀ, row-major [features × features]; only the lower triangle (column ≤ row) is filled.</summary>
    public double[] Scatter { get; }

    /// <summary>Σ w (x − x̄)(y − ȳ).</summary>
    public double[] LabelScatter { get; }

    /// <summary>Adds one row of weight <paramref name="weight"/> (not negative; 0 adds nothing).</summary>
    public void Add(ReadOnlySpan<float> features, double label, double weight)
    {
        if (weight == 0) return;
        var previous = TotalWeight;
        TotalWeight += weight;
        var share = weight / TotalWeight;        // how far the means move towards this row
        var scale = weight * previous / TotalWeight;
        var delta = _delta.AsSpan();
        for (var i = 0; i < Features; i++)
        {
            delta[i] = features[i] - FeatureMeans[i];
            FeatureMeans[i] += share * delta[i];
        }
        var labelDelta = label - LabelMean;
        LabelMean += share * labelDelta;
        if (scale == 0) return;                   // the first row only sets the means
        for (var i = 0; i < Features; i++)
        {
            var scaled = scale * delta[i];
            var row = Scatter.AsSpan(i * Features, i + 1);
            TensorPrimitives.MultiplyAdd(delta[..(i + 1)], scaled, row, row);
            LabelScatter[i] += scaled * labelDelta;
        }
    }
}
