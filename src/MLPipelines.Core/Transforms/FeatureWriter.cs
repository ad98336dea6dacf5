namespace MLPipelines.Transforms;

/// <summary>Where column plans write their output: the row-major feature matrix and index columns, at each plan's offsets.</summary>
internal sealed class FeatureWriter(int rows, int featureCount, int indexCount)
{
    public float[] Features { get; } = new float[rows * featureCount];

    public int[] Indices { get; } = new int[rows * indexCount];

    public int FeatureStride { get; } = featureCount;

    public int IndexStride { get; } = indexCount;

    /// <summary>The first matrix column of the plan being written.</summary>
    public int FeatureOffset { get; set; }

    /// <summary>The first index column of the plan being written.</summary>
    public int IndexOffset { get; set; }

    public Dictionary<string, int> UnknownCategories { get; } = new(StringComparer.Ordinal);

    public void Set(int row, int column, float value) => Features[row * FeatureStride + FeatureOffset + column] = value;

    public void SetIndex(int row, int value) => Indices[row * IndexStride + IndexOffset] = value;
}
