using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data.DataViews;
using MLPipelines.Trainers;

namespace MLPipelines.Ensembles;

/// <summary>
/// The prediction columns of a weighted ensemble, row by row from each member's own row
/// mapper. Blended are the values an experiment stores and selects the weights on: the score
/// (regression), the positive class's probability (binary; the score of a member without one),
/// the class scores (multiclass). From the blend: binary <c>Score</c> is its log-odds,
/// <c>Probability</c> the blend, <c>PredictedLabel</c> whether it exceeds one half; multiclass
/// <c>PredictedLabel</c> is the class with the highest blended score (the first of ties). The
/// columns' types and annotations are the members' (slot names, key values, scorer kind).
/// </summary>
internal sealed class EnsembleMapping : IColumnMapping
{
    private readonly PredictionTask _task;
    private readonly IReadOnlyList<ITransformer> _members;
    private readonly IReadOnlyList<double> _weights;

    public EnsembleMapping(PredictionTask task, IReadOnlyList<ITransformer> members, IReadOnlyList<double> weights, DataViewSchema input)
    {
        _task = task;
        _members = members;
        _weights = weights;
        var outputs = members.Select(m => m.GetOutputSchema(input)).ToList();
        var builder = new DataViewSchema.Builder();
        foreach (var name in AddedNames(task))
        {
            var column = outputs.Select(o => o.GetColumnOrNull(name)).FirstOrDefault(c => c is not null)
                         ?? throw new ArgumentException($"no member of the ensemble adds a '{name}' column: members must be {task} models");
            builder.AddColumn(name, column.Type, column.Annotations);
        }
        AddedColumns = builder.ToSchema();
    }

    private static string[] AddedNames(PredictionTask task) => task switch
    {
        PredictionTask.Regression => [PredictionColumns.Score],
        PredictionTask.BinaryClassification => [PredictionColumns.Score, PredictionColumns.Probability, PredictionColumns.PredictedLabel],
        _ => [PredictionColumns.Score, PredictionColumns.PredictedLabel],
    };

    public DataViewSchema AddedColumns { get; }

    /// <summary>Members read whatever columns their pipelines start from: all of them are offered.</summary>
    public IReadOnlyList<DataViewSchema.Column> InputColumns(DataViewSchema input) => input.ToList();

    public int BatchSize => 1;

    public IMappingBatch Bind(DataViewRow input) => new Batch(this, input);

    /// <summary>The blended values of the rows added since the last <see cref="Clear"/>.</summary>
    private sealed class Batch : IMappingBatch
    {
        private readonly EnsembleMapping _mapping;
        private readonly List<DataViewRow> _rows = [];
        private readonly List<ValueGetter<float>> _scalars = [];
        private readonly List<ValueGetter<VBuffer<float>>> _vectors = [];
        private readonly List<float[]> _blended = [];
        private VBuffer<float> _vector;

        public Batch(EnsembleMapping mapping, DataViewRow input)
        {
            _mapping = mapping;
            foreach (var member in mapping._members)
            {
                var mapper = member.GetRowToRowMapper(input.Schema);
                var output = mapper.OutputSchema;
                var column = mapping._task == PredictionTask.BinaryClassification && output.GetColumnOrNull(PredictionColumns.Probability) is { } probability
                    ? probability
                    : output[PredictionColumns.Score];
                var row = mapper.GetRow(input, [column]);
                _rows.Add(row);
                if (mapping._task == PredictionTask.MulticlassClassification) _vectors.Add(row.GetGetter<VBuffer<float>>(column));
                else _scalars.Add(row.GetGetter<float>(column));
            }
        }

        public void Clear() => _blended.Clear();

        public void Add()
        {
            double[]? sum = null;
            for (var m = 0; m < _mapping._members.Count; m++)
            {
                var weight = _mapping._weights[m];
                if (_mapping._task == PredictionTask.MulticlassClassification)
                {
                    _vectors[m](ref _vector);
                    sum ??= new double[_vector.Length];
                    var i = 0;
                    foreach (var value in _vector.DenseValues()) sum[i++] += weight * value;
                }
                else
                {
                    var value = 0f;
                    _scalars[m](ref value);
                    sum ??= new double[1];
                    sum[0] += weight * value;
                }
            }
            _blended.Add(Array.ConvertAll(sum!, v => (float)v));
        }

        public void Compute()
        {
        }

        public Delegate Getter(int column, Func<int> row)
        {
            var name = _mapping.AddedColumns[column].Name;
            return (_mapping._task, name) switch
            {
                (PredictionTask.MulticlassClassification, PredictionColumns.Score) => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
                {
                    var blend = _blended[row()];
                    var editor = VBufferEditor.Create(ref value, blend.Length);
                    blend.CopyTo(editor.Values);
                    value = editor.Commit();
                }),
                (PredictionTask.MulticlassClassification, _) => (ValueGetter<uint>)((ref uint value) => value = (uint)ArgMax(_blended[row()]) + 1),
                (PredictionTask.BinaryClassification, PredictionColumns.Score) => (ValueGetter<float>)((ref float value) => value = LogOdds(_blended[row()][0])),
                (PredictionTask.BinaryClassification, PredictionColumns.PredictedLabel) => (ValueGetter<bool>)((ref bool value) => value = _blended[row()][0] > 0.5f),
                _ => (ValueGetter<float>)((ref float value) => value = _blended[row()][0]),
            };
        }

        private static int ArgMax(float[] values)
        {
            var best = 0;
            for (var i = 1; i < values.Length; i++)
                if (values[i] > values[best]) best = i;
            return best;
        }

        /// <summary>The margin whose logistic is the probability (kept finite at 0 and 1).</summary>
        private static float LogOdds(float probability)
        {
            var p = Math.Clamp(probability, 1e-7f, 1 - 1e-7f);
            return MathF.Log(p / (1 - p));
        }
    }
}
