using MLPipelines.Torch;
using MLPipelines.Torch.NN;
using static MLPipelines.Torch.Tests.TensorOperationTests;

namespace MLPipelines.Torch.Tests;

/// <summary>Activations, normalizations, dropout, embeddings and losses against values computed by hand.</summary>
public sealed class NeuralNetworkOperationTests : ScopedTest
{
    private static readonly Tensor Points = Tensors.FromArray([-1.0, 0.0, 1.0]).DetachFromDisposeScope();

    [Fact]
    public void Activations()
    {
        double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
        // SELU's published constants (Klambauer et al. 2017).
        const double alpha = 1.6732632423543772, scale = 1.0507009873554805;
        AssertValues([0, 0, 1], Points.Relu());
        AssertValues([Sigmoid(-1), 0.5, Sigmoid(1)], Points.Sigmoid(), 1e-12);
        AssertValues([Math.Tanh(-1), 0, Math.Tanh(1)], Points.Tanh(), 1e-12);
        // GELU(x) = x Φ(x); Φ(1) = 0.8413447460685429.
        AssertValues([-(1 - 0.8413447460685429), 0, 0.8413447460685429], Points.Gelu(), 1e-12);
        double GeluTanh(double x) => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
        AssertValues([GeluTanh(-1), 0, GeluTanh(1)], Points.Gelu(tanhApproximation: true), 1e-12);
        AssertValues([scale * alpha * (Math.Exp(-1) - 1), 0, scale], Points.Selu(), 1e-12);
        AssertValues([-Sigmoid(-1), 0, Sigmoid(1)], Points.Silu(), 1e-12);
        double Mish(double x) => x * Math.Tanh(Math.Log(1 + Math.Exp(x)));
        AssertValues([Mish(-1), 0, Mish(1)], Points.Mish(), 1e-12);
        AssertValues([Math.Log(1 + Math.Exp(-1)), Math.Log(2), Math.Log(1 + Math.E)], Points.Softplus(), 1e-12);
        AssertValues([Math.Exp(-1) - 1, 0, 1], Points.Elu(), 1e-12);
        AssertValues([-0.1, 0, 1], Points.LeakyRelu(0.1), 1e-12);
    }

    [Fact]
    public void Softmax_and_log_softmax()
    {
        var logits = Tensors.FromArray([1.0, 2.0, 3.0]);
        var denominator = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        AssertValues([Math.Exp(1) / denominator, Math.Exp(2) / denominator, Math.Exp(3) / denominator], logits.Softmax(0), 1e-12);
        AssertValues([1 - Math.Log(denominator), 2 - Math.Log(denominator), 3 - Math.Log(denominator)], logits.LogSoftmax(0), 1e-12);
        // Rows of a matrix are independent.
        AssertValues([0.5, 0.5, 0.5, 0.5], Tensors.FromArray([0.0, 0.0, 7.0, 7.0], 2, 2).Softmax(1), 1e-12);
    }

    [Fact]
    public void Layer_norm_normalizes_each_row()
    {
        // [1, 2, 3, 4]: mean 2.5, biased variance 1.25.
        var x = Tensors.FromArray([1.0, 2.0, 3.0, 4.0], 1, 4);
        var d = Math.Sqrt(1.25 + 1e-5);
        using var norm = new LayerNorm(4);
        norm.To(DType.Float64);
        AssertValues([-1.5 / d, -0.5 / d, 0.5 / d, 1.5 / d], norm.Forward(x), 1e-9);
        var weight = Tensors.FromArray([2.0, 2.0, 2.0, 2.0]);
        var bias = Tensors.FromArray([1.0, 1.0, 1.0, 1.0]);
        AssertValues([1 - 3 / d, 1 - 1 / d, 1 + 1 / d, 1 + 3 / d], Functional.LayerNorm(x, [4], weight, bias), 1e-9);
    }

