using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data;
using MLPipelines.Data.DataViews;

namespace MLPipelines.Trainers;

/// <summary>
/// Gives a label column the type ML.NET's trainers of a task read, keeping its name: Boolean
/// for binary classification (from two text or number values; the positive class is the
/// second in ordinal order unless named), a key for multiclass (values in ordinal order). A
/// regression label must already be a number. What an experiment does before its folds; in a
/// pipeline of your own, ML.NET's MapValue and MapValueToKey do the same.
/// </summary>
public static class LabelPreparation
{
    public static IDataView Prepare(MLContext ml, IDataView data, string label, PredictionTask task, string? positiveClass = null) =>
        Prepare(ml, data, label, task, out _, positiveClass);

    /// <summary>
    /// <see cref="Prepare(MLContext, IDataView, string, PredictionTask, string?)"/>, saying which classes a binary label's
    /// values became (<see cref="BinaryClasses"/>; null for other tasks and a label already Boolean) without reading the label again.
    /// </summary>
    public static IDataView Prepare(MLContext ml, IDataView data, string label, PredictionTask task, out (string False, string True)? classes,
        string? positiveClass = null)
    {
        classes = null;
        var column = data.Schema.GetColumnOrNull(label)
                     ?? throw new DataValidationException($"the label column '{label}' is not in the data {ColumnList.For(label, TrainerSchema.Visible(data.Schema))}");
        switch (task)
        {
            case PredictionTask.Regression when column.Type is NumberDataViewType:
                return data;
            case PredictionTask.Regression:
                throw new DataValidationException($"regression needs a numeric label, but '{label}' is {column.Type}: a label with classes needs a classification task");
            case PredictionTask.BinaryClassification when column.Type is BooleanDataViewType:
                return data;
            case PredictionTask.BinaryClassification:
                classes = BinaryClasses(data, label, positiveClass);
                var (negative, positive) = classes!.Value;
                // MapValue reads text: numbers (0/1, say) are converted first.
                var text = column.Type is TextDataViewType ? data : ml.Transforms.Conversion.ConvertType(label, label, DataKind.String).Fit(data).Transform(data);
                var map = new Dictionary<string, bool> { [negative] = false, [positive] = true };
                return ml.Transforms.Conversion.MapValue(label, map, label).Fit(text).Transform(text);
            case PredictionTask.MulticlassClassification when column.Type is KeyDataViewType:
                return data;
            default:
                OneClassRefused(label, Classes(data, column));
                return ml.Transforms.Conversion.MapValueToKey(label, keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
                    .Fit(data).Transform(data);
        }
    }

    /// <summary>
    /// The classes a binary label's values become, (false, true): the positive class is the second in ordinal order unless
    /// named. Null for a label that is already Boolean; a label without exactly two classes is refused.
    /// </summary>
    public static (string False, string True)? BinaryClasses(IDataView data, string label, string? positiveClass = null)
    {
        var column = data.Schema.GetColumnOrNull(label)
                     ?? throw new DataValidationException($"the label column '{label}' is not in the data {ColumnList.For(label, TrainerSchema.Visible(data.Schema))}");
        if (column.Type is BooleanDataViewType) return null;
        var classes = OneClassRefused(label, Classes(data, column));
        if (classes.Length != 2)
            throw new DataValidationException($"binary classification needs two classes, but the label '{label}' has {classes.Length} ({Preview(classes)}): use multiclass");
        var positive = positiveClass ?? classes[1];
        if (!classes.Contains(positive)) throw new DataValidationException($"the positive class '{positive}' is not a class of '{label}' ({Preview(classes)})");
        return (classes.Single(c => c != positive), positive);
    }

    /// <summary>
    /// ML.NET's MapValue from a binary model's PredictedLabel to <paramref name="classes"/>' text, in the column
    /// <see cref="PredictionColumns.PredictedClass"/>: appended to a model of a label that <see cref="Prepare(MLContext, IDataView, string, PredictionTask, string?)"/> mapped to
    /// Boolean, it makes the saved model's predictions say which class, as a multiclass model's PredictedLabel does.
    /// </summary>
    public static IEstimator<ITransformer> PredictedClass(MLContext ml, (string False, string True) classes) =>
        ml.Transforms.Conversion.MapValue(PredictionColumns.PredictedClass,
            new Dictionary<bool, string> { [false] = classes.False, [true] = classes.True }, PredictionColumns.PredictedLabel);

    /// <summary>The classes, unless there is only one: every model would predict it, and no score would mean anything.</summary>
    private static string[] OneClassRefused(string label, string[] classes) => classes.Length >= 2 ? classes
        : throw new DataValidationException($"the label '{label}' has {(classes.Length == 0 ? "no value" : $"a single class ({classes[0]})")}: a classifier needs at least two");

    /// <summary>The label's distinct values as text, in ordinal order.</summary>
    private static string[] Classes(IDataView data, DataViewSchema.Column column)
    {
        var values = ColumnReaders.ToTable(data, [column]).Columns[0];
        return Enumerable.Range(0, values.Length).Select(values.Format).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToArray();
    }

    private static string Preview(string[] classes) => string.Join(", ", classes.Take(5)) + (classes.Length > 5 ? ", ..." : "");
}
