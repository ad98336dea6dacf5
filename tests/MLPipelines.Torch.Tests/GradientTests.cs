using MLPipelines.Torch;
using MLPipelines.Torch.NN;

namespace MLPipelines.Torch.Tests;

/// <summary>Every differentiable operation the models use, against finite differences in float64.</summary>
public sealed class GradientTests
{
    private delegate void Case();

    private static Tensor In(int seed, params long[] shape) => GradientChecker.Input(seed, shape);

    private static Tensor Positive(int seed, params long[] shape)
    {
        using var x = In(seed, shape);
        using var _ = TorchRuntime.NoGrad();
        return x.Abs().Add(0.2).DetachFromDisposeScope().RequiresGradient();
    }

    private static Tensor Longs(params long[] values) => Tensors.FromArray(values).DetachFromDisposeScope();

    private static readonly Dictionary<string, Case> Cases = new()
    {
        // ---- elementwise arithmetic, with broadcasting ----
        ["add (broadcast)"] = () => Check(t => t[0] + t[1], In(1, 3, 4), In(2, 4)),
        ["sub (broadcast)"] = () => Check(t => t[0] - t[1], In(1, 3, 4), In(2, 3, 1)),
        ["mul (broadcast)"] = () => Check(t => t[0] * t[1], In(1, 3, 4), In(2, 1, 4)),
        ["div"] = () => Check(t => t[0] / t[1], In(1, 3, 4), Positive(2, 3, 4)),
        ["scalar arithmetic"] = () => Check(t => (2.0 - t[0]) * 3.0 + 1.0 / (t[0] * t[0] + 1.0), In(1, 5)),
        ["pow scalar"] = () => Check(t => t[0].Pow(3.0), In(1, 5)),
        ["pow tensor"] = () => Check(t => t[0].Pow(t[1]), Positive(1, 5), In(2, 5)),
        ["exp"] = () => Check(t => t[0].Exp(), In(1, 6)),
        ["log"] = () => Check(t => t[0].Log(), Positive(1, 6)),
        ["log1p"] = () => Check(t => t[0].Log1p(), Positive(1, 6)),
        ["sqrt"] = () => Check(t => t[0].Sqrt(), Positive(1, 6)),
        ["rsqrt"] = () => Check(t => t[0].Rsqrt(), Positive(1, 6)),
        ["sin"] = () => Check(t => t[0].Sin(), In(1, 6)),
        ["cos"] = () => Check(t => t[0].Cos(), In(1, 6)),
        ["abs"] = () => Check(t => t[0].Abs(), In(1, 6)),
        ["square"] = () => Check(t => t[0].Square(), In(1, 6)),
        ["reciprocal"] = () => Check(t => t[0].Reciprocal(), Positive(1, 6)),
        ["neg"] = () => Check(t => -t[0], In(1, 6)),
        ["clamp"] = () => Check(t => t[0].Clamp(-0.5, 0.7), In(1, 12)),
        ["maximum"] = () => Check(t => t[0].Maximum(t[1]), In(1, 8), In(2, 8)),
        ["minimum"] = () => Check(t => t[0].Minimum(t[1]), In(1, 8), In(2, 8)),
        ["where"] = () => Check(t => Tensor.Where(t[0] > 0.0, t[0], t[1]), In(1, 8), In(2, 8)),
        ["masked fill"] = () => Check(t => t[0].MaskedFill(t[0] < 0.0, 0.0), In(1, 8)),

        // ---- activations ----
        ["relu"] = () => Check(t => t[0].Relu(), In(1, 10)),
        ["gelu"] = () => Check(t => t[0].Gelu(), In(1, 10)),
        ["gelu (tanh)"] = () => Check(t => t[0].Gelu(tanhApproximation: true), In(1, 10)),
        ["selu"] = () => Check(t => t[0].Selu(), In(1, 10)),
        ["silu"] = () => Check(t => t[0].Silu(), In(1, 10)),
        ["mish"] = () => Check(t => t[0].Mish(), In(1, 10)),
        ["sigmoid"] = () => Check(t => t[0].Sigmoid(), In(1, 10)),
        ["tanh"] = () => Check(t => t[0].Tanh(), In(1, 10)),
        ["softplus"] = () => Check(t => t[0].Softplus(), In(1, 10)),
        ["elu"] = () => Check(t => t[0].Elu(), In(1, 10)),
        ["leaky relu"] = () => Check(t => t[0].LeakyRelu(0.1), In(1, 10)),
        ["softmax"] = () => Check(t => t[0].Softmax(-1), In(1, 3, 5)),
        ["log softmax"] = () => Check(t => t[0].LogSoftmax(1), In(1, 3, 5)),

        // ---- products and layers ----
        ["matmul"] = () => Check(t => t[0].MatMul(t[1]), In(1, 3, 4), In(2, 4, 2)),
        ["matmul (batched)"] = () => Check(t => t[0].MatMul(t[1]), In(1, 2, 3, 4), In(2, 2, 4, 3)),
        ["linear"] = () => Check(t => Functional.Linear(t[0], t[1], t[2]), In(1, 4, 3), In(2, 5, 3), In(3, 5)),
        ["layer norm"] = () => Check(t => Functional.LayerNorm(t[0], [6], t[1], t[2]), In(1, 4, 6), In(2, 6), In(3, 6)),
        ["batch norm (training)"] = () => Check(t => Functional.BatchNorm(t[0], null, null, t[1], t[2], training: true), In(1, 5, 3), In(2, 3), In(3, 3)),
        ["batch norm (evaluation)"] = () => Check(t => Functional.BatchNorm(t[0], t[3], t[4], t[1], t[2], training: false),
            In(1, 5, 3), In(2, 3), In(3, 3), Constant([0.1, -0.2, 0.3]), Constant([1.5, 0.5, 2.0])),
        ["dropout (seeded)"] = () => Check(t =>
        {
            TorchRuntime.ManualSeed(3);
            return Functional.Dropout(t[0], 0.3, training: true);
        }, In(1, 20)),
        ["embedding"] = () => Check(t => Functional.Embedding(t[0], t[1]), In(1, 4, 3), Longs(2, 0, 2, 3)),

        // ---- convolution and pooling over [N, C, H, W] ----
        ["conv2d (stride 2, padding 1, bias)"] = () => Check(t => Functional.Conv2d(t[0], t[1], t[2], stride: 2, padding: 1),
            In(1, 2, 2, 5, 5), In(2, 3, 2, 3, 3), In(3, 3)),
        ["conv2d (dilation 2, groups 2, rectangular)"] = () => Check(t => Functional.Conv2d(t[0], t[1], dilation: 2, groups: 2, padding: (1, 0)),
            In(1, 1, 4, 5, 6), In(2, 2, 2, 2, 3)),
        ["batch norm 2d (training)"] = () => Check(t => Functional.BatchNorm(t[0], null, null, t[1], t[2], training: true),
            In(1, 3, 2, 2, 3), In(2, 2), In(3, 2)),
        ["max pool 2d (3×3, stride 2, padding 1)"] = () => Check(t => Functional.MaxPool2d(t[0], 3, stride: 2, padding: 1), In(1, 2, 2, 5, 5)),
        ["avg pool 2d (ceil mode, padding not counted)"] = () => Check(
            t => Functional.AvgPool2d(t[0], 2, padding: 1, ceilMode: true, countIncludePad: false), In(1, 1, 2, 5, 4)),
        ["bilinear resize (up and down)"] = () => Check(t => Functional.ResizeBilinear(Functional.ResizeBilinear(t[0], (5, 7)), (2, 3)), In(1, 1, 2, 3, 4)),
        ["flip"] = () => Check(t => t[0].Flip(2, 3), In(1, 1, 2, 3, 4)),
        ["constant pad"] = () => Check(t => Functional.Pad(t[0], [1, 2, 0, 1], 0.5), In(1, 1, 2, 3, 4)),
        ["adaptive avg pool 2d (uneven windows)"] = () => Check(t => Functional.AdaptiveAvgPool2d(t[0], (2, 3)), In(1, 2, 1, 5, 7)),

        // ---- shapes and indexing ----
        ["reshape"] = () => Check(t => t[0].Reshape(4, 3), In(1, 2, 6)),
        ["view"] = () => Check(t => t[0].View(3, -1), In(1, 2, 6)),
        ["permute"] = () => Check(t => t[0].Permute(2, 0, 1), In(1, 2, 3, 4)),
        ["transpose"] = () => Check(t => t[0].Transpose(0, 1).MatMul(t[1]), In(1, 3, 4), In(2, 3, 2)),
        ["squeeze and unsqueeze"] = () => Check(t => t[0].Squeeze(1).Unsqueeze(0), In(1, 3, 1, 2)),
        ["flatten"] = () => Check(t => t[0].Flatten(1), In(1, 2, 3, 4)),
        ["narrow"] = () => Check(t => t[0].Narrow(1, 1, 2), In(1, 3, 4)),
        ["select"] = () => Check(t => t[0].Select(0, 1), In(1, 3, 4)),
        ["slice with step"] = () => Check(t => t[0].Slice(1, 0, 5, 2), In(1, 3, 5)),
        ["index select"] = () => Check(t => t[0].IndexSelect(0, t[1]), In(1, 4, 3), Longs(3, 0, 3)),
        ["gather"] = () => Check(t => t[0].Gather(1, t[1]), In(1, 3, 4), Constant2D([[0, 3], [1, 1], [2, 0]])),
        ["boolean mask"] = () => Check(t => t[0].Index(t[0].Select(1, 0) > 0.0), In(1, 6, 2)),
        ["cat"] = () => Check(t => Tensor.Cat([t[0], t[1]], 1), In(1, 2, 3), In(2, 2, 2)),
        ["stack"] = () => Check(t => Tensor.Stack([t[0], t[1]], 0), In(1, 2, 3), In(2, 2, 3)),
        ["expand"] = () => Check(t => t[0].Expand(3, 4), In(1, 1, 4)),
        ["repeat"] = () => Check(t => t[0].Repeat(2, 3), In(1, 2, 2)),

        // ---- reductions ----
        ["sum"] = () => Check(t => t[0].Sum(1, keepDim: true), In(1, 3, 4)),
        ["mean"] = () => Check(t => t[0].Mean([0, 2]), In(1, 3, 4, 2)),
        ["var"] = () => Check(t => t[0].Var(1), In(1, 3, 5)),
        ["std"] = () => Check(t => t[0].Std(0, unbiased: false), In(1, 4, 3)),
        ["logsumexp"] = () => Check(t => t[0].LogSumExp(1), In(1, 3, 5)),
        ["amax"] = () => Check(t => t[0].Amax(1), In(1, 3, 5)),
        ["prod"] = () => Check(t => t[0].Prod(1), In(1, 3, 4)),
        ["cumsum"] = () => Check(t => t[0].CumSum(1), In(1, 3, 4)),

        // ---- losses ----
        ["mean squared error"] = () => Check(t => Losses.MeanSquaredError(t[0], t[1]), In(1, 6), In(2, 6)),
        ["mean absolute error"] = () => Check(t => Losses.MeanAbsoluteError(t[0], t[1]), In(1, 6), In(2, 6)),
        ["cross-entropy"] = () => Check(t => Losses.CrossEntropy(t[0], t[1]), In(1, 4, 3), Longs(0, 2, 1, 2)),
        ["cross-entropy with label smoothing and class weights"] = () => Check(
            t => Losses.CrossEntropy(t[0], t[1], t[2], labelSmoothing: 0.1), In(1, 4, 3), Longs(0, 2, 1, 2), Constant([0.5, 2.0, 1.0])),
        ["negative log-likelihood"] = () => Check(t => Losses.NegativeLogLikelihood(t[0].LogSoftmax(1), t[1]), In(1, 4, 3), Longs(1, 0, 2, 2)),
        ["binary cross-entropy with logits"] = () => Check(
            t => Losses.BinaryCrossEntropyWithLogits(t[0], t[1], t[2], t[3]), In(1, 6), Constant([1, 0, 1, 1, 0, 0]),
            Constant([1, 2, 1, 0.5, 1, 3]), Constant([2.5])),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Autograd_matches_finite_differences(string operation) => Cases[operation]();

    private static void Check(Func<Tensor[], Tensor> function, params Tensor[] inputs)
    {
        try
        {
            GradientChecker.Check(function, inputs);
        }
        finally
        {
            foreach (var input in inputs) input.Dispose();
        }
    }

    private static Tensor Constant(double[] values) => Tensors.FromArray(values).DetachFromDisposeScope();

    private static Tensor Constant2D(long[][] rows) =>
        Tensors.FromArray(rows.SelectMany(r => r).ToArray(), rows.Length, rows[0].Length).DetachFromDisposeScope();
}
