using System.Globalization;
using System.Diagnostics;
using MLPipelines.Data;
using MLPipelines.Deep.Networks;
using MLPipelines.Deep.Options;
using MLPipelines.Pipelines;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;
using MLPipelines.Torch.Optim;
using MLPipelines.Trainers;
using MLPipelines.Transforms;

namespace MLPipelines.Deep.Training;

/// <summary>One finished epoch, as reported to <see cref="DeepTrainer.Progress"/>.</summary>
public sealed record EpochProgress(string Model, int Epoch, int MaxEpochs, double TrainLoss, string Metric, double? ValidationValue,
    double? BestValidationValue, int BestEpoch, TimeSpan Elapsed);

/// <summary>
/// Trains any of the deep models on featurized rows, the same way for all: the label checked
/// against the task; a validation split (stratified for classification) carved from the training
/// rows; regression targets standardized (and mapped back at prediction); mini-batches in a
/// seeded order; the model's optimizer and schedule (<see cref="Recipes"/>); the task loss with
/// label smoothing and class weights, averaged over ensemble members; gradient clipping;
/// denormal floats flushed to zero; after every epoch the validation score (RMSE for
/// regression, log-loss for classification — smoother than accuracy on small validation sets),
/// progress, early stopping with patience, the time limit and cancellation; finally the best
/// epoch's weights restored.
/// </summary>
public sealed class DeepTrainer(PredictionTask task, DeepModelOptions options, int contextSeed) : IEstimator<FeaturizedData, DataTable>
{
    private const int EvaluationBatch = 4096;

    public PredictionTask Task { get; } = task;

    public DeepModelOptions Options { get; } = options;

    public string Name => Options.Name;

    public FeaturizerOptions RecommendedFeaturization => Options.RecommendedFeaturization;

    /// <summary>Receives every finished epoch.</summary>
    public IProgress<EpochProgress>? Progress { get; init; }

    /// <summary>Checked between training steps.</summary>
    public CancellationToken CancellationToken { get; init; }

    public DeepModel Fit(FeaturizedData data)
    {
        var label = TaskRequirements.Require(data, Task, Name);
        if (data.FeatureCount + data.CategoricalColumns.Count == 0) throw new DataValidationException($"{Name} needs at least one feature");
        var classification = label.Kind == LabelKind.Classes;
        var seed = Options.Seed ?? contextSeed;
        var device = DeepModel.ResolveDevice(Options.Device);
        var (trainRows, validationRows) = ValidationSplit(label, data.RowCount, seed);

        var (mean, std) = classification ? (0.0, 1.0) : TargetStatistics(label.Values!, trainRows);
        var bins = Options.NumericEmbedding == NumericEmbeddingKind.PiecewiseLinear ? Bins(data, trainRows) : null;
        var shape = new NetworkShape(data.FeatureKinds.ToArray(), data.CategoricalColumns.Select(c => c.Cardinality).ToArray(),
            classification ? label.ClassCount : 1, bins);

        // Training drifts into denormal floats (tiny activations, decaying optimizer moments),
        // which x86 handles tens of times slower: an MLP's epochs slowed 8-fold without this.
        using var denormals = TorchRuntime.FlushDenormals();
        TorchRuntime.ManualSeed((ulong)seed);
        var network = Recipes.CreateNetwork(Options, shape, classification);
        try
        {
            network.To(device);
            var summary = Train(network, data, label, trainRows, validationRows, mean, std, device, classification);
            var info = new DeepModel.Summary(Task, label.ClassNames.ToArray(), data.FeatureNames.ToArray(), mean, std, summary.Epochs,
                summary.BestEpoch, summary.Metric, summary.BestValue, summary.Elapsed, summary.StoppedBy);
            return new DeepModel(network, Options, shape, info);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    ITransformer<FeaturizedData, DataTable> IEstimator<FeaturizedData, DataTable>.Fit(FeaturizedData input) => Fit(input);

    private sealed record TrainingSummary(int Epochs, int BestEpoch, string Metric, double? BestValue, TimeSpan Elapsed, string StoppedBy);

    private TrainingSummary Train(TabularNetwork network, FeaturizedData data, LabelData label, int[] trainRows, int[] validationRows,
        double mean, double std, Device device, bool classification)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var (x, categories, y) = RowTensors(data, label, trainRows, mean, std, device);
        (Tensor? X, Tensor? Categories, Tensor? Y) validation = validationRows.Length > 0 ? RowTensors(data, label, validationRows, mean, std, device) : (null, null, null);
        var classWeights = ClassWeights(label, trainRows, device);
        using var optimizer = Recipes.Optimizer(Options, network, classification);
        var stepsPerEpoch = (trainRows.Length + Options.BatchSize - 1) / Options.BatchSize;
        var scheduler = new LearningRateScheduler(optimizer, Recipes.Schedule(Options, (long)stepsPerEpoch * Options.MaxEpochs));
        var parameters = network.Parameters();
        var metric = classification ? "log-loss" : "rmse";

        var stopwatch = Stopwatch.StartNew();
        StateDict? best = null;
        var bestValue = double.PositiveInfinity;
        var bestEpoch = 0;
        var stoppedBy = "max epochs";
        var epoch = 0;
        try
        {
            while (epoch < Options.MaxEpochs)
            {
                epoch++;
                network.Train();
                double lossSum = 0;
                using (TorchRuntime.NewDisposeScope())
                {
                    var order = Tensors.RandPerm(trainRows.Length, device: device);
                    foreach (var batch in order.Split(Options.BatchSize))
                    {
                        CancellationToken.ThrowIfCancellationRequested();
                        using var step = TorchRuntime.NewDisposeScope();
                        var input = new NetworkInput(x.IndexSelect(0, batch), categories?.IndexSelect(0, batch));
                        var loss = Loss(network.Forward(input), y.IndexSelect(0, batch), classification, classWeights, Options.LabelSmoothing);
                        optimizer.ZeroGrad();
                        loss.Backward();
                        if (Options.GradientClipNorm is { } clip) GradientClipping.ClipGradNorm(parameters, clip);
                        optimizer.Step();
                        scheduler.Step();
                        lossSum += loss.ToDouble() * batch.Size(0);
                    }
                }
                double? value = null;
                if (validation.X is not null)
                {
                    value = Score(network, validation.X, validation.Categories, validation.Y!, classification);
                    if (value < bestValue || best is null)
                    {
                        bestValue = value.Value;
                        bestEpoch = epoch;
                        best?.Dispose();
                        best = network.StateDict();
                    }
                }
                Progress?.Report(new EpochProgress(Name, epoch, Options.MaxEpochs, lossSum / trainRows.Length, metric, value,
                    validation.X is null ? null : bestValue, bestEpoch, stopwatch.Elapsed));
                if (Options.Patience is { } patience && validation.X is not null && epoch - bestEpoch >= patience)
                {
                    stoppedBy = $"no improvement for {patience} epochs";
                    break;
                }
                if (Options.TimeLimit is { } limit && stopwatch.Elapsed >= limit)
                {
                    stoppedBy = $"time limit ({limit.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s)";
                    break;
                }
            }
            if (best is not null) network.LoadStateDict(best);
            else bestEpoch = epoch;
            network.Eval();
            return new TrainingSummary(epoch, bestEpoch, metric, best is null ? null : bestValue, stopwatch.Elapsed, stoppedBy);
        }
        finally
        {
            best?.Dispose();
        }
    }

    /// <summary>The task's loss of [B, k, outputs] against [B] targets, averaged over the k members.</summary>
    internal static Tensor Loss(Tensor output, Tensor target, bool classification, Tensor? classWeights, double labelSmoothing)
    {
        var rows = output.Size(0);
        var members = output.Size(1);
        if (!classification) return Losses.MeanSquaredError(output.Squeeze(-1), target.Unsqueeze(1).Expand(rows, members));
        var flat = output.Reshape(rows * members, output.Size(2));
        var targets = target.Unsqueeze(1).Expand(rows, members).Reshape(rows * members);
        return Losses.CrossEntropy(flat, targets, classWeights, labelSmoothing: labelSmoothing);
    }

    /// <summary>Validation RMSE (standardized targets) or log-loss of the members' mean prediction.</summary>
    private static double Score(TabularNetwork network, Tensor x, Tensor? categories, Tensor y, bool classification)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var prediction = DeepModel.PredictInBatches(network, x, categories, classification, EvaluationBatch);
        if (!classification) return Losses.MeanSquaredError(prediction, y).Sqrt().ToDouble();
        return Losses.NegativeLogLikelihood(prediction.Clamp(min: 1e-15).Log(), y).ToDouble();
    }

