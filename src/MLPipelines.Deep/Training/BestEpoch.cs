using System.Globalization;
using MLPipelines.Torch.NN;

namespace MLPipelines.Deep.Training;

/// <summary>
/// The best epoch of a fit by its validation value (lower is better): the network's weights are copied when it
/// happens and put back when the fit ends. Every trainer's early stopping keeps one.
/// </summary>
public sealed class BestEpoch(Module network) : IDisposable
{
    private StateDict? _weights;

    /// <summary>The best epoch so far (0 before any).</summary>
    public int Epoch { get; private set; }

    /// <summary>Its validation value (+∞ before any).</summary>
    public double Value { get; private set; } = double.PositiveInfinity;

    /// <summary>Whether any epoch was offered (the fit had validation rows).</summary>
    public bool Kept => _weights is not null;

    /// <summary>Records an epoch's validation value; copies the weights when it is the best so far (or the first).</summary>
    public void Offer(int epoch, double value)
    {
        if (value >= Value && _weights is not null) return;
        (Value, Epoch) = (value, epoch);
        _weights?.Dispose();
        _weights = network.StateDict();
    }

    /// <summary>
    /// Puts the best epoch's weights back (when an epoch was offered; otherwise the last epoch counts as the best)
    /// and sets evaluation mode. Returns the best epoch.
    /// </summary>
    public int Restore(int lastEpoch)
    {
        if (_weights is not null) network.LoadStateDict(_weights);
        else Epoch = lastEpoch;
        network.Eval();
        return Epoch;
    }

    /// <summary>How a fit that ran out of time says so.</summary>
    public static string TimeLimitReason(TimeSpan limit) => $"time limit ({limit.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s)";

    public void Dispose() => _weights?.Dispose();
}
