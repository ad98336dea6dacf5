namespace MLPipelines.AutoML.Verdicts;

/// <summary>
/// A model the verdict weighs: its score on each fold (the same folds, in the same order, for
/// every contender), its mean fit and predict seconds per fold, and whether it was trained to
/// its own stopping point. A deep model stopped by the budget (<paramref name="Converged"/>
/// false) is chosen only where it wins all the same, else not judged; <paramref name="NeededSeconds"/> is the least budget it would need, estimated from the
/// epochs its early stopping would have run at least (its best epoch can still move on) at its epoch time.
/// </summary>
public sealed record Contender(string Name, ModelFamily Family, IReadOnlyList<double> FoldScores, double FitSeconds, double PredictSeconds,
    bool Converged = true, double? NeededSeconds = null)
{
    public double Mean => FoldScores.Average();
}
