using System.Globalization;
using MLPipelines.Data;
using MLPipelines.Deep.Networks;
using MLPipelines.Deep.Options;
using MLPipelines.Deep.Transfer;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;
using MLPipelines.Torch.Optim;
using MLPipelines.Trainers;
using MLPipelines.Transforms;
using MLPipelines.Transforms.Scaling;

namespace MLPipelines.Deep.Training;

/// <summary>One finished epoch, as reported to <see cref="DeepTrainer.Progress"/>.</summary>
public sealed record EpochProgress(string Model, int Epoch, int MaxEpochs, double TrainLoss, string Metric, double? ValidationValue,
    double? BestValidationValue, int BestEpoch, TimeSpan Elapsed)
{
    /// <summary>Of a bagged fit (<see cref="DeepModelOptions.BaggingFolds"/>), the bag (1-based) whose epoch this is; its epochs, best epoch and time are the bag's own.</summary>
    public int Bag { get; init; } = 1;

    /// <summary>The fit's bags; 1 for one network.</summary>
    public int Bags { get; init; } = 1;

    /// <summary>"epoch 12/256", or "bag 2/5 epoch 12/256".</summary>
    public string Position => (Bags > 1 ? $"bag {Bag}/{Bags} " : "") + $"epoch {Epoch}/{MaxEpochs}";
}

/// <summary>
/// Trains any of the deep models on featurized rows, the same way for all: the label checked
/// against the task; a validation split (stratified for classification) carved from the training
/// rows; regression targets standardized (and mapped back at prediction); mini-batches in a
/// seeded order; the model's optimizer and schedule (<see cref="Recipes"/>); the task loss with
/// label smoothing and class weights, averaged over ensemble members; gradient clipping;
/// denormal floats flushed to zero; after every epoch the validation score (RMSE for
/// regression, log-loss for classification — smoother than accuracy on small validation sets),
/// progress, early stopping with patience, the time limit and cancellation; finally the best
/// epoch's weights restored. Numeric features are first scaled as the architecture is published
/// (<see cref="DeepModelOptions.NumericScaling"/>). Example weights scale each row's loss. Categorical features
/// enter as their one-hot slots up to <see cref="DeepModelOptions.MaxOneHotLevels"/> levels
/// and as embeddings above. With <see cref="DeepModelOptions.Pretrained"/> the network starts from a
/// checkpoint's body (columns matched by name, <see cref="InputMap"/>; <see cref="WeightTransfer"/>)
/// with a new head at zero, is not initialized from the data again, and trains as
/// <see cref="DeepModelOptions.FineTuning"/> says (<see cref="Freezing"/>). With
/// <see cref="DeepModelOptions.BaggingFolds"/> = k ≥ 2 it trains k networks so, one per fold of a
/// partition of the rows that validates it, and keeps them as one (<see cref="BaggedNetwork"/>).
/// </summary>
public sealed class DeepTrainer(PredictionTask task, DeepModelOptions options, int seed) : TabularTrainer<DeepModelParameters>(task, options.Columns)
{
    /// <summary>Rows per forward pass when the pretrainers score held-out rows.</summary>
    internal const int EvaluationBatch = 4096;

    public DeepModelOptions Options { get; } = options;

    /// <summary>The seed of initialization, dropout, shuffling and the validation split: the options', else the one given (the context's).</summary>
    public int Seed { get; } = options.Seed ?? seed;

    public override string Name => Options.Name;

    public override FeaturizerOptions RecommendedFeaturization => Options.RecommendedFeaturization;

    /// <summary>Receives every finished epoch.</summary>
    public IProgress<EpochProgress>? Progress { get; init; }

    /// <summary>Checked between training steps.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>The clock of <see cref="DeepModelOptions.TimeLimit"/> and the reported times (tests give one that ticks per reading).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    protected override CategoricalTreatment TreatmentOf(int levels) => Options.CategoricalTreatmentOf(levels);