    private (int[] Train, int[] Validation) ValidationSplit(LabelData label, int rows, int seed)
    {
        if (Options.ValidationFraction <= 0) return (Enumerable.Range(0, rows).ToArray(), []);
        if (rows < 10) throw new DataValidationException($"{Name} needs at least 10 rows to hold out a validation split; there are {rows}");
        var table = label.Kind == LabelKind.Classes
            ? new DataTable([new CategoricalColumn("class", label.ClassNames.ToArray(), label.Classes!)])
            : new DataTable([new NumericColumn("value", label.Values!)]);
        return Splits.TrainTest(table, Options.ValidationFraction, (ulong)seed, label.Kind == LabelKind.Classes ? "class" : null);
    }

    private static (double Mean, double Std) TargetStatistics(double[] values, int[] rows)
    {
        var mean = rows.Average(r => values[r]);
        var variance = rows.Average(r => (values[r] - mean) * (values[r] - mean));
        return (mean, variance > 0 ? Math.Sqrt(variance) : 1);
    }

    private double[][] Bins(FeaturizedData data, int[] trainRows)
    {
        var features = new float[trainRows.Length * data.FeatureCount];
        for (var i = 0; i < trainRows.Length; i++) data.Row(trainRows[i]).CopyTo(features.AsSpan(i * data.FeatureCount, data.FeatureCount));
        var numeric = Enumerable.Range(0, data.FeatureCount).Where(i => data.FeatureKinds[i] == FeatureKind.Numeric).ToArray();
        return PiecewiseLinearEmbeddings.ComputeBins(features, trainRows.Length, data.FeatureCount, numeric, Options.PiecewiseLinearBins);
    }

    /// <summary>The rows' features, categorical indices and (standardized or class) targets, on the device.</summary>
    private static (Tensor X, Tensor? Categories, Tensor Y) RowTensors(FeaturizedData data, LabelData label, int[] rows, double mean, double std, Device device)
    {
        var (x, categories) = DeepModel.InputTensors(data, rows, device);
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
