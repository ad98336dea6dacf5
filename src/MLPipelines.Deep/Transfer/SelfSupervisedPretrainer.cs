using System.Globalization;
using Microsoft.ML;
using MLPipelines.Deep.Networks;
using MLPipelines.Deep.Options;
using MLPipelines.Deep.Training;
using MLPipelines.Torch;
using MLPipelines.Trainers;

namespace MLPipelines.Deep.Transfer;

/// <summary>
/// Pretrains a deep model's network on unlabeled rows (<see cref="PretrainingObjective"/>): the
/// architecture's own numeric scaling fitted on the rows, its network with a pretraining head
/// (one output per column to reconstruct, or the contrastive projection), its optimizer and
/// schedule (the regression ones), dropout as in training; a seeded tenth of the rows held out,
/// whose pretraining loss picks the best epoch and stops training after
/// <see cref="PretrainingOptions.Patience"/> epochs without improvement. Categorical index columns
/// (embedded categories) are corrupted like the others but not reconstructed. The result is a
/// <see cref="PretrainedCheckpoint"/> whose head fine-tuning replaces.
/// </summary>
public sealed class SelfSupervisedPretrainer(DeepModelOptions architecture, PretrainingOptions options, int seed) : Pretrainer(architecture, options, seed)
{
    /// <summary>Pretrains on the feature vectors of <paramref name="rows"/> (their other columns, labels included, are not read).</summary>
    public PretrainedCheckpoint Pretrain(IDataView rows) =>
        Pretrain(TrainingData.ReadFeatures(rows, Options.FeatureColumnName, Architecture.CategoricalTreatmentOf, Name));

    public PretrainedCheckpoint Pretrain(FeatureMatrix rows)
    {
        var contrastive = Options.Objective == PretrainingObjective.Contrastive;
        var rate = Options.CorruptionRateInUse.ToString(CultureInfo.InvariantCulture);
        return PretrainingLoop.Checkpoint(Architecture, Seed, Name, Options.FeatureColumnName, rows, contrastive ? Options.ProjectionSize : rows.Width, classification: false,
            (network, features, device) =>
            {
                Train(network, features, device, contrastive);
                return contrastive ? $"contrastive (SCARF, corruption {rate}) on {rows.Rows} rows" : $"masked-feature reconstruction (corruption {rate}) on {rows.Rows} rows";
            });
    }

    private void Train(TabularNetwork network, FeatureMatrix features, Device device, bool contrastive)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var (all, allCategories) = DeepModelParameters.InputTensors(features, null, device);
        var order = Tensors.RandPerm(features.Rows, device: device);
        var held = (long)Math.Max(1, Math.Round(features.Rows * Options.ValidationFraction));
        var trainIndex = order.Narrow(0, held, features.Rows - held);
        var validationIndex = order.Narrow(0, 0, held);
        var x = all.IndexSelect(0, trainIndex);
        var categories = allCategories?.IndexSelect(0, trainIndex);
        var validation = new NetworkInput(all.IndexSelect(0, validationIndex), allCategories?.IndexSelect(0, validationIndex));
        // The held-out rows' corruption is drawn once, so that epochs are compared on the same task.
        var corruptedValidation = Corrupt(validation, x, categories);

        network.InitializeFromData(new NetworkInput(x, categories));
        Summary = Loop(classification: false, contrastive ? "infonce" : "reconstruction mse").Run(network, x.Size(0),
            batch =>
            {
                var input = new NetworkInput(x.IndexSelect(0, batch), categories?.IndexSelect(0, batch));
                return Loss(network, input, Corrupt(input, x, categories), contrastive);
            },
            () => ValidationLoss(network, validation, corruptedValidation, contrastive),
            device);
    }

    private NetworkInput Corrupt(NetworkInput rows, Tensor pool, Tensor? poolCategories)
    {
        var rate = Options.CorruptionRateInUse;
        return new NetworkInput(PretrainingLosses.Corrupt(rows.Features, pool, rate),
            rows.Categories is null ? null : PretrainingLosses.Corrupt(rows.Categories, poolCategories!, rate));
    }

    /// <summary>Reconstruction: the corrupted rows in, the originals out. Contrastive: the members' mean outputs of the rows and of their corrupted views.</summary>
    private Tensor Loss(TabularNetwork network, NetworkInput original, NetworkInput corrupted, bool contrastive) => contrastive
        ? PretrainingLosses.InfoNce(network.Forward(original).Mean(1), network.Forward(corrupted).Mean(1), Options.Temperature)
        : PretrainingLosses.Reconstruction(network.Forward(corrupted), original.Features);

    /// <summary>The mean loss of the held-out rows, in batches (InfoNCE's negatives are the batch's other rows).</summary>
    private double ValidationLoss(TabularNetwork network, NetworkInput original, NetworkInput corrupted, bool contrastive)
    {
        var rows = original.Features.Size(0);
        var batch = contrastive ? Options.BatchSize ?? Architecture.BatchSize : EvaluationBatch;
        double sum = 0;
        for (long start = 0; start < rows; start += batch)
        {
            var length = Math.Min(batch, rows - start);
            NetworkInput Part(NetworkInput input) => new(input.Features.Narrow(0, start, length), input.Categories?.Narrow(0, start, length));
            sum += Loss(network, Part(original), Part(corrupted), contrastive).ToDouble() * length;
        }
        return sum / rows;
    }
}
