using Microsoft.ML;
using MLPipelines.AutoML;
using MLPipelines.AutoML.Experiments;
using MLPipelines.AutoML.Reports;
using MLPipelines.AutoML.Trials;
using MLPipelines.AutoML.Verdicts;
using MLPipelines.Cli.Shared;
using MLPipelines.Data;
using MLPipelines.Data.Csv;
using MLPipelines.ModelFiles;
using MLPipelines.Torch;
using MLPipelines.Transforms;

namespace MLPipelines.Cli.Experiments;

/// <summary>
/// Runs an <see cref="ExperimentJob"/> for <c>mlpipelines automl</c> and <c>mlpipelines run</c>:
/// checks everything it can before training, shows progress, prints the verdict, and saves the
/// champion (and finalists) with <c>ml.Model.Save</c>. Exit status: 0 with a champion; 1 when
/// no candidate succeeded; 2 for bad input; 130 (Ctrl+C) or 143 (SIGTERM) when stopped — the
/// finished trials are in the store and the same command resumes.
/// </summary>
internal static class ExperimentRunner
{
    public static int Run(ExperimentJob job, CancellationToken interrupt)
    {
        var output = Console.Out;
        using var termination = new Termination(interrupt);
        var ml = new MLContext(job.Seed);
        IReadOnlyList<Candidate> candidates;
        ExperimentSettings settings;
        IDataView data;
        IReadOnlyList<IgnoredColumn> unused;
        string rowsNote;
        IReadOnlyList<string> dataNotes;
        string? classes;
        try
        {
            settings = new ExperimentSettings(job.Label, job.Task)
            {
                Budget = job.Budget, MaxTrials = job.Trials, Folds = job.Folds, Repeats = job.Repeats, Seed = job.Seed, Threads = job.Threads,
                Verdict = new VerdictSettings(job.Alpha, job.Margin), RefitFinalists = job.Finalists is not null,
                SuccessiveHalving = job.SuccessiveHalving,
            };
            settings.Validate();
            if (job.Images && job.Exclude.Count > 0) ImageInput.RefuseTableOptions(("--exclude", string.Join(",", job.Exclude)));
            if (job.Images && (job.Pretrained ?? job.Unlabeled) is not null)
                throw new ArgumentException($"{(job.Pretrained is not null ? "--pretrained" : "--unlabeled")} is for a CSV (--data): the image candidates fine-tune the pretrained ResNet-18 themselves");
            var images = job.Images ? new ImageInput(job.Data, job.ImageSize, output) : null;
            candidates = job.Candidates(images);
            var (unlabeled, rowNames) = (0, false);
            data = images?.Data ?? DataLoading.Load(ml, job.Data, job.Csv, job.Label, job.Task, job.Exclude, out unlabeled, out rowNames);
            rowsNote = DataLoading.AfterRowCount(unlabeled);
            unused = images is null ? DataLoading.UnusedColumns(ml, data, job.Label, job.Exclude, rowNames) : [];
            classes = images is null ? DataLoading.DescribeBinaryClasses(data, job.Label, job.Task, saved: true) : null;
            // What the report and result.json say of the data, as the console's first lines do.
            dataNotes = [.. new[]
            {
                job.InferredTask is { } task ? DataLoading.Describe(job.Label, task, job.TaskChooser) : null,
                classes,
                DataLoading.DescribeUnlabeled(unlabeled), unused.Count > 0 ? DataLoading.Describe(unused) : null,
            }.OfType<string>()];
            if (job.Unlabeled is not null) Directory.CreateDirectory(job.OutputFolder);
            if (Pretraining.FineTunedCandidate(ml, job.Pretrained, job.Unlabeled, job.Csv, job.Label, job.Exclude, job.PretrainedCheckpointPath, job.Seed, timeLimit: null, reuse: true, output, termination.Token) is { } fineTuned)
                candidates = [.. candidates, fineTuned];
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled while pretraining: no experiment ran");
            return termination.ExitCode;
        }
        catch (Exception e) when (e is ArgumentException or CsvFormatException or DataValidationException or ModelFileException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }

        Directory.CreateDirectory(job.OutputFolder);
        SqliteTrialStore store;
        try
        {
            store = new SqliteTrialStore(job.StorePath);
        }
        catch (TrialStoreException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        using var _ = store;
        var metric = TaskMetric.For(job.Task);
        output.WriteLine($"{Path.GetFileName(job.Data)}: {data.GetRowCount():N0} rows{rowsNote}; predicting '{job.Label}' ({DataLoading.TaskName(job.Task)}), scored by {metric.Name} on {job.Folds} folds (seed {job.Seed})");
        if (job.InferredTask is { } inferred) output.WriteLine(DataLoading.Describe(job.Label, inferred, job.TaskChooser));
        if (classes is not null) output.WriteLine(classes);
        output.WriteLine($"budget: {(job.Budget is { } b ? Durations.Format(b) : "none")}{(job.Trials is { } n ? $", at most {n} trials" : "")}; " +
                         $"candidates: {string.Join(", ", candidates.Select(c => c.Name))}{(job.SuccessiveHalving ? "" : "; successive halving off")}");
        if (unused.Count > 0) output.WriteLine(DataLoading.Describe(unused));
        output.WriteLine($"threads: {settings.ThreadCount} for every engine (XGBoost, LightGbm, libtorch intra-op; BLAS 1); device {TorchRuntime.DefaultDevice}; trials are stored in {job.StorePath}");
        output.WriteLine();

        var console = new ExperimentConsole(output, metric, job, interactive: !Console.IsOutputRedirected);
        var experiment = new TabularExperiment(ml).SetDataset(data).SetSettings(settings).SetCandidates(candidates).SetStore(store).SetMonitor(console);
        ExperimentResult result;
        try
        {
            result = console.Show(() => experiment.Run(termination.Token));
        }
        catch (Exception e) when (e is ArgumentException or DataValidationException or TrialStoreException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }

        ResultPrinter.Print(output, result);
        ExperimentReport.Write(result, $"{Path.GetFileName(job.Data)} · {job.Label}", job.ReportPath, dataNotes);
        if (result.Cancelled)
        {
            output.WriteLine();
            output.WriteLine($"{(termination.Terminated ? "terminated" : "cancelled")}: {result.Trials.Count} finished trial(s) are kept in {job.StorePath}; run the same command again to resume.");
            return termination.ExitCode;
        }
        Save(ml, data, job, result, output);
        ResultFile.Write(result, job.ResultPath, dataNotes);
        output.WriteLine($"report: {job.ReportPath}; result: {job.ResultPath}");
        return result.ChampionTrial is null && result.Verdict?.Outcome != VerdictOutcome.Ensemble ? 1 : 0;
    }

    private static void Save(MLContext ml, IDataView data, ExperimentJob job, ExperimentResult result, TextWriter output)
    {
        output.WriteLine();
        if (result.Champion is { } champion)
        {
            // Saved with the data's own schema: the model reads the CSV's columns (the label is not needed to predict).
            ml.Model.Save(champion.Model, data.Schema, job.ModelPath);
            output.WriteLine($"champion: {champion.Name} refitted on all rows in {champion.FitSeconds:F1} s, saved to {job.ModelPath}");
            output.WriteLine(job.Images
                ? $"  score new images with: mlpipelines predict --model {job.ModelPath} --images new-images/ --output scored.csv"
                : $"  score new rows with: mlpipelines predict --model {job.ModelPath} --input new.csv --output scored.csv");
            output.WriteLine($"  deploy without the native engines: mlpipelines export --model {job.ModelPath} --onnx {Path.ChangeExtension(job.ModelPath, ".onnx")}");
        }
        if (job.Finalists is { } folder)
        {
            Directory.CreateDirectory(folder);
            foreach (var finalist in result.RefittedFinalists)
            {
                var family = finalist.Trial!.Family.ToString().ToLowerInvariant();
                var path = Path.Combine(folder, $"{family}-{Candidate.Key(finalist.Name).Replace("#", "")}.zip");
                ml.Model.Save(finalist.Model, data.Schema, path);
                output.WriteLine($"finalist ({family}): {finalist.Name} saved to {path}");
            }
        }
    }
}
