using System.Globalization;
using MLPipelines.Data;
using MLPipelines.Deep.Networks;
using MLPipelines.Deep.Options;
using MLPipelines.Deep.Training;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;
using MLPipelines.Torch.Optim;
using MLPipelines.Trainers;

namespace MLPipelines.Deep.Transfer;

/// <summary>
/// The training loop every pretraining shares, whatever its loss: the architecture's optimizer
/// and schedules (its learning rate for the task unless <see cref="PretrainingOptions.LearningRate"/>
/// says otherwise), its dropout schedule, mini-batches in a seeded order, the held-out rows'
/// loss after every epoch, the best epoch's weights kept, <see cref="PretrainingOptions.Patience"/>,
/// the time limit (checked after every step) and cancellation.
/// </summary>
internal sealed class PretrainingLoop(DeepModelOptions architecture, PretrainingOptions options, bool classification, string name, string metric)
{
    /// <summary>
    /// What every pretraining does around its training: the rows checked (finite, at least 20), the
    /// architecture's numeric scaling fitted on them, its network with <paramref name="outputs"/> outputs
    /// on the CPU threads and seed of a fit, and the checkpoint of the trained network.
    /// <paramref name="train"/> trains the network on the scaled rows and says what it learned, in words.
    /// </summary>
    public static PretrainedCheckpoint Checkpoint(DeepModelOptions architecture, int seed, string name, string featureColumnName, FeatureMatrix rows,
        int outputs, bool classification, Func<TabularNetwork, FeatureMatrix, Device, string> train)
    {
        rows.RequireFinite(name, featureColumnName);
        if (rows.Rows < 20) throw new DataValidationException($"{name} needs at least 20 rows; there are {rows.Rows}");
        var scalers = InputScaling.Fit(rows, architecture.NumericScaling);
        var scaled = InputScaling.Apply(rows, scalers);
        var bins = architecture.NumericEmbedding == NumericEmbeddingKind.PiecewiseLinear
            ? DeepTrainer.Bins(scaled, Enumerable.Range(0, scaled.Rows).ToArray(), architecture.PiecewiseLinearBins)
            : null;
        var shape = new NetworkShape(scaled.FeatureKinds.ToArray(), scaled.Layout.Indices.Select(i => i.Cardinality).ToArray(), outputs, bins);
        var device = DeepModelParameters.ResolveDevice(architecture.Device);

        using var threads = ThreadSplitScope.ForTraining(architecture, mixedPrecision: false);
        using var denormals = TorchRuntime.FlushDenormals();
        TorchRuntime.ManualSeed((ulong)seed);
        using var network = Recipes.CreateNetwork(architecture, shape, classification);
        network.To(device);
        var objective = train(network, scaled, device);
        var columns = scaled.Layout.Columns.Select((c, i) => new NetworkColumn(c.Name, shape.FeatureKinds[i])).ToArray();
        var indices = scaled.Layout.Indices.Select(i => new NetworkIndexColumn(i.Name, i.Cardinality)).ToArray();
        return new PretrainedCheckpoint(objective, architecture, shape, columns, indices, scalers, network.StateDict());
    }

    public IProgress<EpochProgress>? Progress { get; init; }

    public CancellationToken CancellationToken { get; init; }

    /// <summary>
    /// Trains <paramref name="network"/> on <paramref name="trainRows"/> rows: <paramref name="trainingLoss"/> gives the loss of a
    /// batch of their indices; <paramref name="validationLoss"/> the mean loss of the held-out rows. Returns what happened, in words.
    /// </summary>
    public string Run(TabularNetwork network, long trainRows, Func<Tensor, Tensor> trainingLoss, Func<double> validationLoss, Device device)
    {
        var batchSize = options.BatchSize ?? architecture.BatchSize;
        var trainingOptions = architecture with { LearningRate = options.LearningRate ?? architecture.LearningRateFor(classification) };
        using var optimizer = Recipes.Optimizer(trainingOptions, network, classification);
        var totalSteps = (trainRows + batchSize - 1) / batchSize * options.MaxEpochs;
        var scheduler = new LearningRateScheduler(optimizer, Recipes.Schedule(architecture, totalSteps), Recipes.WeightDecaySchedule(architecture, totalSteps));
        var started = TimeProvider.System.GetTimestamp();
        TimeSpan Elapsed() => TimeProvider.System.GetElapsedTime(started);
        bool OutOfTime() => options.TimeLimit is { } limit && Elapsed() >= limit;

        using var best = new BestEpoch(network);
        var epoch = 0;
        var stoppedBy = "max epochs";
        while (epoch < options.MaxEpochs)
        {
            epoch++;
            network.Train();
            double lossSum = 0;
            long rowsSeen = 0;
            using (TorchRuntime.NewDisposeScope())
            {
                foreach (var batch in Tensors.RandPerm(trainRows, device: device).Split(batchSize))
                {
                    CancellationToken.ThrowIfCancellationRequested();
                    using var step = TorchRuntime.NewDisposeScope();
                    network.OnTrainingProgress((double)scheduler.StepCount / totalSteps);
                    var loss = trainingLoss(batch);
                    optimizer.ZeroGrad();
                    loss.Backward();
                    optimizer.Step();
                    scheduler.Step();
                    lossSum += loss.ToDouble() * batch.Size(0);
                    rowsSeen += batch.Size(0);
                    if (OutOfTime()) break;
                }
            }
            double value;
            network.Eval();
            using (TorchRuntime.NoGrad())
            using (TorchRuntime.NewDisposeScope())
                value = validationLoss();
            best.Offer(epoch, value);
            Progress?.Report(new EpochProgress(name, epoch, options.MaxEpochs, lossSum / rowsSeen, metric, value, best.Value, best.Epoch, Elapsed()));
            if (epoch - best.Epoch >= options.Patience)
            {
                stoppedBy = $"no improvement for {options.Patience} epochs";
                break;
            }
            if (OutOfTime())
            {
                stoppedBy = "time limit";
                break;
            }
        }
        best.Restore(epoch);
        return $"{epoch} epochs, best {best.Epoch} (held-out loss {best.Value.ToString("0.####", CultureInfo.InvariantCulture)}), stopped by {stoppedBy}, " +
               $"{Elapsed().TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s";
    }
}
