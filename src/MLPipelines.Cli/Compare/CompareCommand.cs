using System.CommandLine;
using Microsoft.ML;
using System.Text.Json;
using MLPipelines.AutoML;
using MLPipelines.Cli.Shared;
using MLPipelines.Data;
using MLPipelines.Data.Csv;
using MLPipelines.ModelFiles;
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
        var pretrained = new Option<FileInfo?>("--pretrained") { Description = "Also fine-tune this pretrained checkpoint (mlpipelines pretrain) or deep model file" };
        var unlabeled = new Option<FileInfo?>("--unlabeled") { Description = "Pretrain the MLP on these rows first (self-supervised; the label column is not read; within --time-limit), and fine-tune it" };
        var command = new Command("compare", "Compare every classical and deep estimator with its defaults on the same cross-validation folds")
        {
            data, label, task, folds, models, seed, timeLimit, output, pretrained, unlabeled,
        };
        command.SetAction((parse, cancellation) => Task.FromResult(Run(parse.GetValue(data)!, parse.GetValue(label)!, parse.GetValue(task)!, parse.GetValue(folds),
            parse.GetValue(models), parse.GetValue(seed), parse.GetValue(timeLimit), parse.GetValue(output), parse.GetValue(pretrained), parse.GetValue(unlabeled), cancellation)));
        return command;
    }

    private static int Run(FileInfo file, string label, string taskName, int folds, string? modelList, int seed, double? timeLimit, FileInfo? output,
        FileInfo? pretrained, FileInfo? unlabeled, CancellationToken interrupt)
    {
        var console = Console.Out;
        using var termination = new Termination(interrupt);
        var task = DataLoading.ParseTask(taskName);
        var ml = new MLContext(seed);
        var threads = Environment.ProcessorCount;
        IReadOnlyList<Candidate> candidates;
        IDataView data;
        ComparisonSettings settings;
        try
        {
            candidates = modelList is null ? Candidate.Defaults : Candidate.Named(modelList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            settings = new ComparisonSettings(label, task, folds, seed, threads, timeLimit is null ? null : TimeSpan.FromSeconds(timeLimit.Value));
            data = DataLoading.Load(ml, file.FullName, label, task);
            settings.Validate(data.GetRowCount() ?? 0);
            // Beside the fold results when they are kept, else in the temporary folder; its path is printed for reuse with --pretrained.
            var checkpoint = Path.Combine(output?.DirectoryName ?? Path.GetTempPath(), $"{Path.GetFileNameWithoutExtension(unlabeled?.Name)}.pretrained.ckpt");
            // --time-limit bounds the pretraining as it bounds every deep fit.
            if (Pretraining.FineTunedCandidate(ml, pretrained?.FullName, unlabeled?.FullName, label, checkpoint, seed, settings.FitTimeLimit, console, termination.Token) is { } fineTuned)
                candidates = [.. candidates, fineTuned];
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled while pretraining: nothing compared");
            return termination.ExitCode;
        }
        catch (Exception e) when (e is ArgumentException or CsvFormatException or DataValidationException or ModelFileException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        var metric = TaskMetric.For(task);
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
            var comparison = CrossValidation.Compare(ml, data, settings, candidates, printer, Record, termination.Token);
            LeaderboardPrinter.Print(console, comparison);
            if (comparison.Results.All(r => r.Failed))
            {
                Console.Error.WriteLine("error: no model succeeded on any fold (see the notes above)");
                return 1;
            }
            return 0;
        }
        catch (OperationCanceledException)
        {
            printer.ClearStatus();
            console.WriteLine($"\n{(termination.Terminated ? "terminated" : "cancelled")}: the leaderboard of the folds that finished:");
            LeaderboardPrinter.Print(console, new ComparisonResult(label, metric, folds, finished));
            return termination.ExitCode;
        }
    }

    private static readonly JsonSerializerOptions JsonLines = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };
}
