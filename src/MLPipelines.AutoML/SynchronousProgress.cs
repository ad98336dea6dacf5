namespace MLPipelines.AutoML;

/// <summary>An IProgress that reports on the calling thread, in order (the framework's Progress&lt;T&gt; posts to the thread pool).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
