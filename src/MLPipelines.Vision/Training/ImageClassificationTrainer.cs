using MLPipelines.Data;
using MLPipelines.Deep.Training;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;
using MLPipelines.Torch.Optim;
using MLPipelines.Trainers;
using MLPipelines.Transforms;
using MLPipelines.Vision.Networks;
using MLPipelines.Vision.Options;
using MLPipelines.Vision.Pretrained;

namespace MLPipelines.Vision.Training;

/// <summary>
/// Trains an image classifier on pixel vectors (<see cref="ImageClassificationOptions"/>): a stratified
/// validation split held out; the network built (ML.NET's pretrained ResNet with a new head, or a
/// network from random weights); AdamW over seeded mini-batches with augmentation; after every epoch
/// the validation log-loss, progress, early stopping, the time limit and cancellation; finally the best
/// epoch's weights. With <see cref="ImageFineTuning.Frozen"/> the body's features are computed once and
/// the head alone trains on them.
/// </summary>
public sealed class ImageClassificationTrainer(ImageClassificationOptions options, int seed)
    : TabularTrainer<ImageModelParameters>(PredictionTask.MulticlassClassification, options.Columns)
{
    /// <summary>Images per forward pass when features or validation scores are computed.</summary>
    private const int EvaluationBatch = 256;

    /// <summary>The smallest side a ResNet takes (five halvings leave one pixel).</summary>
    private const int MinimumSide = 32;

    /// <summary>The pretrained ResNet's ImageNet resolution.</summary>
    private const int PretrainedSide = 224;

    public ImageClassificationOptions Options { get; } = Validated(options);

    public int Seed { get; } = options.Seed ?? seed;

    public override string Name => Options.Name;

    /// <summary>Pixels are used as they are: no imputation or scaling before the trainer.</summary>
    public override FeaturizerOptions RecommendedFeaturization => new() { NumericScaling = NumericScaling.None };

    /// <summary>Receives every finished epoch.</summary>
    public IProgress<EpochProgress>? Progress { get; init; }

    /// <summary>Checked between training steps.</summary>
    public CancellationToken CancellationToken { get; init; }

    protected override CategoricalTreatment TreatmentOf(int levels) => CategoricalTreatment.OneHot;

    private static ImageClassificationOptions Validated(ImageClassificationOptions options)
    {
        if (options.Architecture != ImageArchitecture.ResNet18Pretrained && options.FineTuning != ImageFineTuning.Full)
            throw new ArgumentException($"{options.Architecture} trains from random weights: only ResNet18Pretrained takes FineTuning = {options.FineTuning}");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Epochs, 1, nameof(options.Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1, nameof(options.BatchSize));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MinimumSteps, nameof(options.MinimumSteps));
        if (options.ResizeTo is < MinimumSide) throw new ArgumentOutOfRangeException(nameof(options.ResizeTo), options.ResizeTo, $"images pass a ResNet from {MinimumSide} pixels up");
        if (options.ValidationSetFraction is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(options.ValidationSetFraction), options.ValidationSetFraction, "a fraction in [0, 1)");
        return options;
    }

    protected override ImageModelParameters Train(TrainingData data)
    {
        var shape = ImageShape.Of(data.Features.Width, Options.ImageChannels, Options.ImageHeight, Options.ImageWidth, Columns.FeatureColumnName);
        data.Features.RequireFinite(Name, Columns.FeatureColumnName);
        var label = data.Label;
        var validates = HoldsOutValidation(data.RowCount, label.ClassCount);
        var (trainRows, validationRows) = validates
            ? label.ValidationSplit(Options.EffectiveValidationSetFraction, (ulong)Seed)
            : (Enumerable.Range(0, data.RowCount).ToArray(), []);

        using var denormals = TorchRuntime.FlushDenormals();
        TorchRuntime.ManualSeed((ulong)Seed);
        var network = CreateNetwork(shape, label.ClassCount, data.Features, trainRows);
        try
        {
            var summary = Fit(network, data, trainRows, validationRows);
            return new ImageModelParameters(new ModelDescription(Task, data.Layout, [.. label.ClassNames]), network, Options, summary);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Whether <see cref="ImageClassificationOptions.EffectiveValidationSetFraction"/> of the images is enough to choose epochs by:
    /// at least <see cref="MinimumValidationImagesPerClass"/> per class on average. Fewer make the validation log-loss so
    /// noisy that the best of hundreds of epochs is a random early one (100 Fashion-MNIST images hold out 10).
    /// </summary>
    private bool HoldsOutValidation(int images, int classes) =>
        Options.EffectiveValidationSetFraction is > 0 and var fraction && images * fraction >= MinimumValidationImagesPerClass * classes;

    /// <summary>The fewest held-out images per class that choose an epoch better than the full schedule does.</summary>
    public const int MinimumValidationImagesPerClass = 10;

    private ImageNetwork CreateNetwork(ImageShape shape, int classes, FeatureMatrix features, int[] trainRows)
    {
        if (Options.Architecture == ImageArchitecture.ResNet18Pretrained)
        {
            using var pretrained = PretrainedResNet.Load(Options.PretrainedModelPath);
            // The network was trained on BGR pixels 0–255 minus its mean image: the same here, per channel.
            return new ImageNetwork(shape, Options.ResizeTo ?? PretrainedSide, reverseChannels: true, pretrained.CreateNetwork(classes),
                [.. pretrained.ChannelMeans], [1f, 1f, 1f]);
        }
        ImageClassifier classifier = Options.Architecture == ImageArchitecture.ResNet18
            ? new ResNet(classes, inputChannels: shape.Channels)
            : new SmallCnn(classes, shape.Channels);
        var (mean, scale) = ChannelStatistics(features, trainRows, shape);
        var side = Options.ResizeTo ?? (Options.Architecture == ImageArchitecture.ResNet18 ? Math.Max(MinimumSide, shape.Height) : shape.Height);
        return new ImageNetwork(shape, side, reverseChannels: false, classifier, mean, scale);
    }

    /// <summary>Each channel's mean and 1 / standard deviation over the training images, as from-scratch networks are fed.</summary>
    private static (float[] Mean, float[] Scale) ChannelStatistics(FeatureMatrix features, int[] rows, ImageShape shape)
    {
        var plane = shape.Height * shape.Width;
        var (mean, scale) = (new float[shape.Channels], new float[shape.Channels]);
        for (var c = 0; c < shape.Channels; c++)
        {
            double sum = 0, squares = 0;
            foreach (var row in rows)
                foreach (var v in features.Row(row).Slice(c * plane, plane))
                {
                    sum += v;
                    squares += (double)v * v;
                }
            var count = (double)rows.Length * plane;
            var m = sum / count;
            var std = Math.Sqrt(Math.Max(squares / count - m * m, 0));
            (mean[c], scale[c]) = ((float)m, std > 0 ? (float)(1 / std) : 1f);
        }
        return (mean, scale);
    }

    private ImageModelParameters.Summary Fit(ImageNetwork network, TrainingData data, int[] trainRows, int[] validationRows)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var pixels = Pixels(data.Features, trainRows);
        var targets = Targets(data.Label, trainRows);
        Tensor? validationInputs = validationRows.Length > 0 ? Pixels(data.Features, validationRows) : null;
        var validationTargets = Targets(data.Label, validationRows);
        var frozen = Options.Architecture == ImageArchitecture.ResNet18Pretrained && Options.FineTuning == ImageFineTuning.Frozen;
        if (frozen)
        {
            // The body never changes: its features once, then the head alone trains on them.
            network.Eval();
            pixels = FeaturesInBatches(network, pixels);
            if (validationInputs is not null) validationInputs = FeaturesInBatches(network, validationInputs);
        }
        var trained = TrainedParameters(network);
        using var optimizer = new AdamW(Groups(trained));
        var augmentation = Options.Augmentation && !frozen ? new ImageAugmentation(Seed) : null;
        var order = new Random(Seed);

        var stepsPerEpoch = (trainRows.Length + Options.BatchSize - 1) / Options.BatchSize;
        var maxEpochs = Math.Max(Options.Epochs, (Options.MinimumSteps + stepsPerEpoch - 1) / stepsPerEpoch);
        var scheduler = new LearningRateScheduler(optimizer,
            Options.CosineDecay ? new CosineSchedule((long)maxEpochs * stepsPerEpoch) : new ConstantSchedule());
        long steps = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        bool OutOfTime() => Options.TimeLimit is { } limit && clock.Elapsed >= limit;
        using var best = new BestEpoch(network);
        var stoppedBy = validationInputs is not null ? "max epochs"
            : Options.EffectiveValidationSetFraction > 0 ? "the full schedule (too few images to hold out a validation split)" : "the full schedule (no validation split)";
        var epoch = 0;
        while (epoch < maxEpochs)
        {
            epoch++;
            SetTrainingMode(network, frozen);
            double lossSum = 0;
            long seen = 0;
            var permutation = Enumerable.Range(0, trainRows.Length).OrderBy(_ => order.Next()).Select(i => (long)i).ToArray();
            for (var start = 0; start < permutation.Length; start += Options.BatchSize)
            {
                CancellationToken.ThrowIfCancellationRequested();
                using var step = TorchRuntime.NewDisposeScope();
                var batch = Tensors.FromArray(permutation[start..Math.Min(start + Options.BatchSize, permutation.Length)]);
                var inputs = pixels.IndexSelect(0, batch);
                var logits = frozen ? network.Classifier.Head.Forward(inputs) : Logits(network, inputs, augmentation);
                var loss = Losses.CrossEntropy(logits, targets.IndexSelect(0, batch));
                optimizer.ZeroGrad();
                loss.Backward();
                optimizer.Step();
                scheduler.Step();
                lossSum += loss.ToDouble() * batch.Size(0);
                seen += batch.Size(0);
                steps++;
                if (OutOfTime()) break;
            }
            double? value = validationInputs is null ? null : LogLoss(network, validationInputs, validationTargets, frozen);
            if (value is { } v) best.Offer(epoch, v);
            Progress?.Report(new EpochProgress(Name, epoch, maxEpochs, lossSum / seen, "log-loss", value,
                best.Kept ? best.Value : null, best.Epoch, clock.Elapsed));
            if (Options.EarlyStoppingPatience is { } patience && value is not null && epoch - best.Epoch >= patience && steps >= Options.MinimumSteps)
            {
                stoppedBy = $"no improvement for {patience} epochs";
                break;
            }
            if (OutOfTime())
            {
                stoppedBy = BestEpoch.TimeLimitReason(Options.TimeLimit!.Value);
                break;
            }
        }
        var bestEpoch = best.Restore(epoch);
        return new ImageModelParameters.Summary(epoch, bestEpoch, best.Kept ? best.Value : null, clock.Elapsed, stoppedBy) { ScheduledEpochs = maxEpochs };
    }

    /// <summary>Training logits of a batch of pixel vectors: images, augmented, prepared, classified.</summary>
    private static Tensor Logits(ImageNetwork network, Tensor pixels, ImageAugmentation? augmentation)
    {
        var images = network.Images(pixels);
        if (augmentation is not null) images = augmentation.Apply(images);
        return network.Classifier.Forward(network.Prepare(images));
    }

    /// <summary>
    /// The parameters that train, each with its learning-rate factor; the others stop requiring gradients.
    /// Frozen: the head. Last stage: the last stage and the head. Full, pretrained: all, the body at the body factor.
    /// </summary>
    private List<(Tensor Parameter, double Factor)> TrainedParameters(ImageNetwork network)
    {
        var pretrained = Options.Architecture == ImageArchitecture.ResNet18Pretrained;
        var result = new List<(Tensor, double)>();
        foreach (var (name, parameter) in network.Classifier.NamedParameters())
        {
            var head = ImageClassifier.IsHead(name);
            parameter.RequiresGrad = head || !pretrained || Options.FineTuning == ImageFineTuning.Full
                || (Options.FineTuning == ImageFineTuning.LastStage && name.StartsWith(ResNet.LastStageName + ".", StringComparison.Ordinal));
            if (parameter.RequiresGrad) result.Add((parameter, head || !pretrained ? 1.0 : Options.BodyLearningRateFactor));
        }
        return result;
    }

    private List<ParameterGroup> Groups(List<(Tensor Parameter, double Factor)> trained) =>
        [.. trained.GroupBy(p => p.Factor).Select(g => new ParameterGroup([.. g.Select(p => p.Parameter)], Options.LearningRate * g.Key, Options.WeightDecay))];

    /// <summary>Training mode, except where the body is frozen: there batch norm keeps its pretrained statistics.</summary>
    private void SetTrainingMode(ImageNetwork network, bool frozen)
    {
        network.Train();
        if (frozen) network.Eval();
        else if (Options.Architecture == ImageArchitecture.ResNet18Pretrained && Options.FineTuning == ImageFineTuning.LastStage)
            foreach (var (name, module) in network.Classifier.NamedChildren())
                if (name is not (ResNet.LastStageName or ImageClassifier.HeadName)) module.Eval();
    }

    private static Tensor FeaturesInBatches(ImageNetwork network, Tensor pixels)
    {
        using var _ = TorchRuntime.NoGrad();
        var parts = new List<Tensor>();
        for (long start = 0; start < pixels.Size(0); start += EvaluationBatch)
        {
            // A batch's activations are released with it: 10,000 images left theirs to the finalizers and took 24 GB.
            using var batchScope = TorchRuntime.NewDisposeScope();
            var batch = pixels.Narrow(0, start, Math.Min(EvaluationBatch, pixels.Size(0) - start));
            parts.Add(network.Classifier.Features(network.Prepare(network.Images(batch))).MoveToOuterDisposeScope());
        }
        return Tensor.Cat(parts, 0);
    }

    private static double LogLoss(ImageNetwork network, Tensor inputs, Tensor targets, bool features)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        network.Eval();
        using var _ = TorchRuntime.NoGrad();
        var parts = new List<Tensor>();
        for (long start = 0; start < inputs.Size(0); start += EvaluationBatch)
        {
            using var batchScope = TorchRuntime.NewDisposeScope();
            var batch = inputs.Narrow(0, start, Math.Min(EvaluationBatch, inputs.Size(0) - start));
            parts.Add((features ? network.Classifier.Head.Forward(batch) : network.Forward(batch)).MoveToOuterDisposeScope());
        }
        return Losses.CrossEntropy(Tensor.Cat(parts, 0), targets).ToDouble();
    }

    private static Tensor Pixels(FeatureMatrix features, int[] rows)
    {
        var selected = features.Select(rows);
        return Tensors.FromSpan<float>(selected.UsedValues, [rows.Length, features.Width], Device.CPU);
    }

    private static Tensor Targets(LabelData label, int[] rows) =>
        Tensors.FromArray(rows.Select(r => (long)label.Classes![r]).ToArray());
}