    protected override DeepModelParameters Train(TrainingData data)
    {
        data.Features.RequireFinite(Name, Columns.FeatureColumnName);
        var layout = data.Layout;
        using var checkpoint = Options.Pretrained is { } path ? PretrainedCheckpoint.Load(path) : null;
        var map = checkpoint is null ? null : InputMap.Match(checkpoint.Columns, checkpoint.Indices, layout, Name);
        var networkFeatures = map?.Apply(data.Features) ?? data.Features;
        var scalers = InputScaling.Fit(networkFeatures, Options.NumericScaling);
        if (checkpoint is not null) PretrainedScalers(scalers, checkpoint, map!);
        data = data.WithFeatures(InputScaling.Apply(networkFeatures, scalers));
        var label = data.Label;
        var features = data.Features;
        var classification = label.Kind == LabelKind.Classes;
        var device = DeepModelParameters.ResolveDevice(Options.Device);
        var splits = Splits(label, data.RowCount);
        // The rows the target's scale, its clamp range and the bins come from: one network's training rows; with bags, all
        // rows, since their networks' outputs are averaged on one scale (each bag's training rows are most of them anyway).
        var fitRows = splits.Count == 1 ? splits[0].Train : Enumerable.Range(0, data.RowCount).ToArray();

        var (mean, std) = classification ? (0.0, 1.0) : TargetStatistics(label.Values!, fitRows);
        // RealMLP clamps regression predictions to the range of the training targets.
        (double Min, double Max)? range = !classification && Options is MlpOptions { ClampPredictions: true }
            ? (fitRows.Min(r => label.Values![r]), fitRows.Max(r => label.Values![r]))
            : null;
        var bins = Options.NumericEmbedding == NumericEmbeddingKind.PiecewiseLinear ? Bins(features, fitRows, Options.PiecewiseLinearBins) : null;
        // The checkpoint's numeric columns come first, and its embeddings were learned on its bins.
        if (bins is not null && checkpoint?.Shape.Bins is { } pretrainedBins) pretrainedBins.CopyTo(bins, 0);
        var shape = new NetworkShape(features.FeatureKinds.ToArray(), data.Layout.Indices.Select(c => c.Cardinality).ToArray(),
            classification ? label.ClassCount : 1, bins);

        var mixedPrecision = Options.TrainsInMixedPrecision(device);
        using var threads = ThreadSplitScope.ForTraining(Options, mixedPrecision);
        // Training drifts into denormal floats (tiny activations, decaying optimizer moments),
        // which x86 handles tens of times slower: an MLP's epochs slowed 8-fold without this.
        using var denormals = TorchRuntime.FlushDenormals();
        var standardizedRange = range is { } r ? ((r.Min - mean) / std, (r.Max - mean) / std) : ((double, double)?)null;
        var networks = new List<TabularNetwork>();
        var summaries = new List<TrainingSummary>();
        try
        {
            for (var bag = 0; bag < splits.Count; bag++)
            {
                TorchRuntime.ManualSeed((ulong)(Seed + bag));
                var network = Recipes.CreateNetwork(Options, shape, classification);
                networks.Add(network);
                if (checkpoint is not null) WeightTransfer.Load(network, shape, Options, checkpoint, Name);
                network.To(device);
                using var freezing = checkpoint is null ? null : new Freezing(network, Options.FineTuning);
                // Each bag gets an equal share of what is left when it starts: a bag that stops early leaves its rest to the others.
                var limit = Options.TimeLimit is { } total ? (total - TimeSpan.FromTicks(summaries.Sum(b => b.Elapsed.Ticks))) / (splits.Count - bag) : (TimeSpan?)null;
                summaries.Add(Train(network, (bag + 1, splits.Count), limit, data, splits[bag].Train, splits[bag].Validation, mean, std, standardizedRange, device, classification, mixedPrecision, freezing));
            }
            var info = Summarize(summaries, mean, std) with { TargetMinimum = range?.Min, TargetMaximum = range?.Max, MixedPrecision = mixedPrecision };
            var trained = networks.Count == 1 ? networks[0] : new BaggedNetwork(networks);
            return new DeepModelParameters(new ModelDescription(Task, layout, label.ClassNames.ToArray()), trained, Options, shape, scalers, info, map);
        }
        catch
        {
            foreach (var network in networks) network.Dispose();
            throw;
        }
    }

