namespace MLPipelines.AutoML.Trials;

/// <summary>Where a trial ended.</summary>
public enum TrialStatus
{
    /// <summary>Started and not finished: after a crash, such a trial is run again.</summary>
    Running,

    /// <summary>Every fold scored.</summary>
    Completed,

    /// <summary>Stopped in its first fold by successive halving, or after it: clearly behind (the note says which).</summary>
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

    /// <summary>
    /// Whether every one of the search's <paramref name="folds"/> trained to its own stopping point.
    /// A repetition's fold cut short by its time limit is scored as it is, but does not unsay
    /// that the budget lets this configuration converge.
    /// </summary>
    public bool Converged(int folds) => Folds.Where(f => f.Fold <= folds).All(f => f.Converged);

    /// <summary>The per-fold metrics of the search's folds, when every one was scored.</summary>
    public IReadOnlyList<double>? FoldScores(int folds) => RepeatedFoldScores(folds, 1);

    /// <summary>
    /// The per-fold metrics of the first <paramref name="repeats"/> repetitions of k-fold, when
    /// every fold was scored: the search's folds are 1…k, a repetition the verdict asked for
    /// (<see cref="Experiments.ExperimentSettings.Repeats"/>) adds folds k+1…2k on another split, and so on.
    /// </summary>
    public IReadOnlyList<double>? RepeatedFoldScores(int folds, int repeats)
    {
        if (Status != TrialStatus.Completed) return null;
        var scored = Folds.Where(f => f.Fold <= folds * repeats && f.Metric is not null).OrderBy(f => f.Fold).ToList();
        return scored.Count == folds * repeats ? scored.Select(f => f.Metric!.Value).ToList() : null;
    }

    /// <summary>How many of the first <paramref name="repeats"/> repetitions of k-fold were scored in full (1 at least: the search's folds are counted as one).</summary>
    public int RepeatsScored(int folds, int repeats) => Enumerable.Range(1, repeats).Last(r => r == 1 || RepeatedFoldScores(folds, r) is not null);

    /// <summary>The seconds the search's folds would take trained to their own stopping points (<see cref="FoldRecord.ConvergedSeconds"/>).</summary>
    public double ConvergedSeconds(int folds) => Folds.Where(f => f.Fold <= folds).Sum(f => f.ConvergedSeconds);

    /// <summary>The mean over the search's folds: what the leaderboard ranks by.</summary>
    public double? Mean(int folds) => FoldScores(folds)?.Average();
}

/// <summary>
/// One fold of a trial (numbered from 1; folds past k belong to repetitions of k-fold): its metric, fit and predict seconds, whether training reached its own
/// stopping point (false: a deep model stopped by its time limit), a note (epochs, stopping
/// reason), an estimate of the seconds a converged fit would take, and the held-out rows'
/// predictions in the fold's row order (rows × width floats: the score for regression, the
/// probability of the positive class for binary, the class probabilities for multiclass).
/// A deep model's fold also keeps its learning curve: its validation loss after each epoch
/// (XGBoost's boosted trees: after each round). A fold pruned by successive halving has no
/// metric, only its curve up to the rung where it was stopped.
/// </summary>
public sealed record FoldRecord(int Fold, double? Metric, double FitSeconds, double PredictSeconds, bool Converged, string? Note,
    double? ConvergedFitSeconds, float[]? Predictions)
{
    /// <summary>The validation loss after each epoch, as the deep trainer measures it to choose its best epoch (log-loss, or RMSE of the standardized target), or after each round of XGBoost's boosted trees (its eval_metric: rmse, logloss, mlogloss; a metric better higher would be kept negated, so that lower is always better); null for other models.</summary>
    public float[]? LearningCurve { get; init; }

    /// <summary>The seconds this fold would take trained to its own stopping point: the converged fit's estimate (or the fit) and the prediction.</summary>
    public double ConvergedSeconds => (ConvergedFitSeconds ?? FitSeconds) + PredictSeconds;
}
