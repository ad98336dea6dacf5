using MLPipelines.Deep.Options;
using MLPipelines.Torch;

namespace MLPipelines.Deep.Training;

/// <summary>
/// The thread split of one fit: the cores the process gives libtorch now (intra-op × BLAS
/// threads) are rearranged as the model's <see cref="ThreadSplit"/> asks, and put back as they
/// were when the fit ends. Why: a matrix product runs fastest on BLAS threads, element-wise
/// kernels only on libtorch's, and which dominates depends on the model (see the epoch benchmark).
/// </summary>
internal sealed class TrainingThreads : IDisposable
{
    private readonly int _intraOp;
    private readonly int? _blas;

    private TrainingThreads(int intraOp, int? blas)
    {
        _intraOp = intraOp;
        _blas = blas;
    }

    public static TrainingThreads Apply(DeepModelOptions options, bool mixedPrecision)
    {
        var current = new TrainingThreads(TorchRuntime.NumThreads, TorchRuntime.BlasThreads);
        if (current._blas is not { } blas) return current;    // no BLAS thread control: nothing to split
        var cores = current._intraOp * blas;
        // In mixed precision oneDNN multiplies the matrices, on libtorch's threads: OpenBLAS has nothing left to do.
        var split = options.Threads != ThreadSplit.Auto ? options.Threads
            : mixedPrecision ? ThreadSplit.Libtorch : options.FastestThreadSplit;
        if (split == ThreadSplit.Blas) TorchRuntime.SetThreads(1, cores);
        else TorchRuntime.SetThreads(cores, 1);
        return current;
    }

    public void Dispose()
    {
        if (_blas is { } blas) TorchRuntime.SetThreads(_intraOp, blas);
    }
}
