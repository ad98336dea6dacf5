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
        var label = new Option<string?>("--label") { Description = "Pretrain supervised on this column (default: self-supervised, no label read)" };
        var task = new Option<string?>("--task") { Description = "With --label: regression, binary or multiclass" };
        task.AcceptOnlyFromAmong("regression", "binary", "multiclass");
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
            if ((label is null) != (taskName is null)) throw new ArgumentException("--label and --task go together: give both for supervised pretraining, neither for self-supervised");
            var architecture = Pretraining.Architecture(modelName) with { TimeLimit = limit };
            var clock = Stopwatch.StartNew();
            using var checkpoint = label is null
                ? Pretraining.SelfSupervised(ml, file.FullName, excluded, architecture, new PretrainingOptions
                {
                    Objective = objective == "contrastive" ? PretrainingObjective.Contrastive : PretrainingObjective.MaskedReconstruction, TimeLimit = limit,
                }, seed, Console.Out, termination.Token)
                : Supervised(ml, file.FullName, label, DataLoading.ParseTask(taskName!), excluded, architecture, seed, termination.Token);
            checkpoint.Save(output.FullName);
            Console.WriteLine($"wrote {output.Name}: {checkpoint.Options.Name}, {checkpoint.Objective}, {checkpoint.Columns.Length + checkpoint.Indices.Length} input columns, " +
                              $"{clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s in all");
            Console.WriteLine($"fine-tune it: mlpipelines compare --data <labeled.csv> --label <column> --task <task> --pretrained {output.Name}");
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

    /// <summary>The deep model trained on the label with its defaults (its validation split picks the best epoch), as a checkpoint.</summary>
    private static PretrainedCheckpoint Supervised(MLContext ml, string path, string label, PredictionTask task, string[] excluded,
        DeepModelOptions architecture, int seed, CancellationToken cancellation)
    {
        var data = DataLoading.Load(ml, path, label, task);
        if (excluded.Length > 0) data = ml.Transforms.DropColumns(excluded.Where(c => data.Schema.GetColumnOrNull(c) is not null).ToArray()).Fit(data).Transform(data);
        Console.WriteLine($"pretraining {architecture.Name} on {data.GetRowCount():N0} rows of {Path.GetFileName(path)}, supervised on '{label}'");
        var trainer = new DeepTrainer(task, architecture with { LabelColumnName = label }, seed)
        {
            CancellationToken = cancellation,
            Progress = new Pretraining.EpochPrinter(Console.Out),
        };
        var prepared = LabelPreparation.Prepare(ml, data, label, task);
        using var model = ml.Transforms.FeaturizeFor(trainer).Append(trainer).Fit(prepared);
        return PretrainedCheckpoint.From(model.LastTransformer.Model);
    }
}