    [Fact]
    public void Batch_norm_uses_batch_statistics_in_training_and_running_ones_in_evaluation()
    {
        using var norm = new BatchNorm1d(1);
        // Batch [1, 3]: mean 2, biased variance 1, unbiased 2.
        var batch = Tensors.FromArray([1f, 3f], 2, 1);
        AssertValues([-1 / Math.Sqrt(1 + 1e-5), 1 / Math.Sqrt(1 + 1e-5)], norm.Forward(batch), 1e-6);
        AssertValues([0.2], norm.RunningMean, 1e-7);                  // 0.9·0 + 0.1·2
        AssertValues([1.1], norm.RunningVar, 1e-7);                   // 0.9·1 + 0.1·2
        Assert.Equal(1L, norm.BatchesTracked.ToInt64());
        norm.Eval();
        AssertValues([(1 - 0.2) / Math.Sqrt(1.1 + 1e-5)], norm.Forward(Tensors.FromArray([1f], 1, 1)), 1e-6);
        Assert.Equal(1L, norm.BatchesTracked.ToInt64());
    }

    [Fact]
    public void Dropout_zeroes_at_the_rate_asked_and_rescales_only_in_training()
    {
        TorchRuntime.ManualSeed(5);
        using var dropout = new Dropout(0.25);
        var ones = Tensors.Ones([100_000]);
        var values = dropout.Forward(ones).ToArray<float>();
        Assert.All(values, v => Assert.True(v == 0f || Math.Abs(v - 1 / 0.75f) < 1e-6));
        var zeroFraction = values.Count(v => v == 0f) / (double)values.Length;
        Assert.InRange(zeroFraction, 0.24, 0.26);
        dropout.Eval();
        Assert.Equal(ones.ToArray<float>(), dropout.Forward(ones).ToArray<float>());
    }

    [Fact]
    public void Fused_dropout_repeats_under_a_seed_on_any_thread_count_and_its_gradient_is_its_mask()
    {
        // Float tensors on the CPU take the shim's counter-based kernel: the mask is a hash of
        // (seed, element), so it must not depend on how the elements are split over threads.
        float[] Mask(int threads)
        {
            TorchRuntime.SetThreads(threads, 1);
            TorchRuntime.ManualSeed(11);
            return Functional.Dropout(Tensors.Ones([1_000_001]), 0.1, training: true).ToArray<float>();
        }
        var one = Mask(1);
        var two = Mask(2);
        TorchRuntime.SetThreads(Environment.ProcessorCount, 1);
        Assert.Equal(one, two);
        Assert.All(one.Take(1000), v => Assert.True(v == 0f || v == 1 / 0.9f));
        Assert.InRange(one.Count(v => v == 0f) / (double)one.Length, 0.099, 0.101);
        Assert.NotEqual(one, Functional.Dropout(Tensors.Ones([1_000_001]), 0.1, training: true).ToArray<float>());   // the next call draws a new seed

        var x = Tensors.Ones([10_000]);
        x.RequiresGrad = true;
        var output = Functional.Dropout(x, 0.3, training: true);
        var upstream = Tensors.Arange(0, 10_000, dtype: DType.Float32);
        (output * upstream).Sum().Backward();
        var kept = output.ToArray<float>();
        var gradient = x.Grad!.ToArray<float>();
        var up = upstream.ToArray<float>();
        for (var i = 0; i < kept.Length; i++) Assert.Equal(kept[i] == 0 ? 0f : up[i] / 0.7f, gradient[i], 1e-3f);
    }

    [Fact]
    public void Fused_relu_dropout_is_dropout_after_relu_and_passes_gradient_only_where_it_output()
    {
        TorchRuntime.ManualSeed(2);
        var x = Tensors.Randn([200_000L]);
        x.RequiresGrad = true;
        var output = Functional.ReluDropout(x, 0.2, training: true);
        (output * 3.0).Sum().Backward();
        var inputs = x.ToArray<float>();
        var outputs = output.ToArray<float>();
        var gradient = x.Grad!.ToArray<float>();
        var positive = 0;
        var dropped = 0;
        for (var i = 0; i < inputs.Length; i++)
        {
            if (inputs[i] <= 0) Assert.Equal(0f, outputs[i]);
            else
            {
                positive++;
                if (outputs[i] == 0) dropped++;
                else Assert.Equal(inputs[i] / 0.8f, outputs[i], 1e-5f);
            }
            Assert.Equal(outputs[i] > 0 ? 3 / 0.8f : 0f, gradient[i], 1e-5f);
        }
        Assert.InRange(dropped / (double)positive, 0.19, 0.21);
        using var _ = TorchRuntime.NoGrad();
        Assert.Equal(x.Relu().ToArray<float>(), Functional.ReluDropout(x, 0.2, training: false).ToArray<float>());
    }

