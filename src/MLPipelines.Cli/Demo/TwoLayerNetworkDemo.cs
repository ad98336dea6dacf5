using System.Diagnostics;
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
/// bindings: seeded shuffle split, standardization fitted on the training rows, AdamW on
/// binary cross-entropy, accuracy on the held-out rows.
/// </summary>
public static class TwoLayerNetworkDemo
{
    public static DemoResult Run(string csvPath, string labelColumn, DemoOptions options, Action<string>? progress = null)
    {
        var stopwatch = Stopwatch.StartNew();
        var table = NumericTable.Read(csvPath, labelColumn);
        var classes = table.Labels.Distinct().Order(StringComparer.Ordinal).ToArray();
        if (classes.Length != 2)
            throw new InvalidDataException($"{csvPath}: the demo needs a binary label, but '{labelColumn}' has {classes.Length} classes");

        var (trainRows, testRows) = ShuffleSplit(table.Rows, options.TestFraction, options.Seed);
        var (mean, std) = ColumnStatistics(table, trainRows);
        TorchRuntime.ManualSeed((ulong)options.Seed);

        using var xTrain = Standardized(table, trainRows, mean, std);
        using var yTrain = Targets(table, trainRows, classes[1]);
        using var xTest = Standardized(table, testRows, mean, std);
        using var yTest = Targets(table, testRows, classes[1]);
        using var model = new TwoLayerNetwork(table.Columns, options.HiddenUnits);
        using var optimizer = new AdamW(model.Parameters(), options.LearningRate, options.WeightDecay);

        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            model.Train();
            double lossSum = 0;
            var batches = 0;
            using (TorchRuntime.NewDisposeScope())
            {
                var order = Tensors.RandPerm(trainRows.Length);
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
        return new DemoResult(Accuracy(model, xTest, yTest), trainRows.Length, testRows.Length, classes[1], stopwatch.Elapsed);
    }

    private static double Accuracy(TwoLayerNetwork model, Tensor x, Tensor y)
    {
        model.Eval();
        using var _ = TorchRuntime.NoGrad();
        using var scope = TorchRuntime.NewDisposeScope();
        var predicted = model.Forward(x).Squeeze(1).Gt(0.0).To(DType.Float32);
        return predicted.Eq(y).To(DType.Float32).Mean().ToDouble();
    }

    /// <summary>A seeded random split of row indices into training and held-out rows.</summary>
    private static (int[] Train, int[] Test) ShuffleSplit(int rows, double testFraction, int seed)
    {
        var order = Enumerable.Range(0, rows).ToArray();
        new Random(seed).Shuffle(order);
        var testCount = (int)Math.Round(rows * testFraction);
        return (order[testCount..], order[..testCount]);
    }

    private static (float[] Mean, float[] Std) ColumnStatistics(NumericTable table, int[] rows)
    {
        var mean = new float[table.Columns];
        var std = new float[table.Columns];
        for (var c = 0; c < table.Columns; c++)
        {
            double sum = 0, sumSquares = 0;
            foreach (var r in rows)
            {
                double v = table.Features[r * table.Columns + c];
                sum += v;
                sumSquares += v * v;
            }
            var m = sum / rows.Length;
            mean[c] = (float)m;
            std[c] = (float)Math.Max(Math.Sqrt(Math.Max(sumSquares / rows.Length - m * m, 0)), 1e-8);
        }
        return (mean, std);
    }

    private static Tensor Standardized(NumericTable table, int[] rows, float[] mean, float[] std)
    {
        var data = new float[rows.Length * table.Columns];
        for (var i = 0; i < rows.Length; i++)
            for (var c = 0; c < table.Columns; c++)
                data[i * table.Columns + c] = (table.Features[rows[i] * table.Columns + c] - mean[c]) / std[c];
        return Tensors.FromArray(data, rows.Length, table.Columns);
    }

    private static Tensor Targets(NumericTable table, int[] rows, string positiveClass) =>
        Tensors.FromArray(rows.Select(r => table.Labels[r] == positiveClass ? 1f : 0f).ToArray());
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
