using MLPipelines.Torch;

namespace MLPipelines.Torch.Tests;

/// <summary>
/// Compares the gradients autograd computes with central finite differences, in float64.
/// The function's output is reduced with fixed random weights (not a plain sum), so that a
/// wrong gradient cannot hide behind a symmetric one.
/// </summary>
internal static class GradientChecker
{
    private const double Step = 1e-6;
    private const double AbsoluteTolerance = 1e-6;
    private const double RelativeTolerance = 1e-4;

    /// <summary>
    /// Checks d(sum(w · f(inputs)))/d(input) for every float64 input that requires a gradient.
    /// Other inputs (indices, masks) are passed through unchanged.
    /// </summary>
    public static void Check(Func<Tensor[], Tensor> function, params Tensor[] inputs)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var output = function(inputs);
        var weights = RandomWeights(output.Shape);
        (output * weights).Sum().Backward();

        var checkedAny = false;
        for (var k = 0; k < inputs.Length; k++)
        {
            if (!inputs[k].RequiresGrad) continue;
            Assert.Equal(DType.Float64, inputs[k].DType);
            checkedAny = true;
            var analytic = inputs[k].Grad?.ToArray<double>() ?? new double[inputs[k].NumberOfElements];
            var values = inputs[k].ToArray<double>();
            for (var j = 0; j < values.Length; j++)
            {
                var plus = Evaluate(function, inputs, weights, k, values, j, +Step);
                var minus = Evaluate(function, inputs, weights, k, values, j, -Step);
                var numeric = (plus - minus) / (2 * Step);
                var tolerance = AbsoluteTolerance + RelativeTolerance * Math.Abs(numeric);
                Assert.True(Math.Abs(analytic[j] - numeric) <= tolerance,
                    $"input {k}, element {j}: autograd gives {analytic[j]:R}, finite differences {numeric:R}");
            }
        }
        Assert.True(checkedAny, "no input requires a gradient: nothing was checked");
    }

    private static double Evaluate(Func<Tensor[], Tensor> function, Tensor[] inputs, Tensor weights, int k, double[] values, int j, double delta)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var noGrad = TorchRuntime.NoGrad();
        var perturbed = (double[])values.Clone();
        perturbed[j] += delta;
        var arguments = (Tensor[])inputs.Clone();
        arguments[k] = Tensors.FromSpan<double>(perturbed, inputs[k].Shape, Device.CPU);
        return (function(arguments) * weights).Sum().ToDouble();
    }

    private static Tensor RandomWeights(long[] shape)
    {
        var random = new Random(12345);
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var data = Enumerable.Range(0, (int)count).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        return Tensors.FromSpan<double>(data, shape, Device.CPU);
    }

    /// <summary>A float64 tensor requiring a gradient, with values drawn away from zero (kinks of ReLU, |x| and the like).</summary>
    public static Tensor Input(int seed, params long[] shape)
    {
        var random = new Random(seed);
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var data = Enumerable.Range(0, (int)count).Select(_ =>
        {
            var magnitude = 0.1 + random.NextDouble() * 1.4;
            return random.Next(2) == 0 ? magnitude : -magnitude;
        }).ToArray();
        return Tensors.FromSpan<double>(data, shape, Device.CPU).DetachFromDisposeScope().RequiresGradient();
    }
}
