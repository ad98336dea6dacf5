namespace MLPipelines.Torch.Optim;

/// <summary>
/// Parameters that share a learning rate and weight decay. The usual split for transformers
/// and tabular models: weights with decay; biases, norms and embeddings without.
/// </summary>
public sealed record ParameterGroup(IReadOnlyList<Tensor> Parameters, double LearningRate, double WeightDecay = 0.0);