    /// <summary>One network's figures as they are; several bags' summed (epochs, steps, time), with their best epochs' and values' means.</summary>
    private DeepModelParameters.Summary Summarize(List<TrainingSummary> bags, double mean, double std)
    {
        if (bags.Count == 1)
        {
            var only = bags[0];
            return new DeepModelParameters.Summary(mean, std, only.Epochs, only.BestEpoch, only.Metric, only.BestValue, only.Elapsed, only.StoppedBy) { Steps = only.Steps };
        }
        var values = bags.Where(b => b.BestValue is not null).Select(b => b.BestValue!.Value).ToList();
        return new DeepModelParameters.Summary(mean, std, bags.Sum(b => b.Epochs), (int)Math.Round(bags.Average(b => b.BestEpoch)), bags[0].Metric,
            values.Count > 0 ? values.Average() : null, TimeSpan.FromTicks(bags.Sum(b => b.Elapsed.Ticks)), BagsStoppedBy(bags))
        {
            Steps = bags.Sum(b => b.Steps),
            BagEpochs = bags.Select(b => b.Epochs).ToArray(),
            BagBestEpochs = bags.Select(b => b.BestEpoch).ToArray(),
        };
    }

    /// <summary>
    /// How the bags ended, counted: "time limit (300 s) for 5 bags: 5 cut, schedules fitted to 41–43 of 256 epochs", or
    /// "5 bags: 4 stopped without improvement, 1 ran all 256 epochs". It starts with the time limit when any bag was cut:
    /// more time would have trained the model longer.
    /// </summary>
    private string BagsStoppedBy(List<TrainingSummary> bags)
    {
        var cut = bags.Where(b => b.Ending == FitEnding.TimeLimit).ToList();
        var parts = new List<string>();
        if (cut.Count > 0)
        {
            var fitted = cut.Where(b => b.PlannedEpochs < Options.MaxEpochs).Select(b => b.PlannedEpochs).ToList();
            parts.Add($"{cut.Count} cut" + (fitted.Count == 0 ? ""
                : $", schedule{(fitted.Count == 1 ? "" : "s")} fitted to {fitted.Min()}{(fitted.Max() > fitted.Min() ? $"–{fitted.Max()}" : "")} of {Options.MaxEpochs} epochs"));
        }
        if (bags.Count(b => b.Ending == FitEnding.Patience) is var patience and > 0) parts.Add($"{patience} stopped without improvement");
        if (bags.Count(b => b.Ending == FitEnding.AllEpochs) is var all and > 0) parts.Add($"{all} ran all {Options.MaxEpochs} epochs");
        var counts = string.Join(", ", parts);
        return cut.Count > 0 ? $"{BestEpoch.TimeLimitReason(Options.TimeLimit!.Value)} for {bags.Count} bags: {counts}" : $"{bags.Count} bags: {counts}";
    }

    /// <summary>
    /// The scalers of a fine-tuned network's columns: none for the checkpoint's columns this fit
    /// lacks (their 0 is already the centre); the checkpoint's for the others it has, unless
    /// <see cref="PretrainedScaling.Refit"/>; the fit's own (already in <paramref name="scalers"/>) for new columns.
    /// </summary>
    private void PretrainedScalers(NumericScaler?[] scalers, PretrainedCheckpoint checkpoint, InputMap map)
    {
        for (var j = 0; j < checkpoint.Columns.Length; j++)
        {
            if (map.Sources[j] < 0) scalers[j] = null;
            else if (Options.FineTuning.Scaling == PretrainedScaling.Reuse) scalers[j] = checkpoint.Scalers[j];
        }
    }

    private enum FitEnding { AllEpochs, Patience, TimeLimit }

    /// <summary>One network's fit: <paramref name="PlannedEpochs"/> is below the maximum where its schedule was fitted to its time limit.</summary>
    private sealed record TrainingSummary(int Epochs, long Steps, int BestEpoch, string Metric, double? BestValue, TimeSpan Elapsed, string StoppedBy,
        FitEnding Ending, int PlannedEpochs);

