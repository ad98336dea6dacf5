using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data;

namespace MLPipelines.Trainers;

/// <summary>The checks every trainer and model makes of the columns it reads, with messages that say what is wrong and what to do.</summary>
public static class TrainerSchema
{
    /// <summary>The feature column: a vector of Single of known size.</summary>
    public static DataViewSchema.Column RequireFeatures(DataViewSchema schema, string name, string who)
    {
        var column = Require(schema, name, who, "the feature column");
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType number, Size: > 0 } || number != NumberDataViewType.Single)
            throw new DataValidationException($"{who} reads the feature column '{name}' as a vector of Single of known size, but it is {column.Type}: " +
                                              "build it with ml.Transforms.Concatenate (numbers converted with ml.Transforms.Conversion.ConvertType) or with ml.Transforms.Featurize");
        return column;
    }

    /// <summary>The label column, of a type the task can learn from.</summary>
    public static DataViewSchema.Column RequireLabel(DataViewSchema schema, string name, PredictionTask task, string who)
    {
        var column = Require(schema, name, who, "the label column");
        var type = column.Type;
        var fits = task switch
        {
            PredictionTask.Regression => type == NumberDataViewType.Single || type == NumberDataViewType.Double,
            PredictionTask.BinaryClassification => type is BooleanDataViewType || type == NumberDataViewType.Single || type == NumberDataViewType.Double || type is KeyDataViewType { Count: 2 },
            _ => type is KeyDataViewType { Count: > 0 and < int.MaxValue },
        };
        if (!fits)
            throw new DataValidationException(task switch
            {
                PredictionTask.Regression => $"{who} is a regression trainer: the label '{name}' must be Single or Double, but it is {type}" +
                                             (type is TextDataViewType or KeyDataViewType or BooleanDataViewType ? " (classes? use a classification trainer)" : ""),
                PredictionTask.BinaryClassification => $"{who} is a binary classification trainer: the label '{name}' must be Boolean, but it is {type}" +
                                                       (type is TextDataViewType ? "; map its two values to true and false first (ml.Transforms.Conversion.MapValue)" : type is KeyDataViewType ? "; a key label with more than two classes needs a multiclass trainer" : ""),
                _ => $"{who} is a multiclass trainer: the label '{name}' must be a key, but it is {type}; map its values to keys first (ml.Transforms.Conversion.MapValueToKey(\"{name}\"))",
            });
        return column;
    }

    /// <summary>The example weight column: a number.</summary>
    public static DataViewSchema.Column RequireWeight(DataViewSchema schema, string name, string who)
    {
        var column = Require(schema, name, who, "the example weight column");
        if (column.Type is not NumberDataViewType)
            throw new DataValidationException($"{who} reads example weights from '{name}', which must be a number, but it is {column.Type}");
        return column;
    }

    private static DataViewSchema.Column Require(DataViewSchema schema, string name, string who, string role) =>
        schema.GetColumnOrNull(name) ?? throw MissingColumn(who, role, name, Visible(schema));

    /// <summary>The error for a column a trainer or model reads but the data lacks, listing the columns there are.</summary>
    public static DataValidationException MissingColumn(string who, string role, string name, IEnumerable<string> columns) =>
        new($"{who} reads {role} '{name}', but the data has no such column {ColumnList.For(name, columns)}");

    /// <summary>A schema's visible columns' names, for error messages (<see cref="ColumnList"/>).</summary>
    public static IEnumerable<string> Visible(DataViewSchema schema) => schema.Where(c => !c.IsHidden).Select(c => c.Name);
}
