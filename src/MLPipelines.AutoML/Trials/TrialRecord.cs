namespace MLPipelines.AutoML.Trials;

/// <summary>Where a trial ended.</summary>
public enum TrialStatus
{
    /// <summary>Started and not finished: after a crash, such a trial is run again.</summary>
    Running,

    /// <summary>Every fold scored.</summary>
    Completed,

    /// <summary>Stopped after its first fold: clearly behind the best trial of its family.</summary>
    Pruned,

    /// <summary>A fold threw; the error is the trial's note.</summary>
    Failed,

    /// <summary>Stopped because the experiment's time budget ran out.</summary>
    OverBudget,
}

/// <summary>
/// One candidate with one configuration evaluated on the experiment's folds. The
/// configuration is JSON (null: the candidate's defaults).
/// </summary>
public sealed record TrialRecord(int Number, string Candidate, ModelFamily Family, string? Configuration, int Seed, TrialStatus Status,
    double Seconds, string? Note, IReadOnlyList<FoldRecord> Folds)
{
    public bool IsFinished => Status != TrialStatus.Running;

    /// <summary>The per-fold metrics, when every fold was scored.</summary>
    public IReadOnlyList<double>? FoldScores(int folds) =>
        Status == TrialStatus.Completed && Folds.Count == folds && Folds.All(f => f.Metric is not null) ? Folds.OrderBy(f => f.Fold).Select(f => f.Metric!.Value).ToList() : null;

    public double? Mean(int folds) => FoldScores(folds)?.Average();
}

/// <summary>
/// One fold of a trial: its metric, fit and predict seconds, whether training reached its own
/// stopping point (false: a deep model stopped by its time limit), a note (epochs, stopping
/// reason), an estimate of the seconds a converged fit would take, and the held-out rows'
/// predictions in the fold's row order (rows × width floats: the score for regression, the
/// probability of the positive class for binary, the class probabilities for multiclass).
/// A deep model's fold also keeps its learning curve: its validation loss after each epoch.
/// </summary>
public sealed record FoldRecord(int Fold, double? Metric, double FitSeconds, double PredictSeconds, bool Converged, string? Note,
    double? ConvergedFitSeconds, float[]? Predictions)
{
    /// <summary>The validation loss after each epoch, as the deep trainer measures it to choose its best epoch (log-loss, or RMSE of the standardized target); null for other models.</summary>
    public float[]? LearningCurve { get; init; }
}
