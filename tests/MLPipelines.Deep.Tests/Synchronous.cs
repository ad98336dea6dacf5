namespace MLPipelines.Deep.Tests;

/// <summary>Reports on the training thread, as it happens (<see cref="Progress{T}"/> posts to the thread pool, so reports could arrive after the fit).</summary>
internal sealed class Synchronous<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
