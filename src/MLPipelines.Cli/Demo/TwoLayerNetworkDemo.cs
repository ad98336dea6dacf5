using System.Diagnostics;
using MLPipelines.Data;
using MLPipelines.Transforms;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;
using MLPipelines.Torch.Optim;

namespace MLPipelines.Cli.Demo;

/// <summary>Settings of the training demo; the defaults are the ones the README's command uses.</summary>
public sealed record DemoOptions
{
    public int Epochs { get; init; } = 60;
    public int BatchSize { get; init; } = 32;
    public int HiddenUnits { get; init; } = 32;
    public double LearningRate { get; init; } = 3e-3;
    public double WeightDecay { get; init; } = 1e-4;
    public double TestFraction { get; init; } = 0.2;
    public int Seed { get; init; } = 42;
}

/// <summary>What the demo measured on the held-out rows.</summary>
public sealed record DemoResult(double TestAccuracy, int TrainRows, int TestRows, string PositiveClass, TimeSpan Elapsed);

/// <summary>
/// Trains a two-layer network (Linear → ReLU → Linear) on a binary CSV with the libtorch
/// bindings: seeded stratified split, the featurizer (standardization, imputation, one-hot)
/// fitted on the training rows, AdamW on binary cross-entropy, accuracy on the held-out rows.
/// </summary>
public static class TwoLayerNetworkDemo
{
    public static DemoResult Run(string csvPath, string labelColumn, DemoOptions options, Action<string>? progress = null)
    {
        var stopwatch = Stopwatch.StartNew();
        var ml = new MLPipelinesContext(options.Seed);
        var table = ml.Data.LoadCsv(csvPath);
        var (trainRows, testRows) = ml.Data.TrainTestSplit(table, options.TestFraction, stratifyBy: labelColumn);
        var featurizer = ml.Transforms.Featurize(labelColumn).Fit(trainRows);
        var train = featurizer.Transform(trainRows);
        var test = featurizer.Transform(testRows);
        if (train.Label!.ClassCount != 2)
            throw new DataValidationException($"{csvPath}: the demo needs a binary label, but '{labelColumn}' has {train.Label.ClassCount} classes");
        TorchRuntime.ManualSeed((ulong)options.Seed);

        using var xTrain = Features(train);
        using var yTrain = Targets(train);
        using var xTest = Features(test);
        using var yTest = Targets(test);
        using var model = new TwoLayerNetwork(train.FeatureCount, options.HiddenUnits);
        using var optimizer = new AdamW(model.Parameters(), options.LearningRate, options.WeightDecay);

        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            model.Train();
            double lossSum = 0;
            var batches = 0;
            using (TorchRuntime.NewDisposeScope())
            {
                var order = Tensors.RandPerm(train.RowCount);
                foreach (var batch in order.Split(options.BatchSize))
                {
                    using var step = TorchRuntime.NewDisposeScope();
                    var logits = model.Forward(xTrain.IndexSelect(0, batch)).Squeeze(1);
                    var loss = Losses.BinaryCrossEntropyWithLogits(logits, yTrain.IndexSelect(0, batch));
                    optimizer.ZeroGrad();
                    loss.Backward();
                    optimizer.Step();
                    lossSum += loss.ToDouble();
                    batches++;
                }
            }
            if (epoch % 10 == 0 || epoch == options.Epochs)
                progress?.Invoke($"epoch {epoch,3}/{options.Epochs}  train loss {lossSum / batches:F4}  held-out accuracy {Accuracy(model, xTest, yTest):F4}");
        }
        return new DemoResult(Accuracy(model, xTest, yTest), train.RowCount, test.RowCount, train.Label.ClassNames[1], stopwatch.Elapsed);
    }

    private static double Accuracy(TwoLayerNetwork model, Tensor x, Tensor y)
    {
        model.Eval();
        using var _ = TorchRuntime.NoGrad();
        using var scope = TorchRuntime.NewDisposeScope();
        var predicted = model.Forward(x).Squeeze(1).Gt(0.0).To(DType.Float32);
        return predicted.Eq(y).To(DType.Float32).Mean().ToDouble();
    }

    private static Tensor Features(FeaturizedData data) => Tensors.FromArray(data.Features, data.RowCount, data.FeatureCount);

    /// <summary>1 for the positive class (index 1), 0 otherwise.</summary>
    private static Tensor Targets(FeaturizedData data) => Tensors.FromArray(data.Label!.Classes!.Select(c => (float)c).ToArray());
}

/// <summary>Linear → ReLU → Linear, one logit out.</summary>
public sealed class TwoLayerNetwork : Module<Tensor, Tensor>
{
    private readonly Linear _hidden;
    private readonly Linear _output;

    public TwoLayerNetwork(int inputs, int hiddenUnits)
    {
        _hidden = RegisterModule("hidden", new Linear(inputs, hiddenUnits));
        _output = RegisterModule("output", new Linear(hiddenUnits, 1));
    }

    public override Tensor Forward(Tensor input) => _output.Forward(_hidden.Forward(input).Relu());
}
