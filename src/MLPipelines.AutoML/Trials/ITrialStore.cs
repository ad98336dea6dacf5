namespace MLPipelines.AutoML.Trials;

/// <summary>
/// Where an experiment's trials are kept as they finish, so that a crashed or cancelled
/// experiment resumes where it stopped: finished trials are read back and not rerun; a trial
/// that was running is discarded and run again. Every write is durable when the call returns.
/// The interface is small and row-shaped so that a shared database (PostgreSQL) can back
/// experiments spread over several machines later.
/// </summary>
public interface ITrialStore : IDisposable
{
    /// <summary>
    /// Opens the experiment: a new store records <paramref name="settings"/> (JSON); a store
    /// that holds an experiment with other settings throws <see cref="TrialStoreException"/>.
    /// Returns the finished trials, in order of their numbers; unfinished trials are dropped.
    /// </summary>
    IReadOnlyList<TrialRecord> Open(string settings);

    /// <summary>Records a trial as running (its folds empty).</summary>
    void Begin(TrialRecord trial);

    /// <summary>Records a finished fold of a running trial.</summary>
    void AddFold(int trial, FoldRecord fold);

    /// <summary>Records how a trial ended.</summary>
    void Finish(int trial, TrialStatus status, double seconds, string? note);
}

/// <summary>A store that cannot be used: another experiment's file, a corrupt file, a file that cannot be written.</summary>
public sealed class TrialStoreException(string message, Exception? inner = null) : Exception(message, inner);
