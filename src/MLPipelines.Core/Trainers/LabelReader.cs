using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data;
using MLPipelines.Data.DataViews;

namespace MLPipelines.Trainers;

/// <summary>
/// Reads a label column row by row for a task, refusing what a learner cannot use: a missing
/// or non-finite value, a binary number other than 0 or 1, the missing key 0.
/// </summary>
internal sealed class LabelReader
{
    private readonly DataViewSchema.Column _column;
    private readonly PredictionTask _task;
    private readonly string _name;
    private readonly List<double> _values = [];
    private readonly List<int> _classes = [];

    public LabelReader(DataViewSchema.Column column, PredictionTask task, string name)
    {
        _column = column;
        _task = task;
        _name = name;
        if (task == PredictionTask.MulticlassClassification && column.Annotations.Schema.GetColumnOrNull(AnnotationNames.KeyValues) is not null)
            ClassValues = KeyValuesAnnotation.Read(column);
    }

    /// <summary>The key values of a multiclass label, when it has them.</summary>
    public KeyValuesAnnotation? ClassValues { get; }

    /// <summary>The label column read.</summary>
    public DataViewSchema.Column Column => _column;

    /// <summary>A reader of the current row's label (its argument is the 0-based row, for errors).</summary>
    public Action<int> Bind(DataViewRow row)
    {
        switch (_column.Type)
        {
            case BooleanDataViewType:
                var getBoolean = row.GetGetter<bool>(_column);
                return _ =>
                {
                    var value = false;
                    getBoolean(ref value);
                    _classes.Add(value ? 1 : 0);
                };
            case KeyDataViewType:
                var getKey = ColumnReaders.Key(row, _column);
                return r =>
                {
                    var key = getKey();
                    if (key == 0) throw Invalid(r, "missing (key 0: a value the key mapping did not know)", "remove those rows, or map keys from every class");
                    _classes.Add((int)key - 1);
                };
            default:
                var getNumber = ColumnReaders.Number(row, _column);
                return r =>
                {
                    var value = getNumber();
                    if (!double.IsFinite(value))
                        throw Invalid(r, double.IsNaN(value) ? "missing (NaN)" : value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                            "every training row needs a label: remove those rows (ml.Data.FilterRowsByMissingValues)");
                    if (_task == PredictionTask.Regression) _values.Add(value);
                    else if (value is 0 or 1) _classes.Add((int)value);
                    else throw Invalid(r, value.ToString(System.Globalization.CultureInfo.InvariantCulture), "a numeric binary label must be 0 or 1; a Boolean label is clearer");
                };
        }
    }

    private DataValidationException Invalid(int row, string what, string advice) =>
        new($"the label '{_name}' is {what} on row {row + 1} of the training data: {advice}");

    /// <summary>The label of every row read.</summary>
    public LabelData Finish(int rows, string trainer)
    {
        if (_task == PredictionTask.Regression) return LabelData.Numeric(_values.ToArray());
        var names = _column.Type is KeyDataViewType ? ColumnReaders.KeyNames(_column) : ["False", "True"];
        var classes = _classes.ToArray();
        if (_task == PredictionTask.BinaryClassification && classes.Distinct().Count() < 2)
            throw new DataValidationException($"{trainer} needs both classes in the training rows, but the label '{_name}' is {names[classes[0]]} on all {rows} rows");
        return LabelData.ForClasses(classes, names);
    }
}
