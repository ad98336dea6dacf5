using System.Diagnostics;
using System.Globalization;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;
using MLPipelines.Torch.Optim;

namespace MLPipelines.Benchmarks.MlpTraining;

/// <summary>
/// One C# measurement, in its own process: the 3×256 ReLU MLP trained with AdamW, batch 256,
/// written the way a user of the bindings writes a training loop. Prints one line:
/// "rows_per_second final_loss" (the loss on all rows after training). Mirrors python/mlp_training.py step for step.
/// </summary>
public static class MlpTrainingWorker
{
    public static int Run(string[] args)
    {
        var dataPath = args[0];
        var torchThreads = int.Parse(args[1], CultureInfo.InvariantCulture);
        var blasThreads = int.Parse(args[2], CultureInfo.InvariantCulture);
        var epochs = int.Parse(args[3], CultureInfo.InvariantCulture);
        const int batchSize = 256;

        TorchRuntime.SetThreads(torchThreads, blasThreads);
        TorchRuntime.ManualSeed(0);
        var (xData, yData) = MlpTrainingData.Read(dataPath);
        using var x = Tensors.FromArray(xData, MlpTrainingData.Rows, MlpTrainingData.Features);
        using var y = Tensors.FromArray(yData, MlpTrainingData.Rows, 1);
        using var model = new Sequential(
            new Linear(MlpTrainingData.Features, 256), new ReLU(),
            new Linear(256, 256), new ReLU(),
            new Linear(256, 256), new ReLU(),
            new Linear(256, 1));
        using var optimizer = new AdamW(model.Parameters(), learningRate: 1e-3);

        void RunEpoch()
        {
            using var epochScope = TorchRuntime.NewDisposeScope();
            var order = Tensors.RandPerm(MlpTrainingData.Rows);
            foreach (var batch in order.Split(batchSize))
            {
                using var step = TorchRuntime.NewDisposeScope();
                var loss = Losses.MeanSquaredError(model.Forward(x.IndexSelect(0, batch)), y.IndexSelect(0, batch));
                optimizer.ZeroGrad();
                loss.Backward();
                optimizer.Step();
            }
        }

        RunEpoch(); // warm-up: JIT, allocator, thread pools
        var stopwatch = Stopwatch.StartNew();
        for (var e = 0; e < epochs; e++) RunEpoch();
        stopwatch.Stop();
        double finalLoss;
        using (TorchRuntime.NoGrad()) // untimed: the loss on all rows, comparable between the sides
        using (TorchRuntime.NewDisposeScope())
            finalLoss = Losses.MeanSquaredError(model.Forward(x), y).ToDouble();
        var rowsPerSecond = (double)MlpTrainingData.Rows * epochs / stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rowsPerSecond:F1} {finalLoss:F5}"));
        return 0;
    }
}