    private TrainingSummary Train(TabularNetwork network, (int Bag, int Bags) bag, TimeSpan? timeLimit, TrainingData data, int[] trainRows, int[] validationRows,
        double mean, double std, (double Min, double Max)? range, Device device, bool classification, bool mixedPrecision, Freezing? freezing)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var label = data.Label;
        var (x, categories, y) = RowTensors(data, trainRows, mean, std, device);
        var weights = data.Weights is null ? null : Tensors.FromSpan<float>(trainRows.Select(r => data.Weights[r]).ToArray(), [trainRows.Length], device);
        (Tensor? X, Tensor? Categories, Tensor? Y) validation = validationRows.Length > 0 ? RowTensors(data, validationRows, mean, std, device) : (null, null, null);
        var classWeights = ClassWeights(label, trainRows, device);
        // A pretrained body is not initialized again.
        if (freezing is null) network.InitializeFromData(new NetworkInput(x, categories));
        using var optimizer = Recipes.Optimizer(Options, network, classification, freezing is null ? null : freezing.LearningRateFactor);
        var stepsPerEpoch = (trainRows.Length + Options.BatchSize - 1) / Options.BatchSize;
        var plannedEpochs = Options.MaxEpochs;
        var totalSteps = (long)stepsPerEpoch * plannedEpochs;
        var fitToTimeLimit = Options.FitScheduleToTimeLimit && timeLimit is not null && Recipes.ScheduleDependsOnLength(Options);
        var scheduler = new LearningRateScheduler(optimizer, Recipes.Schedule(Options, totalSteps), Recipes.WeightDecaySchedule(Options, totalSteps));
        var parameters = network.Parameters();
        var metric = classification ? "log-loss" : "rmse";

