namespace MLPipelines.AutoML.Verdicts;

/// <summary>What the verdict chose.</summary>
public enum VerdictOutcome
{
    /// <summary>The best classical model: deep was not better by a significant margin beyond the equivalence region.</summary>
    Classical,

    /// <summary>The best deep model: better than the classical champion with p &lt; α and by more than the margin.</summary>
    Deep,

    /// <summary>The ensemble of both families, under the same rule.</summary>
    Ensemble,

    /// <summary>The classical champion, because no deep model could be judged: the best one was stopped by the budget before its stopping point (and did not win all the same), or none succeeded.</summary>
    DeepNotJudged,
}

/// <summary>
/// α of the test and the region of practical equivalence: a difference smaller than
/// <see cref="RelativeMargin"/> of the classical champion's score does not count, however
/// significant. Defaults: α = 0.05, margin 0.5%.
/// </summary>
public sealed record VerdictSettings(double Alpha = 0.05, double RelativeMargin = 0.005)
{
    public void Validate()
    {
        if (Alpha is <= 0 or >= 1) throw new ArgumentException($"alpha must lie in (0, 1), got {Alpha}");
        if (RelativeMargin < 0 || double.IsNaN(RelativeMargin)) throw new ArgumentException($"the margin must be 0 or more, got {RelativeMargin}");
    }
}

/// <summary>One challenger against the classical champion: the paired test of its improvement and whether it passed the rule.</summary>
public sealed record Challenge(Contender Challenger, PairedTestResult Test, bool Significant, bool BeyondMargin)
{
    public bool Wins => Significant && BeyondMargin;
}

/// <summary>The decision, the numbers behind it, and one plain sentence that says why.</summary>
public sealed record Verdict(VerdictOutcome Outcome, Contender Champion, Contender Classical, Challenge? Deep, Challenge? Ensemble,
    double Margin, TaskMetric Metric, VerdictSettings Settings, string Sentence);

/// <summary>
/// The rule: the deep champion replaces the classical one only if its per-fold improvement
/// (oriented so that positive means better) passes the corrected resampled t-test
/// (<see cref="CorrectedResampledTTest"/>) at α <b>and</b> its mean exceeds the margin. An
/// ensemble of both families is a third contender under the same rule; when both pass, the
/// ensemble must also beat the deep model by the rule, else the deep one (cheaper to predict)
/// is chosen. A deep model that did not reach its stopping point is chosen where it wins all the
/// same (its folds score it as it is refitted: within a time limit in the same proportion), and
/// is otherwise not judged: more time might have made it win.
/// </summary>
public static class VerdictRule
{
    // noDeepReason: why there is no deep contender when deep is null (default: none succeeded).
    public static Verdict Decide(Contender classical, Contender? deep, Contender? ensemble, TaskMetric metric, double testToTrainRatio, VerdictSettings? settings = null,
        string? noDeepReason = null)
    {
        settings ??= new VerdictSettings();
        settings.Validate();
        var margin = settings.RelativeMargin * Math.Abs(classical.Mean);
        if (deep is null)
            return new Verdict(VerdictOutcome.DeepNotJudged, classical, classical, null, null, margin, metric, settings,
                $"Deep not judged: {noDeepReason ?? "no deep model succeeded"}; {classical.Name} is the champion ({Score(metric, classical)}).");
        var deepChallenge = Challenge(classical, deep, metric, testToTrainRatio, margin, settings);
        if (!deep.Converged)
        {
            if (!deepChallenge.Wins)
            {
                var needed = deep.NeededSeconds is { } seconds ? $"; at least {Duration(seconds)} would be needed here" : "";
                // How it stood as it was: a near miss reads differently from a clear loss.
                return new Verdict(VerdictOutcome.DeepNotJudged, classical, classical, null, null, margin, metric, settings,
                    $"Deep not judged: budget too small — {deep.Name} was stopped by the budget before it converged{needed}; " +
                    $"as it was, {Why(deep, classical, metric, deepChallenge, margin, settings)}; {classical.Name} is the champion ({Score(metric, classical)}).");
            }
            // A winner all the same; an ensemble is weighed only beside a deep model that converged.
            ensemble = null;
        }

        var ensembleChallenge = ensemble is null ? null : Challenge(classical, ensemble, metric, testToTrainRatio, margin, settings);
        if (ensembleChallenge is { Wins: true } && (!deepChallenge.Wins || Challenge(deep, ensemble!, metric, testToTrainRatio, margin, settings).Wins))
            return new Verdict(VerdictOutcome.Ensemble, ensemble!, classical, deepChallenge, ensembleChallenge, margin, metric, settings,
                $"Ensemble: {ensemble!.Name} beats {classical.Name} by {Difference(metric, ensembleChallenge.Test)}, more than the margin ({Number(margin)}).");
        if (deepChallenge.Wins)
            return new Verdict(VerdictOutcome.Deep, deep, classical, deepChallenge, ensembleChallenge, margin, metric, settings,
                $"Deep: {deep.Name} beats {classical.Name} by {Difference(metric, deepChallenge.Test)}, more than the margin ({Number(margin)})" +
                (deep.Converged ? "." : ", though the budget stopped it before it converged."));
        return new Verdict(VerdictOutcome.Classical, classical, classical, deepChallenge, ensembleChallenge, margin, metric, settings,
            $"Classical: {classical.Name} is kept — {Why(deep, classical, metric, deepChallenge, margin, settings)}.");
    }

