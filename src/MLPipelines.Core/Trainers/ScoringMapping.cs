using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data;
using MLPipelines.Data.DataViews;

namespace MLPipelines.Trainers;

/// <summary>
/// A model's predictions as columns (<see cref="PredictionColumns"/>): feature vectors are
/// collected a batch at a time through the model's <see cref="FeatureLayout"/>, predicted in one
/// call, and handed out as ML.NET's output columns.
/// </summary>
internal sealed class ScoringMapping(TabularModelParameters model, string featureColumn, DataViewSchema inputSchema, KeyValuesAnnotation? classValues) : IColumnMapping
{
    private readonly TabularModelParameters _model = model;
    private readonly string _featureColumn = featureColumn;

    public DataViewSchema AddedColumns { get; } = PredictionColumns.Added(inputSchema, model.Description, classValues);

    public int BatchSize => _model.BatchSize;

    public IReadOnlyList<DataViewSchema.Column> InputColumns(DataViewSchema input) => [Check(input, _featureColumn, _model)];

    /// <summary>The feature column, after checking that it is what the model was trained on.</summary>
    public static DataViewSchema.Column Check(DataViewSchema input, string name, TabularModelParameters model)
    {
        var column = TrainerSchema.RequireFeatures(input, name, "the model");
        var length = ((VectorDataViewType)column.Type).Size;
        if (length != model.Layout.InputLength)
            throw new DataValidationException($"the model was trained on '{name}' vectors of {model.Layout.InputLength} values, but these rows have {length}: " +
                                              "transform them with the pipeline the model was trained in");
        return column;
    }

    public IMappingBatch Bind(DataViewRow input) => new Batch(this, input);

    private sealed class Batch : IMappingBatch
    {
        private readonly ScoringMapping _mapping;
        private readonly ValueGetter<VBuffer<float>> _features;
        private readonly FeatureMatrix _matrix;
        private readonly float[] _outputs;
        private readonly float[] _dense;
        private readonly int _outputCount;
        private VBuffer<float> _vector;

        public Batch(ScoringMapping mapping, DataViewRow input)
        {
            _mapping = mapping;
            var model = mapping._model;
            _features = input.GetGetter<VBuffer<float>>(input.Schema[mapping._featureColumn]);
            _matrix = new FeatureMatrix(model.Layout, model.BatchSize);
            _outputCount = model.Description.OutputCount;
            _outputs = new float[model.BatchSize * _outputCount];
            _dense = new float[model.Layout.InputLength];
        }

        public void Clear() => _matrix.Rows = 0;

        public void Add()
        {
            _features(ref _vector);
            var layout = _matrix.Layout;
            if (_vector.Length != layout.InputLength)
                throw new DataValidationException($"a '{_mapping._featureColumn}' vector has {_vector.Length} values; the model takes {layout.InputLength}");
            ReadOnlySpan<float> vector;
            if (_vector.IsDense) vector = _vector.GetValues();
            else
            {
                _vector.CopyTo(_dense);
                vector = _dense;
            }
            var row = _matrix.Rows++;
            layout.Write(vector, _matrix.Values.AsSpan(row * layout.Width, layout.Width), _matrix.Indices.AsSpan(row * layout.Indices.Length, layout.Indices.Length));
        }

        public void Compute()
        {
            if (_matrix.Rows > 0) _mapping._model.Predict(_matrix, _outputs.AsSpan(0, _matrix.Rows * _outputCount));
        }

        public Delegate Getter(int column, Func<int> row)
        {
            var name = _mapping.AddedColumns[column].Name;
            var outputs = _outputs;
            var count = _outputCount;
            return (_mapping._model.Task, name) switch
            {
                (PredictionTask.BinaryClassification, PredictionColumns.Probability) =>
                    (ValueGetter<float>)((ref float value) => value = Sigmoid(outputs[row()])),
                (PredictionTask.BinaryClassification, PredictionColumns.PredictedLabel) =>
                    (ValueGetter<bool>)((ref bool value) => value = outputs[row()] > 0),
                (PredictionTask.MulticlassClassification, PredictionColumns.Score) =>
                    (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
                    {
                        var editor = VBufferEditor.Create(ref value, count);
                        outputs.AsSpan(row() * count, count).CopyTo(editor.Values);
                        value = editor.Commit();
                    }),
                (PredictionTask.MulticlassClassification, PredictionColumns.PredictedLabel) =>
                    (ValueGetter<uint>)((ref uint value) => value = ArgMaxKey(outputs.AsSpan(row() * count, count))),
                _ => (ValueGetter<float>)((ref float value) => value = outputs[row()]),
            };
        }

        private static float Sigmoid(float margin) => (float)(1 / (1 + Math.Exp(-margin)));

        /// <summary>The most probable class as a 1-based key (the first on ties; 0 when every score is NaN).</summary>
        private static uint ArgMaxKey(ReadOnlySpan<float> scores)
        {
            var best = -1;
            for (var c = 0; c < scores.Length; c++)
                if (!float.IsNaN(scores[c]) && (best < 0 || scores[c] > scores[best])) best = c;
            return (uint)(best + 1);
        }
    }
}
