using System.CommandLine;
using MLPipelines.AutoML;
using MLPipelines.AutoML.Experiments;
using MLPipelines.Cli.Shared;
using MLPipelines.Data;
using MLPipelines.Data.Csv;
using MLPipelines.Trainers;

namespace MLPipelines.Cli.Experiments;

/// <summary>
/// <c>mlpipelines automl</c>: an AutoML experiment over classical and deep models on a CSV (or labeled images) within
/// a time budget, ending in a verdict — is a deep model worth it here? — and the champion saved.
/// </summary>
internal static class AutoMLCommand
{
    public static Command Create()
    {
        var data = new Option<FileInfo?>("--data") { Description = "The CSV file (or --images)" };
        var images = new Option<string?>("--images") { Description = "Instead of --data: labeled images, a folder with a folder of image files per class (PNG, JPEG, ...), or an IDX images file (…-images-idx3-ubyte[.gz], its labels file beside it) or a folder with one; the task is multiclass" };
        var label = new Option<string?>("--label") { Description = "The column to predict (with --data)" };
        var task = new Option<string?>("--task") { Description = DataLoading.TaskOptionHelp };
        task.AcceptOnlyFromAmong("regression", "binary", "multiclass");
        var budget = new Option<string?>("--budget") { Description = "Wall-clock budget, refits included: 300, 300s, 5m, 1h30m (default 5m unless --trials is given)" };
        var trials = new Option<int?>("--trials") { Description = "Trials at most" };
        var folds = new Option<int>("--folds") { Description = "Cross-validation folds", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { Description = "Seed of the folds, the models and the search", DefaultValueFactory = _ => 42 };
        var threads = new Option<int?>("--threads") { Description = "Cores the experiment may use (default: all)" };
        var models = new Option<string?>("--models") { Description = $"Comma-separated candidates, cheapest first: {string.Join(", ", Candidate.Known.Select(c => Candidate.Key(c.Name)))} (default: {string.Join(", ", Candidate.Portfolio.Select(c => Candidate.Key(c.Name)))}); with --images: {ImageInput.ModelNames} (default: {ImageInput.PortfolioNames})" };
        var exclude = new Option<string?>("--exclude") { Description = "Comma-separated columns the models must not see (identifiers stored as numbers, columns that leak the label)" };
        var imageSize = new Option<int?>("--image-size") { Description = "With --images: the side image files are decoded to (default 64), or the networks resize IDX images to (default: 224 for the pretrained ResNet-18, their own size otherwise); an epoch costs about its square" };
        var repeats = new Option<int>("--repeats") { Description = "Repetitions of k-fold for the verdict's contenders at most, as the budget allows (1: the search's folds only)", DefaultValueFactory = _ => ExperimentSettings.DefaultRepeats };
        var noHalving = new Option<bool>("--no-halving") { Description = "Let every tuned trial train its first fold to the end (default: successive halving stops one whose validation curve falls behind the model's earlier tuned trials)" };
        var alpha = new Option<double>("--alpha") { Description = "Significance level of the verdict's test", DefaultValueFactory = _ => 0.05 };
        var margin = new Option<double>("--margin") { Description = "Margin of practical equivalence, percent of the classical score", DefaultValueFactory = _ => 0.5 };
        var output = new Option<DirectoryInfo?>("--output") { Description = "Folder for the store, champion and report (default: automl-<data file name>)" };
        var store = new Option<FileInfo?>("--store") { Description = "The trial store (SQLite); the same command with the same store resumes (default: <output>/trials.db)" };
        var model = new Option<FileInfo?>("--model") { Description = "Where the champion is saved (default: <output>/champion.zip)" };
        var report = new Option<FileInfo?>("--report") { Description = "The HTML report (default: <output>/report.html)" };
        var finalists = new Option<DirectoryInfo?>("--finalists") { Description = "Also refit the best model of each family and save them here" };
        var pretrained = new Option<FileInfo?>("--pretrained") { Description = "Add a candidate fine-tuned from this pretrained checkpoint (mlpipelines pretrain) or deep model file" };
        var unlabeled = new Option<FileInfo?>("--unlabeled") { Description = "Pretrain the MLP on these rows first (self-supervised; the label column is not read) and add it fine-tuned as a candidate" };
        var command = new Command("automl", "Search classical and deep models within a budget; the deep model wins only by a significant margin")
        {
            data, images, label, task, imageSize, budget, trials, folds, repeats, seed, threads, models, exclude, noHalving, alpha, margin, output, store, model, report, finalists, pretrained, unlabeled,
        };
        command.SetAction((parse, cancellation) =>
        {
            ExperimentJob job;
            try
            {
                var budgetText = parse.GetValue(budget);
                var trialLimit = parse.GetValue(trials);
                job = Input(parse.GetValue(data), parse.GetValue(images), parse.GetValue(label), parse.GetValue(task), parse.GetValue(imageSize)) with
                {
                    Budget = budgetText is not null ? Durations.Parse(budgetText, "--budget") : trialLimit is null ? TimeSpan.FromMinutes(5) : null,
                    Trials = trialLimit,
                    Folds = parse.GetValue(folds),
                    Repeats = parse.GetValue(repeats),
                    Seed = parse.GetValue(seed),
                    Threads = parse.GetValue(threads),
                    Models = parse.GetValue(models)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    Exclude = parse.GetValue(exclude)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
                    SuccessiveHalving = !parse.GetValue(noHalving),
                    Alpha = parse.GetValue(alpha),
                    Margin = parse.GetValue(margin) / 100,
                    Output = parse.GetValue(output)?.FullName,
                    Store = parse.GetValue(store)?.FullName,
                    Model = parse.GetValue(model)?.FullName,
                    Report = parse.GetValue(report)?.FullName,
                    Finalists = parse.GetValue(finalists)?.FullName,
                    Pretrained = parse.GetValue(pretrained)?.FullName,
                    Unlabeled = parse.GetValue(unlabeled)?.FullName,
                };
            }
            catch (Exception e) when (e is ArgumentException or DataValidationException or CsvFormatException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return Task.FromResult(2);
            }
            return Task.FromResult(ExperimentRunner.Run(job, cancellation));
        });
        return command;
    }

    /// <summary>The job's data: a CSV with its label and task, or labeled images (multiclass).</summary>
    private static ExperimentJob Input(FileInfo? data, string? images, string? label, string? task, int? imageSize)
    {
        if (images is null)
        {
            if (data is null) throw new ArgumentException("automl needs --data (a CSV) or --images");
            if (imageSize is not null) throw new ArgumentException("--image-size is for --images");
            if (label is null) throw new ArgumentException("--data needs --label, the column to predict");
            if (task is not null) return new ExperimentJob(data.FullName, label, DataLoading.ParseTask(task)) { Csv = CsvFormat.Given };
            var inferred = DataLoading.InferTask(data.FullName, label, CsvFormat.Given);
            return new ExperimentJob(data.FullName, label, inferred.Task) { InferredTask = inferred, Csv = CsvFormat.Given };
        }
        if (data is not null) throw new ArgumentException("give --data or --images, not both");
        if (task is not (null or "multiclass")) throw new ArgumentException($"images are classified (multiclass), not --task {task}");
        ImageInput.RefuseTableOptions(("--label", label));
        return new ExperimentJob(Path.GetFullPath(images), ImageInput.Label, PredictionTask.MulticlassClassification) { Images = true, ImageSize = imageSize };
    }
}