    /// <summary>The improvement of <paramref name="challenger"/> over <paramref name="incumbent"/> per fold, tested.</summary>
    private static Challenge Challenge(Contender incumbent, Contender challenger, TaskMetric metric, double testToTrainRatio, double margin, VerdictSettings settings)
    {
        if (incumbent.FoldScores.Count != challenger.FoldScores.Count)
            throw new ArgumentException($"{challenger.Name} has {challenger.FoldScores.Count} fold scores and {incumbent.Name} {incumbent.FoldScores.Count}: a paired test needs the same folds");
        var sign = metric.HigherIsBetter ? 1 : -1;
        var improvements = challenger.FoldScores.Zip(incumbent.FoldScores, (c, i) => sign * (c - i)).ToList();
        var test = CorrectedResampledTTest.Test(improvements, testToTrainRatio, settings.Alpha);
        return new Challenge(challenger, test, test.PValue < settings.Alpha && test.MeanDifference > 0, test.MeanDifference > margin);
    }

    private static string Why(Contender deep, Contender classical, TaskMetric metric, Challenge challenge, double margin, VerdictSettings settings)
    {
        var test = challenge.Test;
        if (test.MeanDifference <= 0)
            return $"{deep.Name} is not better ({Difference(metric, test)})";
        if (!challenge.Significant)
            return $"{deep.Name} is better by {Difference(metric, test)}, but not significantly (α = {Number(settings.Alpha)})";
        return $"{deep.Name} is better by {Difference(metric, test)}, but inside the margin of practical equivalence ({Number(margin)}, {Number(settings.RelativeMargin * 100)}%)";
    }

    private static string Difference(TaskMetric metric, PairedTestResult test) =>
        $"{Number(test.MeanDifference)} {metric.Name} ({Number(100 * (1 - test.Alpha))}% CI {Number(test.ConfidenceLow)} to {Number(test.ConfidenceHigh)}, p = {PValue(test.PValue)})";

    private static string Score(TaskMetric metric, Contender contender) => $"{metric.Name} {Number(contender.Mean)}";

    public static string Number(double value) =>
        value.ToString(Math.Abs(value) switch
        {
            >= 100 => "0.0",
            >= 1 => "0.###",
            >= 0.001 or 0 => "0.####",
            // Two significant digits below a thousandth (accuracy 0.9999 against 0.99997 on Shuttle): four decimals would print 0.
            var tiny => "0." + new string('#', (int)Math.Ceiling(-Math.Log10(tiny)) + 1),
        }, System.Globalization.CultureInfo.InvariantCulture);

    public static string PValue(double p) => p < 0.001 ? "< 0.001" : p.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    public static string Duration(double seconds) => seconds switch
    {
        < 90 => $"{Math.Ceiling(seconds)} s",
        < 5400 => $"{Math.Ceiling(seconds / 60)} min",
        _ => $"{seconds / 3600:0.#} h",
    };
}
