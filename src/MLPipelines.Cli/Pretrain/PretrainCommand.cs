using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MLPipelines.Cli.Shared;
using MLPipelines.Data;
using MLPipelines.Data.Csv;
using MLPipelines.Deep.Options;
using MLPipelines.Deep.Training;
using MLPipelines.Deep.Transfer;
using MLPipelines.ModelFiles;
using MLPipelines.Trainers;
using MLPipelines.Transforms;

namespace MLPipelines.Cli.Pretrain;

/// <summary>
/// <c>mlpipelines pretrain</c>: a deep model pretrained on a table, saved as a checkpoint that
/// <c>compare</c> / <c>automl --pretrained</c> and <see cref="DeepModelOptions.Pretrained"/> fine-tune:
/// supervised when a label is given, else self-supervised on every column (<c>--exclude</c> leaves some out).
/// </summary>
internal static class PretrainCommand
{
    public static Command Create()
    {
        var data = new Option<FileInfo>("--data") { Description = "The CSV file of the rows to pretrain on", Required = true };
        var label = new Option<string?>("--label") { Description = "Pretrain supervised on this column, or on several at once (comma-separated; default: self-supervised, no label read)" };
        var task = new Option<string?>("--task") { Description = "With --label: regression, binary or multiclass, one per label (comma-separated) or one for all (default: read off each label's values, and the reason printed)" };
        var model = new Option<string>("--model") { Description = "mlp, resnet, ft-transformer or tabm", DefaultValueFactory = _ => "mlp" };
        model.AcceptOnlyFromAmong("mlp", "resnet", "ft-transformer", "tabm");
        var objective = new Option<string>("--objective") { Description = "Self-supervised objective: reconstruction (masked features) or contrastive (SCARF)", DefaultValueFactory = _ => "reconstruction" };
        objective.AcceptOnlyFromAmong("reconstruction", "contrastive");
        var exclude = new Option<string?>("--exclude") { Description = "Comma-separated columns not to learn from (a target column among the unlabeled rows, identifiers)" };
        var timeLimit = new Option<double?>("--time-limit") { Description = "Seconds of training at most (the best epoch so far is kept)" };
        var seed = new Option<int>("--seed") { Description = "Seed of the network and the held-out rows", DefaultValueFactory = _ => 42 };
        var output = new Option<FileInfo>("--output") { Description = "The checkpoint file to write", Required = true };
        var command = new Command("pretrain", "Pretrain a deep model on a table (with or without labels) for fine-tuning where labels are few")
        {
            data, label, task, model, objective, exclude, timeLimit, seed, output,
        };
        command.SetAction((parse, cancellation) => Task.FromResult(Run(parse.GetValue(data)!, parse.GetValue(label), parse.GetValue(task), parse.GetValue(model)!,
            parse.GetValue(objective)!, parse.GetValue(exclude), parse.GetValue(timeLimit), parse.GetValue(seed), parse.GetValue(output)!, cancellation)));
        return command;
    }

