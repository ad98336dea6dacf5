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
using MLPipelines.Transforms;

namespace MLPipelines.Cli.Compare;

/// <summary>
/// <c>mlpipelines compare</c>: every classical and deep estimator with its defaults on the same
/// k folds of a CSV or of labeled images, with progress while it runs and a leaderboard at the end.
/// </summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var data = new Option<FileInfo?>("--data") { Description = "The CSV file (or --images)" };
        var images = new Option<string?>("--images") { Description = "Instead of --data: labeled images, a folder with a folder of image files per class (PNG, JPEG, ...), or an IDX images file (…-images-idx3-ubyte[.gz], its labels file beside it) or a folder with one; the task is multiclass" };
        var label = new Option<string?>("--label") { Description = "The column to predict (with --data)" };
        var task = new Option<string?>("--task") { Description = DataLoading.TaskOptionHelp };
        task.AcceptOnlyFromAmong("regression", "binary", "multiclass");
        var folds = new Option<int>("--folds") { Description = "Cross-validation folds", DefaultValueFactory = _ => 5 };
        var models = new Option<string?>("--models") { Description = $"Comma-separated subset of: {string.Join(", ", Candidate.Known.Select(c => Candidate.Key(c.Name)))} (default: all but {string.Join(", ", Candidate.Variants.Select(c => Candidate.Key(c.Name)))}); with --images of: {ImageInput.ModelNames} (default: {ImageInput.PortfolioNames})" };
        var exclude = new Option<string?>("--exclude") { Description = "Comma-separated columns the models must not see (identifiers stored as numbers, columns that leak the label)" };
        var seed = new Option<int>("--seed") { Description = "Seed of the folds and of every model", DefaultValueFactory = _ => 42 };
        var timeLimit = new Option<double?>("--time-limit") { Description = "Seconds each deep model may train per fold (it keeps its best epoch so far); default: no limit" };
        var imageSize = new Option<int?>("--image-size") { Description = "With --images: the side image files are decoded to (default 64), or the networks resize IDX images to (default: 224 for the pretrained ResNet-18, their own size otherwise); an epoch costs about its square" };
        var output = new Option<FileInfo?>("--output") { Description = "Append every fold's result to this JSON Lines file as it finishes" };
        var pretrained = new Option<FileInfo?>("--pretrained") { Description = "Also fine-tune this pretrained checkpoint (mlpipelines pretrain) or deep model file" };
        var unlabeled = new Option<FileInfo?>("--unlabeled") { Description = "Pretrain the MLP on these rows first (self-supervised; the label column is not read; within --time-limit), and fine-tune it" };
        var command = new Command("compare", "Compare every classical and deep estimator with its defaults on the same cross-validation folds")
        {
            data, images, label, task, folds, models, exclude, seed, timeLimit, imageSize, output, pretrained, unlabeled,
        };
        command.SetAction((parse, cancellation) => Task.FromResult(Run(new Arguments(parse.GetValue(data), parse.GetValue(images), parse.GetValue(label), parse.GetValue(task),
            parse.GetValue(folds), parse.GetValue(models), parse.GetValue(exclude), parse.GetValue(seed), parse.GetValue(timeLimit), parse.GetValue(imageSize), parse.GetValue(output),
            parse.GetValue(pretrained), parse.GetValue(unlabeled)), cancellation)));
        return command;
    }

    private sealed record Arguments(FileInfo? Data, string? Images, string? Label, string? Task, int Folds, string? Models, string? Exclude, int Seed, double? TimeLimit,
        int? ImageSize, FileInfo? Output, FileInfo? Pretrained, FileInfo? Unlabeled);

    /// <summary>What the comparison runs on: the rows, the label and task, the candidates, and a line that describes the data.</summary>
    private sealed record Input(string Name, IDataView Data, string Label, PredictionTask Task, IReadOnlyList<Candidate> Candidates, string Description)
    {
        /// <summary>The columns no model will see, with the reasons (none for images).</summary>
        public IReadOnlyList<IgnoredColumn> Unused { get; init; } = [];

        /// <summary>How <see cref="Task"/> was read off the label where no --task was given.</summary>
        public InferredTask? InferredTask { get; init; }

        /// <summary>For a binary label of text or numbers, which class is true (<see cref="DataLoading.DescribeBinaryClasses"/>).</summary>
        public string? Classes { get; init; }
    }

    private static int Run(Arguments arguments, CancellationToken interrupt)
    {
        var console = Console.Out;
        using var termination = new Termination(interrupt);
        var ml = new MLContext(arguments.Seed);
        var threads = Environment.ProcessorCount;
        var timeLimit = arguments.TimeLimit;
        Input input;
        ComparisonSettings settings;
        try
        {
            input = arguments.Images is null ? ReadTable(ml, arguments, console, termination.Token) : ReadImages(arguments);
            settings = new ComparisonSettings(input.Label, input.Task, arguments.Folds, arguments.Seed, threads, timeLimit is null ? null : TimeSpan.FromSeconds(timeLimit.Value));
            settings.Validate(input.Data.GetRowCount() ?? 0);
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
        var (name, label, folds, seed) = (input.Name, input.Label, arguments.Folds, arguments.Seed);
        var taskName = DataLoading.TaskName(input.Task);
        var metric = TaskMetric.For(input.Task);
        console.WriteLine($"{name}: {input.Description}; predicting '{label}' ({taskName}), ranked by {metric.Name}");
        if (input.InferredTask is { } inferred) console.WriteLine(DataLoading.Describe(label, inferred));
        if (input.Classes is not null) console.WriteLine(input.Classes);
        console.WriteLine($"{folds} folds (seed {seed}); models: {string.Join(", ", input.Candidates.Select(c => c.Name))}" +
                          (timeLimit is null ? "" : $"; deep models train at most {timeLimit} s per fold"));
        if (input.Unused.Count > 0) console.WriteLine(DataLoading.Describe(input.Unused));
        console.WriteLine($"threads: {threads} for XGBoost, LightGbm, FastTree and L-BFGS; libtorch {TorchRuntime.NumThreads} intra-op, BLAS {TorchRuntime.BlasThreads?.ToString() ?? "n/a"}; device {TorchRuntime.DefaultDevice}");
        console.WriteLine();

        var printer = new ProgressPrinter(console, metric, interactive: !Console.IsOutputRedirected);
        var finished = new List<FoldResult>();
        using var results = arguments.Output is null ? null : new StreamWriter(arguments.Output.FullName, append: true) { AutoFlush = true };
        void Record(FoldResult result)
        {
            finished.Add(result);
            results?.WriteLine(JsonSerializer.Serialize(new { dataset = name, label, task = taskName, seed, folds, result }, JsonLines));
        }
        try
        {
            var comparison = CrossValidation.Compare(ml, input.Data, settings, input.Candidates, printer, Record, termination.Token);
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

    /// <summary>The CSV of --data, with the fine-tuned candidate of --pretrained or --unlabeled.</summary>
    private static Input ReadTable(MLContext ml, Arguments arguments, TextWriter console, CancellationToken cancellation)
    {
        var file = arguments.Data ?? throw new ArgumentException("compare needs --data (a CSV) or --images");
        var label = arguments.Label ?? throw new ArgumentException("--data needs --label, the column to predict");
        var inferred = arguments.Task is null ? DataLoading.InferTask(file.FullName, label, CsvFormat.Given) : null;
        var task = inferred?.Task ?? DataLoading.ParseTask(arguments.Task!);
        if (arguments.ImageSize is not null) throw new ArgumentException("--image-size is for --images");
        var candidates = arguments.Models is null ? Candidate.Defaults : Candidate.Named(Names(arguments.Models));
        var exclude = arguments.Exclude is null ? [] : Names(arguments.Exclude);
        var data = DataLoading.Load(ml, file.FullName, CsvFormat.Given, label, task, exclude, out var unlabeled, out var rowNames);
        var unused = DataLoading.UnusedColumns(ml, data, label, exclude, rowNames);
        // Beside the fold results when they are kept, else in the temporary folder; its path is printed for reuse with --pretrained.
        var checkpoint = Path.Combine(arguments.Output?.DirectoryName ?? Path.GetTempPath(), $"{Path.GetFileNameWithoutExtension(arguments.Unlabeled?.Name)}.pretrained.ckpt");
        // --time-limit bounds the pretraining as it bounds every deep fit.
        var timeLimit = arguments.TimeLimit is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        if (Pretraining.FineTunedCandidate(ml, arguments.Pretrained?.FullName, arguments.Unlabeled?.FullName, CsvFormat.Given, label, exclude, checkpoint, arguments.Seed, timeLimit, reuse: false, console, cancellation) is { } fineTuned)
            candidates = [.. candidates, fineTuned];
        return new Input(file.Name, data, label, task, candidates, $"{data.GetRowCount():N0} rows{DataLoading.AfterRowCount(unlabeled)}, {data.Schema.Count - 1} feature columns")
            { Unused = unused, InferredTask = inferred, Classes = DataLoading.DescribeBinaryClasses(data, label, task) };
    }

    /// <summary>The images of --images with the image candidates.</summary>
    private static Input ReadImages(Arguments arguments)
    {
        if (arguments.Data is not null) throw new ArgumentException("give --data or --images, not both");
        if (arguments.Task is not (null or "multiclass")) throw new ArgumentException($"images are classified (multiclass), not --task {arguments.Task}");
        ImageInput.RefuseTableOptions(("--label", arguments.Label), ("--exclude", arguments.Exclude), ("--pretrained", arguments.Pretrained), ("--unlabeled", arguments.Unlabeled));
        var images = new ImageInput(arguments.Images!, arguments.ImageSize, Console.Out);
        var candidates = images.Candidates(arguments.Models is null ? null : Names(arguments.Models));
        return new Input(Path.GetFileName(Path.TrimEndingDirectorySeparator(arguments.Images!)), images.Data, ImageInput.Label, PredictionTask.MulticlassClassification, candidates, images.Description);
    }

    private static string[] Names(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static readonly JsonSerializerOptions JsonLines = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };
}
