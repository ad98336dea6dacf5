using MLPipelines.Deep.Options;
using MLPipelines.Torch;

namespace MLPipelines.Deep.Training;

/// <summary>
/// The thread split of one fit or one prediction: the cores the process gives libtorch now
/// (intra-op × BLAS threads) are rearranged as the model's <see cref="ThreadSplit"/> asks, and
/// put back as they were when the scope ends. Why: a matrix product runs fastest on BLAS
/// threads, element-wise kernels only on libtorch's, and which dominates depends on the model
/// (see the epoch and prediction benchmarks). The split is process-wide, like libtorch's threads.
/// </summary>
internal sealed class ThreadSplitScope : IDisposable
{
    /// <summary>Held by the prediction that has rearranged the threads, so that concurrent predictions do not restore each other's split.</summary>
    private static readonly Lock PredictionGate = new();

    private readonly int _intraOp;
    private readonly int? _blas;
    private readonly bool _holdsGate;

    private ThreadSplitScope(int intraOp, int? blas, bool holdsGate)
    {
        _intraOp = intraOp;
        _blas = blas;
        _holdsGate = holdsGate;
    }

    /// <summary>The split of a fit: in mixed precision oneDNN multiplies the matrices on libtorch's threads, so OpenBLAS gets none.</summary>
    public static ThreadSplitScope ForTraining(DeepModelOptions options, bool mixedPrecision) =>
        Apply(options.Threads != ThreadSplit.Auto ? options.Threads : mixedPrecision ? ThreadSplit.Libtorch : options.FastestThreadSplit, holdsGate: false);

    /// <summary>
    /// The split of a prediction: <see cref="ThreadSplit.Blas"/> unless the options fix another, since without a backward
    /// pass the matrix products dominate (scripts/benchmark.sh deep-predict, 2 cores: every model as fast or faster so).
    /// Null, leaving the threads as they are, when another prediction holds them: predictions use every core each, so
    /// the second loses nothing that matters on the first one's split.
    /// </summary>
    public static ThreadSplitScope? ForPrediction(DeepModelOptions options)
    {
        if (!PredictionGate.TryEnter()) return null;
        return Apply(options.Threads != ThreadSplit.Auto ? options.Threads : ThreadSplit.Blas, holdsGate: true);
    }

    private static ThreadSplitScope Apply(ThreadSplit split, bool holdsGate)
    {
        var current = new ThreadSplitScope(TorchRuntime.NumThreads, TorchRuntime.BlasThreads, holdsGate);
        if (current._blas is not { } blas) return current;    // no BLAS thread control: nothing to split
        var cores = current._intraOp * blas;
        if (split == ThreadSplit.Blas) TorchRuntime.SetThreads(1, cores);
        else TorchRuntime.SetThreads(cores, 1);
        return current;
    }

    public void Dispose()
    {
        if (_blas is { } blas) TorchRuntime.SetThreads(_intraOp, blas);
        if (_holdsGate) PredictionGate.Exit();
    }
}
