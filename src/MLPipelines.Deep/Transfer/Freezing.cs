using MLPipelines.Deep.Networks;
using MLPipelines.Deep.Options;

namespace MLPipelines.Deep.Transfer;

/// <summary>
/// Which parameters of a fine-tuned network train in each epoch (<see cref="FineTuningMode"/>), and
/// at what fraction of the learning rate. A frozen parameter does not require a gradient, so it
/// gets none and the optimizer leaves it (and its weight decay) alone; a frozen part also runs as it
/// does at prediction, so its batch norm keeps the checkpoint's statistics (otherwise they would drift
/// to the target's batches while the weights beside them stay fixed). Disposing unfreezes all.
/// </summary>
internal sealed class Freezing : IDisposable
{
    private readonly TabularNetwork _network;
    private readonly FineTuningOptions _options;

    /// <summary>The body's top-level parts (first name segment), from the head down to the input: the order gradual unfreezing follows.</summary>
    private readonly string[] _partsFromTop;

    public Freezing(TabularNetwork network, FineTuningOptions options)
    {
        _network = network;
        _options = options;
        _partsFromTop = network.NamedParameters().Select(p => p.Name).Where(n => !network.IsHead(n)).Select(Part).Distinct().Reverse().ToArray();
    }

    /// <summary>The learning-rate factor of a parameter: 1 for the head, the encoder's factor for the body (nothing is frozen for ever in full fine-tuning).</summary>
    public double LearningRateFactor(string name) =>
        _network.IsHead(name) || _options.Mode == FineTuningMode.HeadOnly ? 1.0 : _options.EncoderLearningRateFactor;

    /// <summary>Sets what trains in <paramref name="epoch"/> (1-based); called after the network is put in training mode.</summary>
    public void BeginEpoch(int epoch)
    {
        var training = TrainingParts(epoch).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, parameter) in _network.NamedParameters())
            parameter.RequiresGrad = _network.IsHead(name) || training.Contains(Part(name));
        foreach (var (name, part) in _network.NamedChildren())
            if (_partsFromTop.Contains(name) && !training.Contains(name)) part.Eval();
    }

    /// <summary>The body's parts that train in <paramref name="epoch"/> (1-based): all, none, or one more per epoch from the top.</summary>
    public IReadOnlyList<string> TrainingParts(int epoch) => _options.Mode switch
    {
        FineTuningMode.Full => _partsFromTop,
        FineTuningMode.HeadOnly => [],
        _ => _partsFromTop.Take(Math.Clamp(epoch - 1, 0, _partsFromTop.Length)).ToArray(),
    };

    private static string Part(string name) => name.Split('.')[0];

    public void Dispose()
    {
        foreach (var (_, parameter) in _network.NamedParameters()) parameter.RequiresGrad = true;
    }
}
