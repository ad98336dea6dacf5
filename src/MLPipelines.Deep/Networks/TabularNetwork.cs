using MLPipelines.Onnx;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;

namespace MLPipelines.Deep.Networks;

/// <summary>
/// A tabular network: a batch in, [B, k, outputs] out, where k is the number of ensemble
/// members (1 except for TabM). The training loss is the mean of the members' losses; the
/// prediction is the mean of their predictions.
/// </summary>
public abstract class TabularNetwork : Module<NetworkInput, Tensor>
{
    /// <summary>k: how many predictions each row gets (1 for plain networks).</summary>
    public virtual int EnsembleSize => 1;

    /// <summary>
    /// Floats one row holds in the network's widest activation, its ensemble members' or tokens' included: what a
    /// prediction pass's memory grows by per row.
    /// </summary>
    public abstract long WidestActivation { get; }

    /// <summary>
    /// Rows per evaluation-mode forward pass: as many as keep the widest activation within 2²¹ floats (8 MiB), at most
    /// 4,096. Why: passes whose activations stay that small reuse the allocator's free memory and stay in cache; on
    /// diamonds (2 cores) TabM predicts about 2× faster at 128 rows a pass than at 4,096, FT-Transformer about 2× at
    /// ~400 (scripts/benchmark.sh deep-predict).
    /// </summary>
    public int PredictionRowsPerPass => (int)Math.Clamp((1L << 21) / Math.Max(1, WidestActivation), 1, 4096);

    /// <summary>Called once before training with a sample of the training rows, for initializations that depend on the data.</summary>
    public virtual void InitializeFromData(NetworkInput rows) { }

    /// <summary>Called before each training step with the fraction of the schedule done (0 to 1), for scheduled regularization.</summary>
    public virtual void OnTrainingProgress(double progress) { }

    /// <summary>
    /// Writes the evaluation-mode forward pass as ONNX nodes: from the features [N, F] (float32)
    /// and the categorical indices [N, C] (int64, null when there are none) to [N, k, outputs].
    /// </summary>
    public virtual string WriteOnnx(OnnxGraph graph, string features, string? categories) =>
        throw new OnnxExportException($"the network {GetType().Name}", "it has no ONNX export yet");

    /// <summary>Whether a parameter or buffer belongs to the head: the last layer, which maps the body's output to the task's outputs (fine-tuning replaces it).</summary>
    public abstract bool IsHead(string name);

    /// <summary>
    /// The parameters with an axis over the flat input vector (<see cref="FlatInput"/>): when
    /// fine-tuning adds input columns, that axis is remapped run by run.
    /// </summary>
    public virtual IEnumerable<(string Name, int Axis)> FlatInputParameters => [];

    /// <summary>
    /// Whether a parameter belongs to the input module (embeddings, tokenizer), whose parameters
    /// hold one entry per input feature along their first axis: added columns add entries there.
    /// </summary>
    public virtual bool IsPerFeature(string name) => name.StartsWith("input.", StringComparison.Ordinal);

    /// <summary>
    /// Parameters that take no weight decay, by the rtdl convention: biases, normalization
    /// layers, embeddings and tokenizers.
    /// </summary>
    public virtual bool DecaysWeight(string parameterName) =>
        !(parameterName.EndsWith("bias", StringComparison.Ordinal) || parameterName.Contains("norm", StringComparison.Ordinal)
          || parameterName.Contains("embedding", StringComparison.Ordinal) || parameterName.Contains("tokenizer", StringComparison.Ordinal));
}
