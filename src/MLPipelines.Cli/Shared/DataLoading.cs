using Microsoft.ML;
using MLPipelines.Data;
using MLPipelines.Data.Csv;
using MLPipelines.Trainers;

namespace MLPipelines.Cli.Shared;

internal static class DataLoading
{
    public static PredictionTask ParseTask(string name) => name switch
    {
        "regression" => PredictionTask.Regression,
        "binary" => PredictionTask.BinaryClassification,
        "multiclass" => PredictionTask.MulticlassClassification,
        _ => throw new ArgumentException($"the task '{name}' is not one of: regression, binary, multiclass"),
    };

    public static string TaskName(PredictionTask task) => task switch
    {
        PredictionTask.Regression => "regression",
        PredictionTask.BinaryClassification => "binary",
        _ => "multiclass",
    };

    /// <summary>
    /// Reads the CSV; for classification a numeric-looking label is read as categorical. The
    /// label is checked against the task before anything trains (<see cref="LabelPreparation"/>).
    /// </summary>
    public static IDataView Load(MLContext ml, string path, string label, PredictionTask task)
    {
        if (!File.Exists(path)) throw new DataValidationException($"{Path.GetFullPath(path)} does not exist");
        var view = ml.Data.LoadCsv(path);
        var table = view.Table;
        if (!table.Schema.Contains(label))
            throw new DataValidationException($"{path} has no column '{label}' (columns: {string.Join(", ", table.Schema.Select(c => c.Name))})");
        if (task != PredictionTask.Regression && table.Schema[label].Type == ColumnType.Numeric)
            view = ml.Data.LoadCsv(path, new CsvOptions { ColumnTypes = new Dictionary<string, ColumnType> { [label] = ColumnType.Categorical } });
        LabelPreparation.Prepare(ml, view, label, task);
        return view;
    }
}
