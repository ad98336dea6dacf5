using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MLPipelines.AutoML;
using MLPipelines.Data;
using MLPipelines.Data.Csv;
using MLPipelines.Deep.Options;
using MLPipelines.Deep.Training;
using MLPipelines.Deep.Transfer;
using MLPipelines.Transforms;

namespace MLPipelines.Cli.Shared;

/// <summary>Self-supervised pretraining from a CSV for the commands, and the fine-tuned candidate a comparison adds.</summary>
internal static class Pretraining
{
    /// <summary>The deep models by their command-line names.</summary>
    public static DeepModelOptions Architecture(string name) => name switch
    {
        "mlp" => new MlpOptions(),
        "resnet" => new ResNetOptions(),
        "ft-transformer" => new FTTransformerOptions(),
        "tabm" => new TabMOptions(),
        _ => throw new ArgumentException($"there is no deep model '{name}'; the deep models are: mlp, resnet, ft-transformer, tabm"),
    };

    /// <summary>
    /// Pretrains <paramref name="architecture"/> on every column of the CSV but <paramref name="exclude"/>
    /// (labels are never read), printing each epoch and the time it took. An excluded column the file
    /// lacks is an error when <paramref name="excludedMustExist"/> (a typo would be learned from), else skipped.
    /// </summary>
    public static PretrainedCheckpoint SelfSupervised(MLContext ml, string path, CsvOptions csv, IReadOnlyCollection<string> exclude, bool excludedMustExist,
        DeepModelOptions architecture, PretrainingOptions options, int seed, TextWriter output, CancellationToken cancellation)
    {
        if (!File.Exists(path)) throw new DataValidationException($"{Path.GetFullPath(path)} does not exist");
        IDataView rows = ml.Data.LoadCsv(path, csv);
        var absent = exclude.Where(c => rows.Schema.GetColumnOrNull(c) is null).ToList();
        if (excludedMustExist && absent.Count > 0)
            throw new ArgumentException($"--exclude names '{absent[0]}', which is not a column of {Path.GetFileName(path)} {ColumnList.For(absent[0], rows.Schema.Select(c => c.Name))}");
        var featurizer = new FeaturizerEstimator(labelColumnName: null, architecture.RecommendedFeaturization with
        {
            OutputColumnName = options.FeatureColumnName, IgnoredColumns = exclude.Except(absent).ToList(),
        });
        var features = featurizer.Fit(rows).Transform(rows);
        output.WriteLine($"pretraining {architecture.Name} on {rows.GetRowCount():N0} unlabeled rows of {Path.GetFileName(path)} " +
                         $"({(options.Objective == PretrainingObjective.Contrastive ? "contrastive, SCARF" : "masked-feature reconstruction")}, at most {options.MaxEpochs} epochs)");
        var clock = Stopwatch.StartNew();
        var pretrainer = new SelfSupervisedPretrainer(architecture, options, seed)
        {
            Progress = new EpochPrinter(output), CancellationToken = cancellation,
        };
        var checkpoint = pretrainer.Pretrain(features);
        output.WriteLine($"pretraining took {clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s: {pretrainer.Summary}");
        return checkpoint;
    }

    /// <summary>
    /// The fine-tuned candidate of <c>--pretrained</c> (a checkpoint or deep model file), or of <c>--unlabeled</c> (the default MLP pretrained
    /// on those rows but <paramref name="label"/> and <paramref name="exclude"/> first, within <paramref name="timeLimit"/> when given, its
    /// checkpoint written to <paramref name="checkpointPath"/>);
    /// null when neither is given. With <paramref name="reuse"/> (a resumable experiment), a checkpoint an earlier run pretrained at
    /// <paramref name="checkpointPath"/> on the same rows is used as it is (<see cref="PretrainedSource"/>).
    /// </summary>
    public static Candidate? FineTunedCandidate(MLContext ml, string? pretrained, string? unlabeled, CsvOptions csv, string label, IReadOnlyCollection<string> exclude,
        string checkpointPath, int seed, TimeSpan? timeLimit, bool reuse, TextWriter output, CancellationToken cancellation)
    {
        if (pretrained is not null && unlabeled is not null) throw new ArgumentException("give --pretrained or --unlabeled, not both");
        if (unlabeled is not null)
        {
            var source = reuse && File.Exists(unlabeled) ? PretrainedSource.Of(unlabeled, label, seed) : null;
            if (source?.Made(checkpointPath) == true)
                output.WriteLine($"reusing {checkpointPath}, pretrained on the same rows of {Path.GetFileName(unlabeled)} by an earlier run (delete it to pretrain again)");
            else
            {
                if (source is not null) PretrainedSource.Forget(checkpointPath);
                // The columns the models must not see are not learned from either.
                using var checkpoint = SelfSupervised(ml, unlabeled, csv, [label, .. exclude], excludedMustExist: false, new MlpOptions(), new PretrainingOptions { TimeLimit = timeLimit },
                    seed, output, cancellation);
                checkpoint.Save(checkpointPath);
                source?.Record(checkpointPath);
                output.WriteLine($"the pretrained checkpoint is {checkpointPath} (give it as --pretrained to reuse it); its cost is not part of the comparison's times");
            }
            pretrained = checkpointPath;
        }
        return pretrained is null ? null : Candidate.FineTuned(pretrained);
    }

    /// <summary>
    /// A (pre)training run's epochs: the first (it shows how long one takes), then those <see cref="EpochLog"/> shows —
    /// every 25th and one a minute at least — as compare and automl log them; a line per epoch was 256 lines for an MLP.
    /// </summary>
    internal sealed class EpochPrinter(TextWriter output) : IProgress<EpochProgress>
    {
        private readonly EpochLog _log = new();

        public void Report(EpochProgress e)
        {
            if (!_log.Shows(e) && e.Epoch != 1) return;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  epoch {e.Epoch}/{e.MaxEpochs}: training loss {e.TrainLoss:0.####}, held-out {e.Metric} {e.ValidationValue:0.####} (best {e.BestValidationValue:0.####} at epoch {e.BestEpoch}), {e.Elapsed.TotalSeconds:0.0} s"));
        }
    }
}
