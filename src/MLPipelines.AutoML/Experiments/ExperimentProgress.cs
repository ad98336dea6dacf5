using MLPipelines.AutoML.Trials;
using MLPipelines.Deep.Training;

namespace MLPipelines.AutoML.Experiments;

/// <summary>What a running experiment reports; <see cref="Spent"/> counts the budget used so far, earlier runs of a resumed experiment included.</summary>
public abstract record ExperimentProgress(TimeSpan Spent);

/// <summary>Trials read back from the store of an interrupted experiment.</summary>
public sealed record ExperimentResumed(TimeSpan Spent, IReadOnlyList<TrialRecord> Trials) : ExperimentProgress(Spent);

public sealed record TrialStarted(TimeSpan Spent, TrialRecord Trial, TimeSpan? FoldTimeLimit) : ExperimentProgress(Spent);

public sealed record TrialEpoch(TimeSpan Spent, int Trial, string Candidate, int Fold, EpochProgress Epoch) : ExperimentProgress(Spent);

public sealed record TrialFoldFinished(TimeSpan Spent, int Trial, string Candidate, FoldRecord Fold) : ExperimentProgress(Spent);

public sealed record TrialFinished(TimeSpan Spent, TrialRecord Trial) : ExperimentProgress(Spent);

/// <summary>The search is over: a contender of the verdict is scored on another repetition of k-fold.</summary>
public sealed record VerdictRepeat(TimeSpan Spent, TrialRecord Trial, int Repeat) : ExperimentProgress(Spent);

/// <summary>The search is over; the finalists are being refitted on all rows.</summary>
public sealed record Refitting(TimeSpan Spent, string Candidate) : ExperimentProgress(Spent);
