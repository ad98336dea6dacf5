using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data;
using MLPipelines.Data.DataViews;

namespace MLPipelines.Trainers;

/// <summary>
/// Training rows read from an ML.NET view for a learner: the feature vectors through a
/// <see cref="FeatureLayout"/>, the label checked against the task, and the example weights.
/// Every problem is a <see cref="DataValidationException"/> that names the column and the row.
/// </summary>
public sealed class TrainingData
{
    private TrainingData(FeatureMatrix features, LabelData label, float[]? weights, KeyValuesAnnotation? classValues)
    {
        Features = features;
        Label = label;
        Weights = weights;
        ClassValues = classValues;
    }

    public FeatureMatrix Features { get; }

    public LabelData Label { get; }

    /// <summary>Each row's weight (finite, not negative), or null when every row weighs 1.</summary>
    public float[]? Weights { get; }

    /// <summary>The multiclass label's key values (null for other tasks, or a key without values).</summary>
    public KeyValuesAnnotation? ClassValues { get; }

    public int RowCount => Features.Rows;

    public FeatureLayout Layout => Features.Layout;

    /// <summary>The same rows with other feature values (a learner's own preprocessing).</summary>
    public TrainingData WithFeatures(FeatureMatrix features) =>
        features.Rows == RowCount ? new(features, Label, Weights, ClassValues) : throw new ArgumentException($"{features.Rows} rows of features for {RowCount} rows");

    /// <summary>Some of the rows, in that order.</summary>
    public TrainingData Select(int[] rows) =>
        new(Features.Select(rows), Label.Select(rows), Weights is null ? null : rows.Select(r => Weights[r]).ToArray(), ClassValues);

    /// <summary>
    /// Reads the rows a trainer learns from. Numeric columns that are only 0 and 1 are marked
    /// <see cref="FeatureKind.Binary"/>. <paramref name="trainer"/> names the trainer in errors.
    /// </summary>
    public static TrainingData Read(IDataView data, PredictionTask task, TrainerColumns columns, Func<int, CategoricalTreatment> treatment, string trainer)
    {
        TrainerSchema.RequireFeatures(data.Schema, columns.FeatureColumnName, trainer);   // the features' problems are reported first
        var labelColumn = TrainerSchema.RequireLabel(data.Schema, columns.LabelColumnName, task, trainer);
        var label = new LabelReader(labelColumn, task, columns.LabelColumnName);
        var (matrix, weights) = ReadRows(data, columns, treatment, trainer, label);
        return new TrainingData(matrix, label.Finish(matrix.Rows, trainer), weights, label.ClassValues);
    }

    /// <summary>
    /// Reads the feature vectors alone (for learning from unlabeled rows), as <see cref="Read"/>
    /// reads them; <paramref name="reader"/> names the reader in errors.
    /// </summary>
    public static FeatureMatrix ReadFeatures(IDataView data, string featureColumnName, Func<int, CategoricalTreatment> treatment, string reader) =>
        ReadRows(data, new TrainerColumns("", featureColumnName, null), treatment, reader, label: null).Features;

    private static (FeatureMatrix Features, float[]? Weights) ReadRows(IDataView data, TrainerColumns columns, Func<int, CategoricalTreatment> treatment, string trainer,
        LabelReader? label)
    {
        var schema = data.Schema;
        var featureColumn = TrainerSchema.RequireFeatures(schema, columns.FeatureColumnName, trainer);
        var weightColumn = columns.ExampleWeightColumnName is null ? (DataViewSchema.Column?)null : TrainerSchema.RequireWeight(schema, columns.ExampleWeightColumnName, trainer);
        var layout = FeatureLayout.For(featureColumn, treatment);

        var capacity = (int)Math.Clamp(data.GetRowCount() ?? 1024, 1, Array.MaxLength / Math.Max(1, layout.Width));
        var values = new GrowingArray<float>(capacity * layout.Width);
        var indices = new GrowingArray<int>(capacity * layout.Indices.Length);
        var weights = weightColumn is null ? null : new GrowingArray<float>(capacity);
        var inputs = new List<DataViewSchema.Column> { featureColumn };
        if (label is not null) inputs.Add(label.Column);
        if (weightColumn is { } w) inputs.Add(w);

        var rows = 0;
        using (var cursor = data.GetRowCursor(inputs))
        {
            var getFeatures = cursor.GetGetter<VBuffer<float>>(featureColumn);
            var readLabel = label?.Bind(cursor);
            var readWeight = weightColumn is { } wc ? ColumnReaders.Number(cursor, wc) : null;
            var vector = default(VBuffer<float>);
            var dense = new float[layout.InputLength];
            while (cursor.MoveNext())
            {
                getFeatures(ref vector);
                if (vector.Length != layout.InputLength)
                    throw new DataValidationException($"'{columns.FeatureColumnName}' has {vector.Length} values on row {rows + 1} of the training data, but its type says {layout.InputLength}");
                vector.CopyTo(dense);
                layout.Write(dense, values.Append(layout.Width), indices.Append(layout.Indices.Length));
                readLabel?.Invoke(rows);
                if (readWeight is not null)
                {
                    var weight = readWeight();
                    if (!double.IsFinite(weight) || weight < 0)
                        throw new DataValidationException($"the example weight '{columns.ExampleWeightColumnName}' is {weight} on row {rows + 1} of the training data: weights must be finite and not negative");
                    weights!.Append(1)[0] = (float)weight;
                }
                rows++;
            }
        }
        if (rows == 0) throw new DataValidationException($"{trainer} cannot learn from zero rows");
        if (weights is not null && weights.Items.AsSpan(0, rows).IndexOfAnyExcept(0f) < 0)
            throw new DataValidationException($"every example weight in '{columns.ExampleWeightColumnName}' is 0: there is nothing to learn from");

        var matrix = new FeatureMatrix(layout, rows, values.Trimmed(rows * layout.Width), indices.Trimmed(rows * layout.Indices.Length));
        matrix = new FeatureMatrix(layout.WithBinary(BinaryColumns(matrix)), rows, matrix.Values, matrix.Indices);
        return (matrix, weights?.Trimmed(rows));
    }

    /// <summary>The numeric columns whose every value is 0 or 1.</summary>
    private static HashSet<int> BinaryColumns(FeatureMatrix matrix)
    {
        var candidates = Enumerable.Range(0, matrix.Width).Where(c => matrix.Layout.Columns[c].Kind == FeatureKind.Numeric).ToList();
        var binary = new HashSet<int>(candidates);
        for (var row = 0; row < matrix.Rows && binary.Count > 0; row++)
            foreach (var column in binary.ToArray())
                if (matrix.Values[row * matrix.Width + column] is not (0f or 1f)) binary.Remove(column);
        return binary;
    }

    /// <summary>An array that grows by doubling as rows are appended.</summary>
    private sealed class GrowingArray<T>(int capacity)
    {
        private int _count;

        public T[] Items { get; private set; } = new T[Math.Max(capacity, 0)];

        public Span<T> Append(int length)
        {
            if (_count + length > Items.Length)
            {
                var items = Items;
                Array.Resize(ref items, (int)Math.Min(Array.MaxLength, Math.Max(16, 2L * (_count + length))));
                Items = items;
            }
            _count += length;
            return Items.AsSpan(_count - length, length);
        }

        /// <summary>The first <paramref name="count"/> items, without the spare capacity.</summary>
        public T[] Trimmed(int count)
        {
            var items = Items;
            if (items.Length != count) Array.Resize(ref items, count);
            return items;
        }
    }
}