        var started = Clock.GetTimestamp();
        TimeSpan Elapsed() => Clock.GetElapsedTime(started);
        // Checked after every step, so that a fit stops within one batch of its limit, not one epoch.
        bool OutOfTime() => timeLimit is { } limit && Elapsed() >= limit;
        using var best = new BestEpoch(network);
        var stoppedBy = "max epochs";
        var ending = FitEnding.AllEpochs;
        var firstEpoch = TimeSpan.Zero;
        // The schedules are fitted to the limit only once it binds: where the fit's own stopping rule cannot end it first.
        // A limit that guards a fit which stops by patience (a repetition's or a refit's, a little above the time its
        // folds took) leaves that fit's schedule as planned (with it fitted there, the refitted fine-tuned MLP of the
        // letters runs scored 0.756 instead of 0.80 on held-out rows).
        var fitted = false;
        var epoch = 0;
        long steps = 0;
        while (epoch < plannedEpochs)
        {
            epoch++;
            network.Train();
            freezing?.BeginEpoch(epoch);
            double lossSum = 0;
            long rowsSeen = 0;
            using (TorchRuntime.NewDisposeScope())
            {
                var order = Tensors.RandPerm(trainRows.Length, device: device);
                foreach (var batch in order.Split(Options.BatchSize))
                {
                    CancellationToken.ThrowIfCancellationRequested();
                    using var step = TorchRuntime.NewDisposeScope();
                    network.OnTrainingProgress((double)scheduler.StepCount / totalSteps);
                    var input = new NetworkInput(x.IndexSelect(0, batch), categories?.IndexSelect(0, batch));
                    var loss = Loss(Forward(network, input, mixedPrecision), y.IndexSelect(0, batch), classification, classWeights, Options.LabelSmoothing, weights?.IndexSelect(0, batch));
                    optimizer.ZeroGrad();
                    loss.Backward();
                    if (Options.GradientClipNorm is { } clip) GradientClipping.ClipGradNorm(parameters, clip);
                    optimizer.Step();
                    scheduler.Step();
                    lossSum += loss.ToDouble() * batch.Size(0);
                    rowsSeen += batch.Size(0);
                    steps++;
                    if (OutOfTime()) break;
                }
            }
            double? value = null;
            if (validation.X is not null)
            {
                value = Score(network, validation.X, validation.Categories, validation.Y!, classification, range);
                best.Offer(epoch, value.Value);
            }
            Progress?.Report(new EpochProgress(Name, epoch, plannedEpochs, lossSum / rowsSeen, metric, value,
                best.Kept ? best.Value : null, best.Epoch, Elapsed()) { Bag = bag.Bag, Bags = bag.Bags });
            if (validation.X is not null && Options.StoppingEpoch(best.Epoch) is { } stoppingEpoch && epoch >= stoppingEpoch)
            {
                stoppedBy = Options.PatienceGrowth == 0
                    ? $"no improvement for {Options.Patience} epochs"
                    : $"no improvement for {epoch - best.Epoch} epochs ({Options.Patience} + {Options.PatienceGrowth.ToString("0.##", CultureInfo.InvariantCulture)} x best epoch {best.Epoch})";
                ending = FitEnding.Patience;
                break;
            }
            if (OutOfTime())
            {
                stoppedBy = BestEpoch.TimeLimitReason(timeLimit!.Value);
                ending = FitEnding.TimeLimit;
                break;
            }
            if (fitToTimeLimit)
            {
                var now = Elapsed();
                if (epoch == 1) firstEpoch = now;
                var planned = TimeLimitedSchedule.Planned(epoch, now, firstEpoch, timeLimit!.Value, Options.MaxEpochs);
                if (planned != plannedEpochs && (fitted || planned < OwnStoppingEpoch(validation.X is not null, best.Epoch)))
                {
                    fitted = true;
                    plannedEpochs = planned;
                    totalSteps = (long)stepsPerEpoch * plannedEpochs;
                    scheduler.Replace(Recipes.Schedule(Options, totalSteps), Recipes.WeightDecaySchedule(Options, totalSteps));
                }
            }
        }
        // A fit of the epochs its limit held is still one the limit stopped: more time would have trained it longer.
        if (plannedEpochs < Options.MaxEpochs && ending != FitEnding.Patience)
        {
            stoppedBy = $"{BestEpoch.TimeLimitReason(timeLimit!.Value)}, schedule fitted to {plannedEpochs} of {Options.MaxEpochs} epochs";
            ending = FitEnding.TimeLimit;
        }
        var bestEpoch = best.Restore(epoch);
        return new TrainingSummary(epoch, steps, bestEpoch, metric, best.Kept ? best.Value : null, Elapsed(), stoppedBy, ending, plannedEpochs);
    }

    /// <summary>The epoch at which the stopping rule would end the fit at the earliest, as the best epoch stands (it only moves later).</summary>
    private int OwnStoppingEpoch(bool validated, int bestEpoch) =>
        validated && Options.StoppingEpoch(bestEpoch) is { } stopping ? Math.Min(stopping, Options.MaxEpochs) : Options.MaxEpochs;

    /// <summary>The training forward pass: in mixed precision (<see cref="DeepModelOptions.MixedPrecision"/>) in bfloat16 autocast, its output back in float32 for the loss.</summary>
    private static Tensor Forward(TabularNetwork network, NetworkInput input, bool mixedPrecision)
    {
        if (!mixedPrecision) return network.Forward(input);
        Tensor output;
        using (TorchRuntime.AutocastBFloat16()) output = network.Forward(input);
        return output.DType == DType.Float32 ? output : output.To(DType.Float32);
    }

    /// <summary>
    /// The task's loss of [B, k, outputs] against [B] targets, averaged over the k members;
    /// with example weights [B], each row's loss counts in proportion to its weight.
    /// </summary>
    internal static Tensor Loss(Tensor output, Tensor target, bool classification, Tensor? classWeights, double labelSmoothing, Tensor? exampleWeights = null)
    {
        var rows = output.Size(0);
        var members = output.Size(1);
        var reduction = exampleWeights is null ? Reduction.Mean : Reduction.None;
        Tensor loss;
        if (!classification) loss = Losses.MeanSquaredError(output.Squeeze(-1), target.Unsqueeze(1).Expand(rows, members), reduction);
        else
        {
            var flat = output.Reshape(rows * members, output.Size(2));
            var targets = target.Unsqueeze(1).Expand(rows, members).Reshape(rows * members);
            loss = Losses.CrossEntropy(flat, targets, classWeights, reduction, labelSmoothing);
        }
        if (exampleWeights is null) return loss;
        // As libtorch's mean with class weights (which the per-row losses already carry): the
        // weighted sum over the sum of the weights.
        var total = classWeights is null ? exampleWeights : exampleWeights * classWeights.IndexSelect(0, target);
        return (loss.Reshape(rows, members).Mean(1) * exampleWeights).Sum() / total.Sum().Clamp(min: 1e-12);
    }

    /// <summary>
    /// Validation RMSE (standardized targets, clamped to the range when given, as predictions will be) or log-loss of the
    /// members' mean prediction: computed as the model will predict, in float32 on the prediction's thread split.
    /// </summary>
    private double Score(TabularNetwork network, Tensor x, Tensor? categories, Tensor y, bool classification, (double Min, double Max)? range)
    {
        using var threads = ThreadSplitScope.ForPrediction(Options);
        using var scope = TorchRuntime.NewDisposeScope();
        var prediction = DeepModelParameters.PredictInBatches(network, x, categories, classification);
        if (range is { } r) prediction = prediction.Clamp(r.Min, r.Max);
        if (!classification) return Losses.MeanSquaredError(prediction, y).Sqrt().ToDouble();
        return Losses.NegativeLogLikelihood(prediction.Clamp(min: 1e-15).Log(), y).ToDouble();
    }

    /// <summary>Each network's training and validation rows: one split, or a bag per fold (<see cref="DeepModelOptions.BaggingFolds"/>).</summary>
    private IReadOnlyList<(int[] Train, int[] Validation)> Splits(LabelData label, int rows)
    {
        var bags = Options.BaggingFolds;
        if (bags < 1) throw new ArgumentOutOfRangeException(nameof(DeepModelOptions.BaggingFolds), bags, $"{Name}: BaggingFolds must be 1 (one network) or more");
        if (bags == 1 && Options.ValidationFraction <= 0) return [(Enumerable.Range(0, rows).ToArray(), [])];
        if (rows < Math.Max(10, 2 * bags))
            throw new DataValidationException(bags == 1
                ? $"{Name} needs at least 10 rows to hold out a validation split; there are {rows}"
                : $"{Name} needs at least {Math.Max(10, 2 * bags)} rows for {bags} bagging folds (2 a fold); there are {rows}");
        return bags == 1 ? [label.ValidationSplit(Options.ValidationFraction, (ulong)Seed)] : label.ValidationFolds(bags, (ulong)Seed);
    }

    /// <summary>The mean and standard deviation of the targets of some rows (1 when they are all equal).</summary>
    internal static (double Mean, double Std) TargetStatistics(double[] values, int[] rows)
    {
        var mean = rows.Average(r => values[r]);
        var variance = rows.Average(r => (values[r] - mean) * (values[r] - mean));
        return (mean, variance > 0 ? Math.Sqrt(variance) : 1);
    }

    /// <summary>The piecewise-linear bins of every numeric column, from the given rows.</summary>
    internal static double[][] Bins(FeatureMatrix features, int[] rows, int bins)
    {
        var train = features.Select(rows);
        var numeric = Enumerable.Range(0, features.Width).Where(i => features.FeatureKinds[i] == FeatureKind.Numeric).ToArray();
        return PiecewiseLinearEmbeddings.ComputeBins(train.Values, rows.Length, features.Width, numeric, bins);
    }

    /// <summary>The rows' features, categorical indices and (standardized or class) targets, on the device.</summary>
    private static (Tensor X, Tensor? Categories, Tensor Y) RowTensors(TrainingData data, int[] rows, double mean, double std, Device device)
    {
        var label = data.Label;
        var (x, categories) = DeepModelParameters.InputTensors(data.Features, rows, device);
        var y = label.Kind == LabelKind.Classes
            ? Tensors.FromSpan<long>(rows.Select(r => (long)label.Classes![r]).ToArray(), [rows.Length], device)
            : Tensors.FromSpan<float>(rows.Select(r => (float)((label.Values![r] - mean) / std)).ToArray(), [rows.Length], device);
        return (x, categories, y);
    }

    private Tensor? ClassWeights(LabelData label, int[] trainRows, Device device)
    {
        if (Options.ClassWeighting != DeepClassWeighting.Balanced || label.Kind != LabelKind.Classes) return null;
        var counts = new double[label.ClassCount];
        foreach (var r in trainRows) counts[label.Classes![r]]++;
        var present = counts.Count(c => c > 0);
        var weights = counts.Select(c => c > 0 ? (float)(trainRows.Length / (present * c)) : 0f).ToArray();
        return Tensors.FromSpan<float>(weights, [weights.Length], device);
    }
}
