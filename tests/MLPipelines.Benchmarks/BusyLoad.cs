namespace MLPipelines.Benchmarks;

/// <summary>
/// Other work sharing the cores, for a benchmark that runs its sides in child processes: threads
/// of the benchmark's own process that spin until disposed (as `yes &gt;/dev/null` loops would).
/// A shared machine — CI, a laptop, a server — rarely gives a training run every core to itself.
/// </summary>
public sealed class BusyLoad : IDisposable
{
    private readonly List<Thread> _threads = [];
    private volatile bool _stop;

    private BusyLoad(int threads)
    {
        for (var i = 0; i < threads; i++)
        {
            var thread = new Thread(Spin) { IsBackground = true, Name = $"busy load {i + 1}" };
            thread.Start();
            _threads.Add(thread);
        }
    }

    /// <summary>Starts <paramref name="threads"/> spinning threads (none for 0).</summary>
    public static BusyLoad Start(int threads) => new(threads);

    private void Spin()
    {
        var x = 0UL;
        while (!_stop) x = x * 6364136223846793005UL + 1442695040888963407UL;
        GC.KeepAlive(x);
    }

    public void Dispose()
    {
        _stop = true;
        foreach (var thread in _threads) thread.Join();
    }
}
