namespace MLPipelines.AutoML.Trials;

/// <summary>Keeps trials in memory only: for experiments that need not survive the process.</summary>
public sealed class InMemoryTrialStore : ITrialStore
{
    private readonly SortedDictionary<int, TrialRecord> _trials = [];
    private string? _settings;

    public IReadOnlyList<TrialRecord> Open(string settings)
    {
        if (_settings is not null && _settings != settings) throw new TrialStoreException("this store holds an experiment with other settings");
        _settings = settings;
        foreach (var running in _trials.Values.Where(t => !t.IsFinished).ToList()) _trials.Remove(running.Number);
        return _trials.Values.ToList();
    }

    public void Begin(TrialRecord trial) => _trials[trial.Number] = trial with { Status = TrialStatus.Running, Folds = [] };

    public void AddFold(int trial, FoldRecord fold) => _trials[trial] = _trials[trial] with { Folds = [.. _trials[trial].Folds, fold] };

    public void Finish(int trial, TrialStatus status, double seconds, string? note) =>
        _trials[trial] = _trials[trial] with { Status = status, Seconds = seconds, Note = note };

    public void Dispose()
    {
    }
}
