namespace MLPipelines.Trainers;

/// <summary>
/// Rows as a learner sees them (<see cref="FeatureLayout"/>): a float32 row-major matrix
/// [<see cref="Rows"/> × layout width] and the embedding index columns
/// [<see cref="Rows"/> × index count]. Buffers may be longer than the rows in them (a batch
/// buffer reused for a smaller last batch).
/// </summary>
public sealed class FeatureMatrix(FeatureLayout layout, int rows, float[] values, int[] indices)
{
    public FeatureMatrix(FeatureLayout layout, int capacity)
        : this(layout, 0, new float[capacity * layout.Width], new int[capacity * layout.Indices.Length])
    {
    }

    public FeatureLayout Layout { get; } = layout;

    /// <summary>The rows in the matrix.</summary>
    public int Rows { get; set; } = rows;

    /// <summary>Row-major, NaN only where the learner keeps missing values (category codes, raw features).</summary>
    public float[] Values { get; } = values;

    /// <summary>Row-major embedding indices: 0 for none, 1..K for the levels.</summary>
    public int[] Indices { get; } = indices;

    public int Width => Layout.Width;

    public int IndexWidth => Layout.Indices.Length;

    public IReadOnlyList<string> FeatureNames => Layout.FeatureNames;

    public IReadOnlyList<FeatureKind> FeatureKinds => Layout.FeatureKinds;

    public ReadOnlySpan<float> Row(int row) => Values.AsSpan(row * Width, Width);

    public ReadOnlySpan<int> IndexRow(int row) => Indices.AsSpan(row * IndexWidth, IndexWidth);

    /// <summary>The values of the rows in the matrix (without the buffer's unused end).</summary>
    public ReadOnlySpan<float> UsedValues => Values.AsSpan(0, Rows * Width);

    /// <summary>A new matrix with the given rows, in that order.</summary>
    public FeatureMatrix Select(ReadOnlySpan<int> rows)
    {
        var selected = new FeatureMatrix(Layout, rows.Length) { Rows = rows.Length };
        for (var i = 0; i < rows.Length; i++)
        {
            Row(rows[i]).CopyTo(selected.Values.AsSpan(i * Width, Width));
            IndexRow(rows[i]).CopyTo(selected.Indices.AsSpan(i * IndexWidth, IndexWidth));
        }
        return selected;
    }

    /// <summary>
    /// Networks need a value in every slot: a NaN or infinity is a <see cref="Data.DataValidationException"/> that
    /// names the trainer, the column's slot and the row.
    /// </summary>
    public void RequireFinite(string trainer, string featureColumnName)
    {
        for (var row = 0; row < Rows; row++)
        {
            var values = Row(row);
            for (var column = 0; column < values.Length; column++)
                if (!float.IsFinite(values[column]))
                    throw new Data.DataValidationException($"{trainer} needs a finite value in every feature, but '{featureColumnName}' slot '{FeatureNames[column]}' " +
                                                           $"is {values[column]} on row {row + 1} of the training data: impute missing values first (ml.Transforms.FeaturizeFor(trainer) does)");
        }
    }
}
