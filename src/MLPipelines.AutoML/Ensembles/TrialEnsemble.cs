using MLPipelines.AutoML.Experiments;
using MLPipelines.AutoML.Trials;
using MLPipelines.AutoML.Verdicts;

namespace MLPipelines.AutoML.Ensembles;

/// <summary>A trial of the ensemble and its weight (the share of selection steps that chose it).</summary>
public sealed record EnsembleMember(TrialRecord Trial, double Weight);

/// <summary>
/// A weighted ensemble of trials (<see cref="CrossFittedEnsemble"/>): its members, the score it
/// got on each fold when its weights were chosen without that fold, and the members' cost.
/// </summary>
public sealed record TrialEnsemble(IReadOnlyList<EnsembleMember> Members, IReadOnlyList<double> FoldScores)
{
    /// <summary>"Ensemble of XGBoost #12 (0.6) and MLP (0.4)".</summary>
    public string Name => "Ensemble of " + string.Join(", ", Members.Select(m => $"{TabularExperiment.Label(m.Trial)} ({m.Weight:0.##})"));

    public double Mean => FoldScores.Average();

    /// <summary>The ensemble as the verdict weighs it on <paramref name="folds"/>: every member is fitted and predicts, so their costs add up.</summary>
    public Contender Contender(VerdictFolds folds) => new(Name, ModelFamily.Ensemble, folds.Take(FoldScores),
        Members.Sum(m => m.Trial.Folds.Average(f => f.FitSeconds)), Members.Sum(m => m.Trial.Folds.Average(f => f.PredictSeconds)));
}