    private static int Run(FileInfo file, string? label, string? taskName, string modelName, string objective, string? exclude, double? timeLimit, int seed,
        FileInfo output, CancellationToken interrupt)
    {
        using var termination = new Termination(interrupt);
        var ml = new MLContext(seed);
        var limit = timeLimit is null ? (TimeSpan?)null : TimeSpan.FromSeconds(timeLimit.Value);
        var excluded = exclude?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        try
        {
            if (label is null && taskName is not null) throw new ArgumentException("--task is for --label, the columns of supervised pretraining (without them it is self-supervised)");
            var architecture = Pretraining.Architecture(modelName) with { TimeLimit = limit };
            var clock = Stopwatch.StartNew();
            using var checkpoint = label is null
                ? Pretraining.SelfSupervised(ml, file.FullName, CsvFormat.Given, excluded, excludedMustExist: true, architecture, new PretrainingOptions
                {
                    Objective = objective == "contrastive" ? PretrainingObjective.Contrastive : PretrainingObjective.MaskedReconstruction, TimeLimit = limit,
                }, seed, Console.Out, termination.Token)
                : Supervised(ml, file.FullName, Labels(file.FullName, label, taskName), excluded, architecture, limit, seed, termination.Token);
            checkpoint.Save(output.FullName);
            Console.WriteLine($"wrote {output.Name}: {checkpoint.Options.Name}, {checkpoint.Objective}, {checkpoint.Columns.Length + checkpoint.Indices.Length} input columns, " +
                              $"{clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s in all");
            Console.WriteLine($"fine-tune it: mlpipelines compare --data <labeled.csv> --label <column> --pretrained {output.Name}");
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or CsvFormatException or DataValidationException or ModelFileException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {output.FullName} cannot be written: {e.Message}");
            return 2;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"{(termination.Terminated ? "terminated" : "cancelled")}: no checkpoint written");
            return termination.ExitCode;
        }
    }

    /// <summary>The labels and their tasks: as many tasks as labels, or one task for all; without --task, each read off its label and said how.</summary>
    private static (string Label, PredictionTask Task)[] Labels(string path, string labels, string? tasks)
    {
        var names = labels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (tasks is null)
            return names.Select(name =>
            {
                var inferred = DataLoading.InferTask(path, name, CsvFormat.Given);
                Console.WriteLine(DataLoading.Describe(name, inferred));
                return (name, inferred.Task);
            }).ToArray();
        var kinds = tasks.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(DataLoading.ParseTask).ToArray();
        if (kinds.Length != 1 && kinds.Length != names.Length)
            throw new ArgumentException($"--task gives {kinds.Length} tasks for {names.Length} labels: give one per label, or one for all");
        return names.Select((name, i) => (name, kinds[kinds.Length == 1 ? 0 : i])).ToArray();
    }

    /// <summary>
    /// One label: the deep model trained on it with its defaults (its validation split picks the best epoch), as a checkpoint.
    /// Several: <see cref="MultiLabelPretrainer"/> on all of them at once.
    /// </summary>
    private static PretrainedCheckpoint Supervised(MLContext ml, string path, (string Label, PredictionTask Task)[] labels, string[] excluded,
        DeepModelOptions architecture, TimeSpan? limit, int seed, CancellationToken cancellation)
    {
        var data = DataLoading.Load(ml, path, CsvFormat.Given, labels, out var unlabeled, out _);
        if (excluded.Length > 0) data = ml.Transforms.DropColumns(Present(data, excluded)).Fit(data).Transform(data);
        Console.WriteLine($"pretraining {architecture.Name} on {data.GetRowCount():N0} rows of {Path.GetFileName(path)}{DataLoading.AfterRowCount(unlabeled)}, " +
                          $"supervised on {string.Join(", ", labels.Select(l => $"'{l.Label}'"))}");
        foreach (var (name, kind) in labels) data = LabelPreparation.Prepare(ml, data, name, kind);
        if (labels.Length > 1)
        {
            var others = labels.Skip(1).Select(l => l.Label).ToArray();
            var featurizer = new FeaturizerEstimator(labels[0].Label, architecture.RecommendedFeaturization with { IgnoredColumns = others });
            var pretrainer = new MultiLabelPretrainer(architecture, new PretrainingOptions { TimeLimit = limit }, seed)
            {
                CancellationToken = cancellation, Progress = new Pretraining.EpochPrinter(Console.Out),
            };
            var checkpoint = pretrainer.Pretrain(featurizer.Fit(data).Transform(data), labels.Select(l => new PretrainingLabel(l.Label, l.Task)).ToList());
            Console.WriteLine($"pretraining: {pretrainer.Summary}");
            return checkpoint;
        }
        var (label, task) = labels[0];
        var trainer = new DeepTrainer(task, architecture with { LabelColumnName = label }, seed)
        {
            CancellationToken = cancellation,
            Progress = new Pretraining.EpochPrinter(Console.Out),
        };
        using var model = ml.Transforms.FeaturizeFor(trainer).Append(trainer).Fit(data);
        return PretrainedCheckpoint.From(model.LastTransformer.Model);
    }

    /// <summary>The named columns the data has; a name it lacks is an error (a typo would otherwise be learned from).</summary>
    private static string[] Present(IDataView data, string[] columns) =>
        columns.FirstOrDefault(c => data.Schema.GetColumnOrNull(c) is null) is not { } absent ? columns
            : throw new ArgumentException($"--exclude names '{absent}', which is not a column {ColumnList.For(absent, data.Schema.Select(c => c.Name))}");
}
