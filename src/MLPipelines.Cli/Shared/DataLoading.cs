using Microsoft.ML;
using MLPipelines.Data;
using MLPipelines.Data.Csv;
using MLPipelines.Data.DataViews;
using MLPipelines.Trainers;
using MLPipelines.Transforms;

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

    /// <summary>What automl and compare say of --task.</summary>
    public const string TaskOptionHelp = "regression, binary or multiclass (with --data; default: read off the label's values, and the reason printed)";

    /// <summary>
    /// The task the label's values suggest (<see cref="TaskInference"/>), for a command given no
    /// <c>--task</c>; <see cref="Describe(string, InferredTask, string)"/> says which and why.
    /// </summary>
    public static InferredTask InferTask(string path, string label, CsvOptions csv)
    {
        if (!File.Exists(path)) throw new DataValidationException($"{Path.GetFullPath(path)} does not exist");
        var table = CsvReader.Read(path, csv);
        if (!table.Schema.Contains(label))
            throw new DataValidationException($"{path} has no column '{label}' {ColumnList.For(label, table.Schema.Select(c => c.Name))}");
        return TaskInference.Infer(table[label]);
    }

    /// <summary>
    /// For a binary label of text or numbers in the loaded rows, which class the models call true ("'Status': 'good' is
    /// true (Probability is its probability), 'bad' false", <see cref="LabelPreparation.BinaryClasses"/>). Null for other
    /// tasks and for a label that is already true/false. Said before anything trains, and in the report and result.json,
    /// since PredictedLabel and Probability say only true and false; where models are <paramref name="saved"/> (automl), it
    /// says that they also write the class itself, as PredictedClass.
    /// </summary>
    public static string? DescribeBinaryClasses(IDataView data, string label, PredictionTask task, bool saved = false) =>
        task == PredictionTask.BinaryClassification && LabelPreparation.BinaryClasses(data, label) is var (no, yes)
            ? $"'{label}': '{yes}' is true (Probability is its probability), '{no}' false" + (saved ? $"; the saved models also write the class, as {PredictionColumns.PredictedClass}" : "")
            : null;

    /// <summary>"task: multiclass, inferred: 'species' holds 3 distinct values, not numbers; --task chooses another" (or what <paramref name="chooser"/> names: a pipeline file's key).</summary>
    public static string Describe(string label, InferredTask inferred, string chooser = "--task") =>
        $"task: {TaskName(inferred.Task)}, inferred: '{label}' holds {inferred.Reason}; {chooser} chooses another";

    /// <summary>
    /// Reads the CSV as <paramref name="csv"/> says (<see cref="CsvFormat.Given"/> on the command line); for classification a numeric-looking label is read as categorical. Rows
    /// without a label are left out (<paramref name="unlabeled"/> says how many): no model can learn
    /// from them or be scored on them, and every trainer refuses them. The label is checked against
    /// the task before anything trains (<see cref="LabelPreparation"/>), and left as the file has it.
    /// The columns of <paramref name="exclude"/> (<c>--exclude</c>) are left out: each must be a column
    /// of the file, and not the label. <paramref name="rowNames"/>: whether the file's unnamed first
    /// column held row names, left out (<see cref="RowOrigins.RowNamesLeftOut"/>).
    /// </summary>
    public static IDataView Load(MLContext ml, string path, CsvOptions csv, string label, PredictionTask task, IReadOnlyCollection<string> exclude, out int unlabeled, out bool rowNames) =>
        Load(ml, path, csv, [(label, task)], out unlabeled, out rowNames, exclude);

    /// <summary>Reads the CSV for several labels at once (supervised pretraining), each read and checked as <see cref="Load(MLContext, string, CsvOptions, string, PredictionTask, IReadOnlyCollection{string}, out int, out bool)"/> does; a row without any of them is left out.</summary>
    public static IDataView Load(MLContext ml, string path, CsvOptions csv, IReadOnlyList<(string Label, PredictionTask Task)> labels, out int unlabeled, out bool rowNames,
        IReadOnlyCollection<string>? exclude = null)
    {
        if (!File.Exists(path)) throw new DataValidationException($"{Path.GetFullPath(path)} does not exist");
        var view = ml.Data.LoadCsv(path, csv);
        var table = view.Table;
        rowNames = table.Origins?.RowNamesLeftOut == true;
        foreach (var (label, _) in labels)
            if (!table.Schema.Contains(label))
                throw new DataValidationException($"{path} has no column '{label}' {ColumnList.For(label, table.Schema.Select(c => c.Name))}");
        var categorical = labels.Where(l => l.Task != PredictionTask.Regression && table.Schema[l.Label].Type == ColumnType.Numeric).Select(l => l.Label).ToList();
        if (categorical.Count > 0)
        {
            var types = new Dictionary<string, ColumnType>(csv.ColumnTypes);
            foreach (var name in categorical) types[name] = ColumnType.Categorical;
            view = ml.Data.LoadCsv(path, csv with { ColumnTypes = types });
        }
        foreach (var name in exclude ?? [])
        {
            if (labels.Any(l => l.Label == name)) throw new ArgumentException($"--exclude names the label '{name}': it is what the models predict");
            if (!table.Schema.Contains(name))
                throw new ArgumentException($"--exclude names '{name}', which is not a column of {Path.GetFileName(path)} {ColumnList.For(name, table.Schema.Select(c => c.Name))}");
        }
        var labeled = Enumerable.Range(0, view.Table.RowCount).Where(row => labels.All(l => !view.Table[l.Label].IsMissing(row))).ToArray();
        unlabeled = view.Table.RowCount - labeled.Length;
        if (labeled.Length == 0)
            throw new DataValidationException($"{Path.GetFileName(path)} has no row with a value in {string.Join(" and ", labels.Select(l => $"'{l.Label}'"))}");
        if (unlabeled > 0 || exclude is { Count: > 0 })
            view = new DataTableView(exclude is { Count: > 0 } ? view.Table.WithoutColumns([.. exclude]) : view.Table, unlabeled > 0 ? labeled : null);
        foreach (var (label, task) in labels) LabelPreparation.Prepare(ml, view, label, task);
        return view;
    }

    /// <summary>"3 rows without a label left out", or null where every row has one.</summary>
    public static string? DescribeUnlabeled(int unlabeled) =>
        unlabeled == 0 ? null : $"{unlabeled:N0} row{(unlabeled == 1 ? "" : "s")} without a label left out";

    /// <summary>" (3 rows without a label left out)" after a row count, or nothing.</summary>
    public static string AfterRowCount(int unlabeled) => DescribeUnlabeled(unlabeled) is { } note ? $" ({note})" : "";

    /// <summary>
    /// The columns no model will see, each with the reason (excluded, free text, identifiers, columns
    /// without a value), as the default featurizer decides on all the rows: said before anything
    /// trains, so that scores at the baseline's level are not the first sign. A table with no column
    /// a model can use is refused here (<see cref="DataValidationException"/>).
    /// </summary>
    public static IReadOnlyList<IgnoredColumn> UnusedColumns(MLContext ml, IDataView data, string label, IReadOnlyCollection<string> excluded, bool rowNames) =>
    [
        .. rowNames ? [new IgnoredColumn("the first column", "unnamed: row names, as pandas and R write them")] : Array.Empty<IgnoredColumn>(),
        .. excluded.Select(name => new IgnoredColumn(name, "excluded")), .. ml.Transforms.Featurize(label).Fit(data).IgnoredColumns,
    ];

    /// <summary>"not used by the models: review (free text …); product (an identifier …)".</summary>
    public static string Describe(IReadOnlyList<IgnoredColumn> unused) =>
        $"not used by the models: {string.Join("; ", unused.Select(c => $"{c.Column} ({c.Reason})"))}";
}
