using MLPipelines.Torch.Interop;

namespace MLPipelines.Torch.NN;

/// <summary>The layers as functions of their inputs and weights (the modules call these).</summary>
public static partial class Functional
{
    /// <summary>x · weightᵀ + bias; weight is [out, in].</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null) =>
        Native.Tensor(NativeMethods.mlp_linear(input.Handle, weight.Handle, Native.Optional(bias)));

    /// <summary>Normalizes over the trailing <paramref name="normalizedShape"/> dimensions, then scales and shifts.</summary>
    public static unsafe Tensor LayerNorm(Tensor input, long[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        fixed (long* s = normalizedShape)
            return Native.Tensor(NativeMethods.mlp_layer_norm(input.Handle, s, normalizedShape.Length,
                Native.Optional(weight), Native.Optional(bias), eps));
    }

    /// <summary>
    /// Batch normalization over the batch dimension. In training it uses the batch's statistics
    /// and updates the running ones in place; otherwise it uses the running ones.
    /// </summary>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
        bool training, double momentum = 0.1, double eps = 1e-5) =>
        Native.Tensor(NativeMethods.mlp_batch_norm(input.Handle, Native.Optional(weight), Native.Optional(bias),
            Native.Optional(runningMean), Native.Optional(runningVar), training ? 1 : 0, momentum, eps));

    /// <summary>In training, zeroes each element with probability p and scales the rest by 1/(1-p); otherwise the identity.</summary>
    public static Tensor Dropout(Tensor input, double p, bool training) =>
        Native.Tensor(NativeMethods.mlp_dropout(input.Handle, p, training ? 1 : 0));

    /// <summary>
    /// Dropout(ReLU(input)) in one pass each way (the shim's fused kernel on the CPU). Out of training and with gradients
    /// off (predicting) the ReLU is applied to <paramref name="input"/> in place, which is returned: pass a layer's fresh output.
    /// </summary>
    public static Tensor ReluDropout(Tensor input, double p, bool training) =>
        Native.Tensor(NativeMethods.mlp_relu_dropout(input.Handle, p, training ? 1 : 0));

    /// <summary>
    /// Multi-head attention: per head, softmax(q·kᵀ / √(d/h))·v, from the projections q [B, Tq, d] and k, v [B, Tk, d] (the
    /// heads side by side along d) to [B, Tq, d] in the same layout; in training, dropout p on the attention weights. On the
    /// CPU in float32 (and bfloat16, converted) one kernel does all of it both ways (the shim's attention.cpp: libtorch's
    /// batched products of a table's few tokens loop over every row and head); elsewhere libtorch's ops.
    /// </summary>
    public static Tensor Attention(Tensor q, Tensor k, Tensor v, int heads, double dropout, bool training) =>
        Native.Tensor(NativeMethods.mlp_attention(q.Handle, k.Handle, v.Handle, heads, dropout, training ? 1 : 0));

    /// <summary>The rows of <paramref name="weight"/> named by the int64 <paramref name="indices"/>.</summary>
    public static Tensor Embedding(Tensor weight, Tensor indices) =>
        Native.Tensor(NativeMethods.mlp_embedding(weight.Handle, indices.Handle));
}
