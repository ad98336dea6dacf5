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

    /// <summary>
    /// How many trials the members were selected among: the best of each family scored on every fold the verdict
    /// pairs (where repetitions scored the champions alone, those two).
    /// </summary>
    public int LibrarySize { get; init; }

    /// <summary>"the ensemble was selected from the 2 trials scored on these folds (at most the best 5 of each family)".</summary>
    public string DescribeLibrary() =>
        $"the ensemble was selected from the {LibrarySize} trial{(LibrarySize == 1 ? "" : "s")} scored on these folds (at most the best {CrossFittedEnsemble.TrialsPerFamily} of each family)";

    /// <summary>The ensemble as the verdict weighs it on <paramref name="folds"/>: every member is fitted and predicts, so their costs add up.</summary>
    public Contender Contender(VerdictFolds folds) => new(Name, ModelFamily.Ensemble, folds.Take(FoldScores),
        Members.Sum(m => m.Trial.Folds.Average(f => f.FitSeconds)), Members.Sum(m => m.Trial.Folds.Average(f => f.PredictSeconds)));
}
