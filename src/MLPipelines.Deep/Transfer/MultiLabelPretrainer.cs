using Microsoft.ML;
using MLPipelines.Data;
using MLPipelines.Deep.Networks;
using MLPipelines.Deep.Options;
using MLPipelines.Deep.Training;
using MLPipelines.Torch;
using MLPipelines.Trainers;

namespace MLPipelines.Deep.Transfer;

/// <summary>A label of <see cref="MultiLabelPretrainer"/>: a column and what it is.</summary>
public sealed record PretrainingLabel(string ColumnName, PredictionTask Task);

/// <summary>
/// Supervised pretraining on several labels of a table at once (multi-task): one network whose head
/// holds every label's outputs side by side (one per regression target, standardized on the
/// training rows; one per class), trained on the sum of the labels' losses (squared error,
/// cross-entropy; averaged over ensemble members) with the architecture's scaling, optimizer and
/// schedules (<see cref="PretrainingLoop"/>); a seeded tenth of the rows picks the best epoch. The
/// label columns must not be features (give the featurizer the others as ignored columns). For one
/// label, fit the model itself: any saved deep model is a checkpoint.
/// </summary>
public sealed class MultiLabelPretrainer(DeepModelOptions architecture, PretrainingOptions options, int seed) : Pretrainer(architecture, options, seed)
{
    /// <summary>Pretrains on the feature vectors and the label columns of <paramref name="rows"/> (each label checked against its task).</summary>
    public PretrainedCheckpoint Pretrain(IDataView rows, IReadOnlyList<PretrainingLabel> labels)
    {
        if (labels.Count == 0) throw new ArgumentException("supervised pretraining needs at least one label", nameof(labels));
        var read = labels.Select(l => TrainingData.Read(rows, l.Task, new TrainerColumns(l.ColumnName, Options.FeatureColumnName), Architecture.CategoricalTreatmentOf, Name)).ToList();
        var features = read[0].Features;
        foreach (var label in labels)
            if (features.FeatureNames.Contains(label.ColumnName))
                throw new DataValidationException($"{Name}: the label '{label.ColumnName}' is also a feature slot; leave the labels out of the featurizer (FeaturizerOptions.IgnoredColumns)");
        var widths = read.Select(r => r.Label.Kind == LabelKind.Classes ? r.Label.ClassCount : 1).ToArray();
        var classification = read.All(r => r.Label.Kind == LabelKind.Classes);
        return PretrainingLoop.Checkpoint(Architecture, Seed, Name, Options.FeatureColumnName, features, widths.Sum(), classification,
            (network, scaled, device) =>
            {
                Train(network, scaled, read.Select(r => r.Label).ToList(), widths, classification, device);
                return "supervised on " + string.Join(", ", labels.Select((l, i) => read[i].Label.Kind == LabelKind.Classes
                    ? $"{l.ColumnName} ({read[i].Label.ClassCount} classes)" : $"{l.ColumnName} (regression)")) + $", {features.Rows} rows";
            });
    }

    private void Train(TabularNetwork network, FeatureMatrix features, IReadOnlyList<LabelData> labels, int[] widths, bool classification, Device device)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var order = Enumerable.Range(0, features.Rows).ToArray();
        new Random(Seed).Shuffle(order);
        var held = (int)Math.Max(1, Math.Round(features.Rows * Options.ValidationFraction));
        var (validationRows, trainRows) = (order[..held], order[held..]);
        var (x, categories) = DeepModelParameters.InputTensors(features, trainRows, device);
        var validation = DeepModelParameters.InputTensors(features, validationRows, device);
        var targets = labels.Select(l => Targets(l, trainRows, device)).ToList();
        var validationTargets = labels.Select(l => Targets(l, validationRows, device, trainRows)).ToList();

        network.InitializeFromData(new NetworkInput(x, categories));
        Summary = Loop(classification, "summed loss").Run(network, trainRows.Length,
            batch => Loss(network.Forward(new NetworkInput(x.IndexSelect(0, batch), categories?.IndexSelect(0, batch))), targets.Select(t => t.IndexSelect(0, batch)).ToList(), labels, widths),
            () =>
            {
                double sum = 0;
                for (long start = 0; start < validationRows.Length; start += EvaluationBatch)
                {
                    var length = Math.Min(EvaluationBatch, validationRows.Length - start);
                    var output = network.Forward(new NetworkInput(validation.X.Narrow(0, start, length), validation.Categories?.Narrow(0, start, length)));
                    sum += Loss(output, validationTargets.Select(t => t.Narrow(0, start, length)).ToList(), labels, widths).ToDouble() * length;
                }
                return sum / validationRows.Length;
            },
            device);
    }

    /// <summary>The sum over labels of each label's loss on its slice of the head's outputs.</summary>
    private static Tensor Loss(Tensor output, IReadOnlyList<Tensor> targets, IReadOnlyList<LabelData> labels, int[] widths)
    {
        Tensor? total = null;
        var offset = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var loss = DeepTrainer.Loss(output.Narrow(2, offset, widths[i]), targets[i], labels[i].Kind == LabelKind.Classes, classWeights: null, labelSmoothing: 0);
            total = total is null ? loss : total + loss;
            offset += widths[i];
        }
        return total!;
    }

    /// <summary>Class indices, or regression targets standardized with the training rows' mean and deviation.</summary>
    private static Tensor Targets(LabelData label, int[] rows, Device device, int[]? statisticsRows = null)
    {
        if (label.Kind == LabelKind.Classes)
            return Tensors.FromSpan<long>(rows.Select(r => (long)label.Classes![r]).ToArray(), [rows.Length], device);
        var (mean, std) = DeepTrainer.TargetStatistics(label.Values!, statisticsRows ?? rows);
        return Tensors.FromSpan<float>(rows.Select(r => (float)((label.Values![r] - mean) / std)).ToArray(), [rows.Length], device);
    }
}
