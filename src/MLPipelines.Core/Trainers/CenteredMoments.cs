using System.Numerics.Tensors;

namespace MLPipelines.Trainers;

/// <summary>
/// The weighted means of features and label and the scatter about those means —
/// Σ w (x − x̄)(x − x̄)ᵀ and Σ w (x − x̄)(y − ȳ) — accumulated in double in one pass over the
/// rows. Centering inside the pass matters: the textbook XᵀWX − W·x̄x̄ᵀ loses the digits that
/// the means share with the values (a price of 10,000 ± 1 keeps four of double's sixteen
/// digits for its spread). The rows are taken in blocks: each block is centered on its own
/// means, its scatter is a set of dot products over the block (vectorized: half the time of
/// Welford's row-at-a-time update on diamonds' 43,000 rows × 26), and it is merged into the
/// totals with the correction for the distance between the block's means and the running ones
/// (Chan, Golub and LeVeque's pairwise update, in its weighted form).
/// </summary>
internal sealed class CenteredMoments
{
    private const int BlockRows = 256;

    private CenteredMoments(int features)
    {
        Features = features;
        FeatureMeans = new double[features];
        Scatter = new double[(long)features * features];
        LabelScatter = new double[features];
    }

    public int Features { get; }

    /// <summary>Σ w of the rows.</summary>
    public double TotalWeight { get; private set; }

    public double[] FeatureMeans { get; }

    public double LabelMean { get; private set; }

    /// <summary>Σ w (x − x̄)(x − x̄)ᵀ, row-major [features × features]; only the lower triangle (column ≤ row) is filled.</summary>
    public double[] Scatter { get; }

    /// <summary>Σ w (x − x̄)(y − ȳ).</summary>
    public double[] LabelScatter { get; }

    /// <summary>The moments of every row of <paramref name="rows"/>, weighted by <paramref name="weights"/> (empty: all 1; none negative).</summary>
    public static CenteredMoments Of(FeatureMatrix rows, ReadOnlySpan<double> labels, ReadOnlySpan<float> weights)
    {
        var moments = new CenteredMoments(rows.Width);
        var block = new Block(rows.Width);
        for (var first = 0; first < rows.Rows; first += BlockRows)
        {
            var count = Math.Min(BlockRows, rows.Rows - first);
            if (block.Load(rows, labels, weights, first, count)) moments.Merge(block);
        }
        return moments;
    }

    /// <summary>Adds a block's moments to the totals: its own scatter, and its means' distance from the running ones.</summary>
    private void Merge(Block block)
    {
        var total = TotalWeight + block.Weight;
        var scale = TotalWeight * block.Weight / total;   // 0 for the first block: no running means to correct
        var share = block.Weight / total;
        var delta = block.Means;                          // the block's means minus the running ones, in place
        for (var i = 0; i < Features; i++) delta[i] -= FeatureMeans[i];
        var labelDelta = block.LabelMean - LabelMean;
        for (var i = 0; i < Features; i++)
        {
            var row = Scatter.AsSpan(i * Features, i + 1);
            for (var j = 0; j <= i; j++) row[j] += block.Scatter(i, j) + scale * delta[i] * delta[j];
            LabelScatter[i] += block.LabelScatter(i) + scale * delta[i] * labelDelta;
            FeatureMeans[i] += share * delta[i];
        }
        LabelMean += share * labelDelta;
        TotalWeight = total;
    }

    /// <summary>Up to <see cref="BlockRows"/> rows, centered on their own weighted means, column by column.</summary>
    private sealed class Block(int features)
    {
        private readonly double[] _centered = new double[features * BlockRows];   // [feature][row]
        private readonly double[] _weighted = new double[features * BlockRows];   // the same times the row's weight
        private readonly double[] _label = new double[BlockRows];
        private readonly double[] _weights = new double[BlockRows];
        private int _count;

        public double Weight { get; private set; }

        public double[] Means { get; } = new double[features];

        public double LabelMean { get; private set; }

        /// <summary>Σ w (xᵢ − x̄ᵢ)(xⱼ − x̄ⱼ) over the block, about its own means.</summary>
        public double Scatter(int i, int j) => TensorPrimitives.Dot<double>(_weighted.AsSpan(i * BlockRows, _count), _centered.AsSpan(j * BlockRows, _count));

        /// <summary>Σ w (xᵢ − x̄ᵢ)(y − ȳ) over the block.</summary>
        public double LabelScatter(int i) => TensorPrimitives.Dot<double>(_weighted.AsSpan(i * BlockRows, _count), _label.AsSpan(0, _count));

        /// <summary>Takes rows [first, first + count) and centers them; false when they weigh nothing.</summary>
        public bool Load(FeatureMatrix rows, ReadOnlySpan<double> labels, ReadOnlySpan<float> weights, int first, int count)
        {
            _count = count;
            var w = _weights.AsSpan(0, count);
            if (weights.IsEmpty) w.Fill(1);
            else for (var r = 0; r < count; r++) w[r] = weights[first + r];
            Weight = TensorPrimitives.Sum<double>(w);
            if (Weight == 0) return false;

            var label = _label.AsSpan(0, count);
            for (var r = 0; r < count; r++)
            {
                var values = rows.Row(first + r);
                for (var i = 0; i < features; i++) _centered[i * BlockRows + r] = values[i];
                label[r] = labels[first + r];
            }
            LabelMean = TensorPrimitives.Dot<double>(w, label) / Weight;
            TensorPrimitives.Subtract(label, LabelMean, label);
            for (var i = 0; i < features; i++)
            {
                var column = _centered.AsSpan(i * BlockRows, count);
                Means[i] = TensorPrimitives.Dot<double>(w, column) / Weight;
                TensorPrimitives.Subtract(column, Means[i], column);
                TensorPrimitives.Multiply(column, w, _weighted.AsSpan(i * BlockRows, count));
            }
            return true;
        }
    }
}
