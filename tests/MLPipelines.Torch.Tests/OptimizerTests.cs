using MLPipelines.Torch;
using MLPipelines.Torch.NN;
using MLPipelines.Torch.Optim;
using static MLPipelines.Torch.Tests.TensorOperationTests;

namespace MLPipelines.Torch.Tests;

public sealed class OptimizerTests : ScopedTest
{
    /// <summary>Gradient of Σ w² is 2w.</summary>
    private static void SquaredNormBackward(params Tensor[] parameters)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        parameters.Select(p => (p * p).Sum()).Aggregate((a, b) => a + b).Backward();
    }

    private static Tensor Parameter(params double[] values) =>
        Tensors.FromArray(values).DetachFromDisposeScope().RequiresGradient();

    [Fact]
    public void Sgd_with_momentum_matches_the_update_rule()
    {
        using var w = Parameter(1.0, 2.0);
        using var sgd = new Sgd([w], learningRate: 0.1, momentum: 0.9);
        SquaredNormBackward(w);                // g1 = [2, 4], buffer = g1
        sgd.Step();
        AssertValues([0.8, 1.6], w, 1e-12);    // w - 0.1·g1
        sgd.ZeroGrad();
        Assert.Null(w.Grad);
        SquaredNormBackward(w);                // g2 = [1.6, 3.2], buffer = 0.9·g1 + g2 = [3.4, 6.8]
        sgd.Step();
        AssertValues([0.46, 0.92], w, 1e-12);
    }

    [Fact]
    public void AdamW_first_step_matches_the_update_rule()
    {
        // w = 1, g = 2, lr = 0.1, decay 0.01: decoupled decay w(1 - lr·wd) = 0.999; the bias-corrected
        // moments are m̂ = 2, v̂ = 4, so the Adam step is lr·m̂/(√v̂ + ε) = 0.1·2/(2 + 1e-8).
        using var w = Parameter(1.0);
        using var adamw = new AdamW([w], learningRate: 0.1, weightDecay: 0.01);
        SquaredNormBackward(w);
        adamw.Step();
        AssertValues([0.999 - 0.1 * 2 / (2 + 1e-8)], w, 1e-12);
    }

    /// <summary>AdamW (Loshchilov and Hutter, with PyTorch's bias correction and AMSGrad) in double precision, element by element.</summary>
    private sealed class ReferenceAdamW(double learningRate, double weightDecay, bool amsgrad, int size)
    {
        private readonly double[] _m = new double[size], _v = new double[size], _vMax = new double[size];
        private int _step;

        public void Step(double[] w, double[] g)
        {
            const double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
            _step++;
            for (var i = 0; i < w.Length; i++)
            {
                w[i] *= 1 - learningRate * weightDecay;
                _m[i] = beta1 * _m[i] + (1 - beta1) * g[i];
                _v[i] = beta2 * _v[i] + (1 - beta2) * g[i] * g[i];
                _vMax[i] = Math.Max(_vMax[i], _v[i]);
                var second = amsgrad ? _vMax[i] : _v[i];
                var denominator = Math.Sqrt(second) / Math.Sqrt(1 - Math.Pow(beta2, _step)) + eps;
                w[i] -= learningRate / (1 - Math.Pow(beta1, _step)) * _m[i] / denominator;
            }
        }
    }

    [Theory]
    [InlineData(DType.Float32, false, false)]
    [InlineData(DType.Float32, true, false)]
    [InlineData(DType.Float64, false, false)]
    [InlineData(DType.Float64, true, false)]
    [InlineData(DType.Float32, false, true)]
    [InlineData(DType.Float64, true, true)]
    public void AdamW_follows_the_reference_over_many_steps(DType dtype, bool amsgrad, bool nonContiguous)
    {
        // Two groups with different rates and decays; gradients of Σ c·w² with c varying by element
        // and by step, so the moments see gradients of changing size and sign.
        const int size = 6, steps = 25;
        var random = new Random(4);
        double[] first = Enumerable.Range(0, size).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double[] second = Enumerable.Range(0, size).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var references = new[] { new ReferenceAdamW(0.05, 0.1, amsgrad, size), new ReferenceAdamW(0.01, 0.0, amsgrad, size) };
        var expected = new[] { (double[])first.Clone(), (double[])second.Clone() };

        using var a = MakeParameter(first, dtype, nonContiguous);
        using var b = MakeParameter(second, dtype, nonContiguous);
        using var adamw = new AdamW([new ParameterGroup([a], 0.05, 0.1), new ParameterGroup([b], 0.01, 0.0)], amsgrad: amsgrad);
        for (var step = 0; step < steps; step++)
        {
            var scale = Enumerable.Range(0, size).Select(i => Math.Sin(step + i) * 3).ToArray();
            using (var scope = TorchRuntime.NewDisposeScope())
            {
                var c = Tensors.FromArray(scale).To(dtype).Reshape(a.Shape);
                ((a * a * c).Sum() + (b * b * c).Sum()).Backward();
            }
            adamw.Step();
            adamw.ZeroGrad();
            for (var p = 0; p < 2; p++)
                references[p].Step(expected[p], expected[p].Select((w, i) => 2 * scale[i] * w).ToArray());
        }
        var tolerance = dtype == DType.Float32 ? 2e-5 : 1e-12;
        AssertValues(expected[0], a.Reshape(-1), tolerance);
        AssertValues(expected[1], b.Reshape(-1), tolerance);
    }

    /// <summary>A [2, 3] parameter; non-contiguous ones (a transposed view) take libtorch's ATen path instead of the one-pass loop.</summary>
    private static Tensor MakeParameter(double[] values, DType dtype, bool nonContiguous)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        Tensor parameter;
        if (nonContiguous)
        {
            // Stored as [3, 2] and seen transposed, so the row-major order of the view is the values' order.
            var stored = Tensors.FromArray(values, 2, 3).Transpose(0, 1).Contiguous().To(dtype);
            parameter = stored.Transpose(0, 1).Detach();
            Assert.False(parameter.IsContiguous);
        }
        else
        {
            parameter = Tensors.FromArray(values, 2, 3).To(dtype).Detach();
        }
        return parameter.DetachFromDisposeScope().RequiresGradient();
    }

    [Fact]
    public void Parameter_groups_have_their_own_learning_rate_and_weight_decay()
    {
        using var decayed = Parameter(1.0, 1.0);
        using var frozen = Parameter(1.0, 1.0);
        using var plain = Parameter(1.0, 1.0);
        using var adamw = new AdamW([
            new ParameterGroup([decayed], LearningRate: 0.1, WeightDecay: 0.5),
            new ParameterGroup([frozen], LearningRate: 0.0, WeightDecay: 0.5),
            new ParameterGroup([plain], LearningRate: 0.1, WeightDecay: 0.0),
        ]);
        // A zero gradient leaves only the decay: w ← w·(1 - lr·wd).
        (decayed * 0.0 + frozen * 0.0 + plain * 0.0).Sum().Backward();
        adamw.Step();
        AssertValues([0.95, 0.95], decayed, 1e-12);
        AssertValues([1, 1], frozen, 1e-12);
        AssertValues([1, 1], plain, 1e-12);

        adamw.SetLearningRate(1, 0.2);
        Assert.Equal(0.2, adamw.LearningRate(1));
        adamw.Step();
        AssertValues([0.9, 0.9], frozen, 1e-12);    // 1·(1 - 0.2·0.5)
    }

    [Fact]
    public void Gradient_norm_clipping_scales_to_the_limit_and_reports_the_norm_before()
    {
        using var w = Parameter(1.5, 2.0);     // gradient 2w = [3, 4], norm 5
        SquaredNormBackward(w);
        var norm = GradientClipping.ClipGradNorm([w], maxNorm: 1.0);
        Assert.Equal(5.0, norm, 12);
        AssertValues([0.6, 0.8], w.Grad!, 1e-6);
        // Below the limit nothing changes.
        Assert.Equal(1.0, GradientClipping.ClipGradNorm([w], maxNorm: 10.0), 5);
        AssertValues([0.6, 0.8], w.Grad!, 1e-6);
        // The infinity norm is the largest absolute gradient.
        Assert.Equal(0.8, GradientClipping.ClipGradNorm([w], maxNorm: 10.0, normType: double.PositiveInfinity), 5);
    }

    [Fact]
    public void Schedules_follow_their_formulas()
    {
        var cosine = new CosineSchedule(TotalSteps: 100, MinimumFactor: 0.1);
        Assert.Equal(1.0, cosine.Factor(0), 12);
        Assert.Equal(0.1 + 0.9 * 0.5, cosine.Factor(50), 12);
        Assert.Equal(0.1, cosine.Factor(100), 12);
        Assert.Equal(0.1, cosine.Factor(1000), 12);
        var warmup = new LinearWarmupSchedule(WarmupSteps: 4, After: new CosineSchedule(10));
        Assert.Equal([0.25, 0.5, 0.75, 1.0, 1.0], Enumerable.Range(0, 5).Select(s => warmup.Factor(s)));
        Assert.Equal(0.5, warmup.Factor(4 + 5), 12);
        Assert.Equal(1.0, new ConstantSchedule().Factor(12345));
    }

    [Fact]
    public void RealMLP_schedules_at_chosen_steps()
    {
        // coslog4: ½(1 − cos(2π·log₂(1 + 15t))) is 0 where log₂(1 + 15t) is whole (t = 0, 1/15, 3/15,
        // 7/15, 1) and 1 halfway between, e.g. at t = (√2 − 1)/15.
        var coslog = new CoslogSchedule(TotalSteps: 15_000);
        foreach (var zero in new[] { 0, 1_000, 3_000, 7_000, 15_000 }) Assert.Equal(0.0, coslog.Factor(zero), 9);
        Assert.Equal(1.0, coslog.Factor((long)Math.Round((Math.Sqrt(2) - 1) * 1_000)), 5);
        Assert.Equal(1.0, coslog.Factor((long)Math.Round((Math.Pow(2, 3.5) - 1) * 1_000)), 5);
        // flat_cos: 1 for the first half, then ½(1 + cos(π(2t − 1))): ½ at t = ¾, 0 at the end.
        var flat = new FlatCosineSchedule(TotalSteps: 400);
        Assert.Equal([1.0, 1.0, 1.0], new long[] { 0, 100, 199 }.Select(flat.Factor));
        Assert.Equal(0.5, flat.Factor(300), 12);
        Assert.Equal(0.5 * (1 + Math.Cos(Math.PI * 0.25)), flat.Factor(250), 12);
        Assert.Equal(0.0, flat.Factor(400), 12);
        Assert.Equal(0.0, flat.Factor(1_000), 12);
    }

    [Fact]
    public void The_scheduler_can_schedule_each_groups_weight_decay_too()
    {
        using var decayed = Parameter(1.0);
        using var plain = Parameter(1.0);
        using var adamw = new AdamW([new ParameterGroup([decayed], 0.1, WeightDecay: 0.4), new ParameterGroup([plain], 0.1)]);
        var scheduler = new LearningRateScheduler(adamw, new ConstantSchedule(), weightDecaySchedule: new FlatCosineSchedule(TotalSteps: 4));
        Assert.Equal(0.4, adamw.WeightDecay(0), 12);
        scheduler.Step();
        scheduler.Step();
        scheduler.Step();    // t = ¾: half the decay
        Assert.Equal(0.2, adamw.WeightDecay(0), 12);
        Assert.Equal(0.0, adamw.WeightDecay(1));
        // A zero gradient leaves only the decay: w ← w·(1 − lr·wd) with the scheduled wd.
        (decayed * 0.0 + plain * 0.0).Sum().Backward();
        adamw.Step();
        AssertValues([1 - 0.1 * 0.2], decayed, 1e-12);
        AssertValues([1.0], plain, 1e-12);
    }

    [Fact]
    public void The_scheduler_sets_each_groups_rate_from_its_base_rate()
    {
        using var a = Parameter(1.0);
        using var b = Parameter(1.0);
        using var sgd = new Sgd([new ParameterGroup([a], 0.2), new ParameterGroup([b], 0.02)]);
        var scheduler = new LearningRateScheduler(sgd, new LinearWarmupSchedule(2, new ConstantSchedule()));
        Assert.Equal(0.1, sgd.LearningRate(0), 12);
        Assert.Equal(0.01, sgd.LearningRate(1), 12);
        scheduler.Step();
        Assert.Equal(0.2, sgd.LearningRate(0), 12);
        Assert.Equal(0.02, sgd.LearningRate(1), 12);
        Assert.Equal(1, scheduler.StepCount);
        // And the optimizer really uses it: gradient 2, rate 0.2 → 1 - 0.4.
        SquaredNormBackward(a);
        sgd.Step();
        AssertValues([0.6], a, 1e-12);
    }

    [Fact]
    public void Replaced_schedules_go_on_from_the_step_reached()
    {
        using var w = Parameter(1.0);
        using var adamw = new AdamW([new ParameterGroup([w], 0.1, WeightDecay: 0.4)]);
        var scheduler = new LearningRateScheduler(adamw, new CosineSchedule(TotalSteps: 100), new FlatCosineSchedule(TotalSteps: 100));
        scheduler.Step();
        scheduler.Step();
        // Planned over 4 steps instead of 100, at step 2 of them: cosine ½·(1 + cos(π/2)) = ½; flat-cos at t = ½ still 1.
        scheduler.Replace(new CosineSchedule(TotalSteps: 4), new FlatCosineSchedule(TotalSteps: 4));
        Assert.Equal(2, scheduler.StepCount);
        Assert.Equal(0.05, adamw.LearningRate(0), 12);
        Assert.Equal(0.4, adamw.WeightDecay(0), 12);
        scheduler.Step();    // t = ¾: cosine ½·(1 + cos(3π/4)), flat-cos half the decay
        Assert.Equal(0.1 * 0.5 * (1 + Math.Cos(3 * Math.PI / 4)), adamw.LearningRate(0), 12);
        Assert.Equal(0.2, adamw.WeightDecay(0), 12);
    }

    [Fact]
    public void Optimizers_refuse_negative_rates_and_empty_groups()
    {
        using var w = Parameter(1.0);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW([w], learningRate: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([w], learningRate: 0.1, weightDecay: -0.1));
        Assert.Throws<ArgumentException>(() => new AdamW(Array.Empty<ParameterGroup>()));
    }
}
