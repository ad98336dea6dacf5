using MLPipelines.Deep.Options;
using MLPipelines.Deep.Training;

namespace MLPipelines.Deep.Transfer;

/// <summary>What the pretrainers share: the architecture, the settings, the seed, progress, cancellation and what the last run did.</summary>
public abstract class Pretrainer(DeepModelOptions architecture, PretrainingOptions options, int seed)
{
    /// <summary>Rows per forward pass when the held-out loss is measured: as in training.</summary>
    private protected const int EvaluationBatch = DeepTrainer.EvaluationBatch;

    public DeepModelOptions Architecture { get; } = architecture;

    public PretrainingOptions Options { get; } = options;

    /// <summary>The seed of initialization, the held-out rows, shuffling and corruption: the architecture's, else the one given.</summary>
    public int Seed { get; } = architecture.Seed ?? seed;

    /// <summary>Receives every finished epoch (the metric is the pretraining loss on the held-out rows).</summary>
    public IProgress<EpochProgress>? Progress { get; init; }

    public CancellationToken CancellationToken { get; init; }

    /// <summary>What the last run did: epochs, best epoch, why it stopped, seconds.</summary>
    public string? Summary { get; private protected set; }

    private protected string Name => $"{Architecture.Name} pretraining";

    /// <summary>The training loop with these settings.</summary>
    private protected PretrainingLoop Loop(bool classification, string metric) =>
        new(Architecture, Options, classification, Name, metric) { Progress = Progress, CancellationToken = CancellationToken };
}
