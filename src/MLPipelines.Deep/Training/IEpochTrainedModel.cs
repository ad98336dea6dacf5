namespace MLPipelines.Deep.Training;

/// <summary>
/// A model trained in epochs (the tabular deep models, the image classifiers): how its training ended, which a
/// comparison notes beside the score, and how many epochs a fit that no time limit stopped would have taken, from
/// which an experiment estimates a converged fit's cost (a verdict does not judge a model cut short).
/// </summary>
public interface IEpochTrainedModel
{
    int EpochsTrained { get; }

    /// <summary>The epoch whose weights the model kept.</summary>
    int BestEpoch { get; }

    /// <summary>Why training stopped: "max epochs", "no improvement for 16 epochs", "time limit (20 s)", ...</summary>
    string StoppedBy { get; }

    /// <summary>The epochs a fit would have trained at least had no time limit stopped it: its patience past the best epoch, or its whole schedule without early stopping.</summary>
    int EpochsToConverge { get; }

    /// <summary>Whether the training forward passes ran in bfloat16 (the same options give other figures on a CPU with or without it).</summary>
    bool MixedPrecision { get; }
}
