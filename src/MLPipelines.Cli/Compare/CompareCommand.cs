using System.CommandLine;
using Microsoft.ML;
using System.Text.Json;
using MLPipelines.AutoML;
using MLPipelines.Data;
using MLPipelines.Data.Csv;
using MLPipelines.Torch;
using MLPipelines.Trainers;

namespace MLPipelines.Cli.Compare;

/// <summary>
/// <c>mlpipelines compare</c>: every classical and deep estimator with its defaults on the same
/// k folds of a CSV, with progress while it runs and a leaderboard at the end.
/// </summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var data = new Option<FileInfo>("--data") { Description = "The CSV file", Required = true };
        var label = new Option<string>("--label") { Description = "The column to predict", Required = true };
        var task = new Option<string>("--task") { Description = "regression, binary or multiclass", Required = true };
        task.AcceptOnlyFromAmong("regression", "binary", "multiclass");
        var folds = new Option<int>("--folds") { Description = "Cross-validation folds", DefaultValueFactory = _ => 5 };
        var models = new Option<string?>("--models") { Description = $"Comma-separated subset of: {string.Join(", ", Candidate.Defaults.Select(c => Candidate.Key(c.Name)))} (default: all)" };
        var seed = new Option<int>("--seed") { Description = "Seed of the folds and of every model", DefaultValueFactory = _ => 42 };
        var timeLimit = new Option<double?>("--time-limit") { Description = "Seconds each deep model may train per fold (it keeps its best epoch so far); default: no limit" };
        var output = new Option<FileInfo?>("--output") { Description = "Append every fold's result to this JSON Lines file as it finishes" };
        var command = new Command("compare", "Compare every classical and deep estimator with its defaults on the same cross-validation folds")
        {
            data, label, task, folds, models, seed, timeLimit, output,
        };
        command.SetAction((parse, cancellation) => Task.FromResult(Run(parse.GetValue(data)!, parse.GetValue(label)!, parse.GetValue(task)!, parse.GetValue(folds),
            parse.GetValue(models), parse.GetValue(seed), parse.GetValue(timeLimit), parse.GetValue(output), cancellation)));
        return command;
    }

    private static int Run(FileInfo file, string label, string taskName, int folds, string? modelList, int seed, double? timeLimit, FileInfo? output,
        CancellationToken cancellation)
    {
        var console = Console.Out;
        if (!file.Exists)
        {
            Console.Error.WriteLine($"error: {file.FullName} does not exist");
            return 2;
        }
        var task = taskName switch
        {
            "regression" => PredictionTask.Regression,
            "binary" => PredictionTask.BinaryClassification,
            _ => PredictionTask.MulticlassClassification,
        };
        IReadOnlyList<Candidate> candidates;
        try
        {
            candidates = modelList is null ? Candidate.Defaults : Candidate.Named(modelList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }

        var ml = new MLContext(seed);
        IDataView data;
        try
        {
            data = Load(ml, file.FullName, label, task);
        }
        catch (Exception e) when (e is CsvFormatException or DataValidationException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        var metric = TaskMetric.For(task);
        var threads = Environment.ProcessorCount;
        var settings = new ComparisonSettings(label, task, folds, seed, threads, timeLimit is null ? null : TimeSpan.FromSeconds(timeLimit.Value));
        console.WriteLine($"{file.Name}: {data.GetRowCount():N0} rows, {data.Schema.Count - 1} feature columns; predicting '{label}' ({taskName}), ranked by {metric.Name}");
        console.WriteLine($"{folds} folds (seed {seed}); models: {string.Join(", ", candidates.Select(c => c.Name))}" +
                          (timeLimit is null ? "" : $"; deep models train at most {timeLimit} s per fold"));
        console.WriteLine($"threads: {threads} for XGBoost, LightGbm, FastTree and L-BFGS; libtorch {TorchRuntime.NumThreads} intra-op, BLAS {TorchRuntime.BlasThreads?.ToString() ?? "n/a"}; device {TorchRuntime.DefaultDevice}");
        console.WriteLine();

        var printer = new ProgressPrinter(console, metric, interactive: !Console.IsOutputRedirected);
        var finished = new List<FoldResult>();
        using var results = output is null ? null : new StreamWriter(output.FullName, append: true) { AutoFlush = true };
        void Record(FoldResult result)
        {
            finished.Add(result);
            results?.WriteLine(JsonSerializer.Serialize(new { dataset = file.Name, label, task = taskName, seed, folds, result }, JsonLines));
        }
        try
        {
            var comparison = CrossValidation.Compare(ml, data, settings, candidates, printer, Record, cancellation);
            LeaderboardPrinter.Print(console, comparison);
            return 0;
        }
        catch (OperationCanceledException)
        {
            printer.ClearStatus();
            console.WriteLine("\ncancelled: the leaderboard of the folds that finished:");
            LeaderboardPrinter.Print(console, new ComparisonResult(label, metric, folds, finished));
            return 130;
        }
    }

    private static readonly JsonSerializerOptions JsonLines = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    /// <summary>Reads the CSV; for classification a numeric-looking label is read as categorical.</summary>
    private static IDataView Load(MLContext ml, string path, string label, PredictionTask task)
    {
        var view = ml.Data.LoadCsv(path);
        var table = view.Table;
        if (!table.Schema.Contains(label))
            throw new DataValidationException($"{path} has no column '{label}' (columns: {string.Join(", ", table.Schema.Select(c => c.Name))})");
        if (task != PredictionTask.Regression && table.Schema[label].Type == ColumnType.Numeric)
            view = ml.Data.LoadCsv(path, new CsvOptions { ColumnTypes = new Dictionary<string, ColumnType> { [label] = ColumnType.Categorical } });
        return view;
    }
}