    [Fact]
    public void Predicting_ReluDropout_applies_the_relu_in_place_and_otherwise_keeps_its_input()
    {
        var values = new[] { -2f, -0.5f, 0f, 0.5f, 2f };
        var kept = Tensors.FromArray(values);
        Assert.Equal([0f, 0f, 0f, 0.5f, 2f], Functional.ReluDropout(kept, 0.2, training: false).ToArray<float>());
        Assert.Equal(values, kept.ToArray<float>());   // gradients on: a new tensor
        using var _ = TorchRuntime.NoGrad();
        var overwritten = Tensors.FromArray(values);
        var output = Functional.ReluDropout(overwritten, 0.2, training: false);
        Assert.Equal([0f, 0f, 0f, 0.5f, 2f], output.ToArray<float>());
        Assert.Equal([0f, 0f, 0f, 0.5f, 2f], overwritten.ToArray<float>());
        var training = Tensors.FromArray(values);
        Functional.ReluDropout(training, 0.2, training: true);
        Assert.Equal(values, training.ToArray<float>());
    }

    /// <summary>
    /// Attention against softmax(q·kᵀ/√(d/h))·v per row and head computed by hand in doubles: as many queries as keys (work
    /// spread over the threads), one query ([CLS] in the last layer) over 300 keys (on the calling thread), and double
    /// tensors (libtorch's ops); predicting (gradients off: the kernel without saving weights) and with gradients on (the
    /// kernel that keeps them for the backward pass); outside training the dropout is not applied.
    /// </summary>
    [Theory]
    [InlineData(64, 8, 8, 4, 32, false)]   // enough work for every core
    [InlineData(2, 1, 300, 3, 12, false)]
    [InlineData(2, 3, 5, 4, 8, true)]
    public void Attention_is_each_heads_softmax_weighted_values(int batch, int queries, int keys, int heads, int width, bool inDoubles)
    {
        var random = new Random(batch * 1000 + keys);
        double[] Draw(int count) => Enumerable.Range(0, count).Select(_ => random.NextDouble() * 4 - 2).ToArray();
        var (q, k, v) = (Draw(batch * queries * width), Draw(batch * keys * width), Draw(batch * keys * width));
        Tensor Of(double[] values, int tokens) => inDoubles ? Tensors.FromArray(values, batch, tokens, width)
            : Tensors.FromArray(values.Select(x => (float)x).ToArray(), batch, tokens, width);
        var head = width / heads;
        var expected = new double[batch * queries * width];
        for (var b = 0; b < batch; b++)
        for (var h = 0; h < heads; h++)
        for (var i = 0; i < queries; i++)
        {
            var scores = Enumerable.Range(0, keys).Select(j => Enumerable.Range(0, head)
                .Sum(c => q[(b * queries + i) * width + h * head + c] * k[(b * keys + j) * width + h * head + c]) / Math.Sqrt(head)).ToArray();
            var weights = scores.Select(x => Math.Exp(x - scores.Max())).ToArray();
            for (var c = 0; c < head; c++)
                expected[(b * queries + i) * width + h * head + c] = Enumerable.Range(0, keys).Sum(j => weights[j] * v[(b * keys + j) * width + h * head + c]) / weights.Sum();
        }
        var (qt, kt, vt) = (Of(q, queries), Of(k, keys), Of(v, keys));
        void AssertExpected(Tensor output)
        {
            Assert.Equal([(long)batch, queries, width], output.Shape);
            var actual = inDoubles ? output.ToArray<double>() : output.ToArray<float>().Select(x => (double)x).ToArray();
            for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], inDoubles ? 1e-12 : 2e-5);
        }

        qt.RequiresGrad = true;
        AssertExpected(Functional.Attention(qt, kt, vt, heads, dropout: 0.5, training: false));
        using var _ = TorchRuntime.NoGrad();
        AssertExpected(Functional.Attention(qt, kt, vt, heads, dropout: 0.5, training: false));
    }

    /// <summary>
    /// The attention kernel's gradients against libtorch's autograd through the same attention written in its ops (head
    /// split, batched products, softmax), float32 and, for the dropout, the kernel's own mask read back: with v one-hot per
    /// head (each head's slice as wide as the keys) the output is each attention weight itself, 0 where dropped and
    /// softmax/(1 − p) where kept. The same seed draws the same mask again, so the kernel's output and gradients with any
    /// v must equal the ops' with that mask.
    /// </summary>
    [Theory]
    [InlineData(6, 10, 10, 8, 0.0)]   // a table of 9 features and [CLS]: all tokens attend (a head size the kernel takes as it comes)
    [InlineData(6, 1, 16, 4, 0.0)]    // the last block: [CLS] alone (a head size the kernel is compiled for)
    [InlineData(40, 24, 24, 8, 0.2)]  // rtdl's attention dropout, and FT-Transformer's head size (192 / 8)
    [InlineData(40, 1, 10, 8, 0.5)]
    public void Attention_gradients_and_dropout_match_libtorchs_ops(int batch, int queries, int keys, int heads, double dropout)
    {
        var width = heads * keys;   // each head's slice as wide as the keys: room for a one-hot v
        var head = keys;
        var random = new Random(batch + queries);
        Tensor Draw(int tokens) => Tensors.FromArray(Enumerable.Range(0, batch * tokens * width).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray(), batch, tokens, width);
        var (q, k, v, upstream) = (Draw(queries), Draw(keys), Draw(keys), Draw(queries));

        // The mask, read back: out[b, i, h·head + j] = a[b, h, i, j].
        var oneHot = new float[batch * keys * width];
        for (var b = 0; b < batch; b++)
        for (var j = 0; j < keys; j++)
        for (var h = 0; h < heads; h++) oneHot[(b * keys + j) * width + h * head + j] = 1;
        var identity = Tensors.FromArray(oneHot, batch, keys, width);
        var probabilities = Functional.Attention(q, k, identity, heads, dropout, training: false).ToArray<float>();
        TorchRuntime.ManualSeed(17);
        var weights = Functional.Attention(q.Detach().RequiresGradient(), k, identity, heads, dropout, training: true).ToArray<float>();
        var keep = new float[weights.Length];
        var dropped = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            if (weights[i] == 0) { dropped++; continue; }
            Assert.Equal(probabilities[i] / (1 - dropout), weights[i], 1e-6 * Math.Max(1, weights[i]));
            keep[i] = (float)(1 / (1 - dropout));
        }
        Assert.InRange(dropped / (double)weights.Length, dropout - 0.03, dropout + 0.03);

        var (qk, kk, vk) = (q.Detach().RequiresGradient(), k.Detach().RequiresGradient(), v.Detach().RequiresGradient());
        TorchRuntime.ManualSeed(17);
        var kernel = Functional.Attention(qk, kk, vk, heads, dropout, training: true);
        (kernel * upstream).Sum().Backward();

        var (qo, ko, vo) = (q.Detach().RequiresGradient(), k.Detach().RequiresGradient(), v.Detach().RequiresGradient());
        Tensor Split(Tensor x) => x.Reshape(batch, x.Size(1), heads, head).Transpose(1, 2);   // [B, h, T, d/h]
        // keep is laid out [B, Tq, h, Tk] like the output read back; the weights are [B, h, Tq, Tk].
        var mask = Tensors.FromArray(keep, batch, queries, heads, keys).Transpose(1, 2);
        var ops = ((Split(qo).MatMul(Split(ko).Transpose(-2, -1)) * (1 / Math.Sqrt(head))).Softmax(-1) * mask)
            .MatMul(Split(vo)).Transpose(1, 2).Reshape(batch, queries, width);
        (ops * upstream).Sum().Backward();

        AssertValues(ops.ToArray<float>().Select(x => (double)x).ToArray(), kernel, 2e-5);
        AssertValues(qo.Grad!.ToArray<float>().Select(x => (double)x).ToArray(), qk.Grad!, 2e-4);
        AssertValues(ko.Grad!.ToArray<float>().Select(x => (double)x).ToArray(), kk.Grad!, 2e-4);
        AssertValues(vo.Grad!.ToArray<float>().Select(x => (double)x).ToArray(), vk.Grad!, 2e-5);
    }

    [Fact]
    public void Embedding_looks_up_rows()
    {
        using var embedding = new Embedding(3, 2);
        using (TorchRuntime.NoGrad()) embedding.Weight.CopyFrom(Tensors.FromArray([0f, 1f, 10f, 11f, 20f, 21f], 3, 2));
        var rows = embedding.Forward(Tensors.FromArray([2L, 0L, 2L]));
        Assert.Equal([3L, 2L], rows.Shape);
        AssertValues([20, 21, 0, 1, 20, 21], rows);
    }

    [Fact]
    public void Regression_losses()
    {
        var prediction = Tensors.FromArray([1f, 2f]);
        var target = Tensors.FromArray([3f, 5f]);
        Assert.Equal(6.5, Losses.MeanSquaredError(prediction, target).ToDouble(), 6);           // (4 + 9) / 2
        Assert.Equal(13.0, Losses.MeanSquaredError(prediction, target, Reduction.Sum).ToDouble(), 6);
        AssertValues([4, 9], Losses.MeanSquaredError(prediction, target, Reduction.None));
        Assert.Equal(2.5, Losses.MeanAbsoluteError(prediction, target).ToDouble(), 6);           // (2 + 3) / 2
    }

    [Fact]
    public void Cross_entropy_with_label_smoothing_and_class_weights()
    {
        var logits = Tensors.FromArray([1.0, 2.0, 3.0], 1, 3);
        var target = Tensors.FromArray([2L]);
        var logZ = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3));
        double[] negativeLogP = [logZ - 1, logZ - 2, logZ - 3];
        Assert.Equal(negativeLogP[2], Losses.CrossEntropy(logits, target).ToDouble(), 12);
        // With smoothing ε the target is (1-ε)·one-hot + ε/C: loss = (1-ε)·(-log p_y) + ε·mean_c(-log p_c).
        var smoothed = 0.9 * negativeLogP[2] + 0.1 * negativeLogP.Average();
        Assert.Equal(smoothed, Losses.CrossEntropy(logits, target, labelSmoothing: 0.1).ToDouble(), 12);
        // Class weights give a weighted mean: Σ w_y·l / Σ w_y.
        var two = Tensors.FromArray([1.0, 2.0, 3.0, 1.0, 2.0, 3.0], 2, 3);
        var targets = Tensors.FromArray([2L, 0L]);
        var weights = Tensors.FromArray([3.0, 1.0, 1.0]);
        var expected = (1 * negativeLogP[2] + 3 * negativeLogP[0]) / (1 + 3);
        Assert.Equal(expected, Losses.CrossEntropy(two, targets, weights).ToDouble(), 12);
        Assert.Equal(negativeLogP[2], Losses.NegativeLogLikelihood(logits.LogSoftmax(1), target).ToDouble(), 12);
    }

    [Fact]
    public void Binary_cross_entropy_with_logits()
    {
        // x = 0, y = 1: log 2.   x = 2, y = 0: log(1 + e²).
        var logits = Tensors.FromArray([0.0, 2.0]);
        var targets = Tensors.FromArray([1.0, 0.0]);
        var a = Math.Log(2);
        var b = Math.Log(1 + Math.Exp(2));
        Assert.Equal((a + b) / 2, Losses.BinaryCrossEntropyWithLogits(logits, targets).ToDouble(), 12);
        // A positive weight p multiplies the positive term: p·y·(-log σ(x)) + (1-y)·(-log(1-σ(x))).
        Assert.Equal((3 * a + b) / 2, Losses.BinaryCrossEntropyWithLogits(logits, targets, positiveWeight: Tensors.FromArray([3.0])).ToDouble(), 12);
        Assert.Equal((2 * a + 0.5 * b) / 2, Losses.BinaryCrossEntropyWithLogits(logits, targets, weight: Tensors.FromArray([2.0, 0.5])).ToDouble(), 12);
        // Stable far from zero, where log(1 - σ(x)) would underflow.
        Assert.Equal(100.0, Losses.BinaryCrossEntropyWithLogits(Tensors.FromArray([100.0]), Tensors.FromArray([0.0])).ToDouble(), 9);
    }
}
