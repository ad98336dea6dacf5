using MLPipelines.AutoML.Experiments;
using MLPipelines.AutoML.Trials;

namespace MLPipelines.AutoML.Tests.Experiments;

/// <summary>What a contender found late needs to catch up with the repetitions of k-fold the others have.</summary>
public sealed class VerdictRepeatsTests
{
    /// <summary>A completed trial with <paramref name="repeats"/> repetitions of 3-fold, each fold fitted in <paramref name="fit"/> s and predicted in 0.5 s.</summary>
    private static TrialRecord Trial(int number, int repeats, double fit) =>
        new(number, "XGBoost", ModelFamily.Classical, null, 7, TrialStatus.Completed, 0, null,
            Enumerable.Range(1, 3 * repeats).Select(f => new FoldRecord(f, 0.8, fit, 0.5, true, null, null, null)).ToList());

    [Fact]
    public void A_contender_behind_the_others_costs_its_missing_repetitions_at_its_own_search_folds_cost()
    {
        // The others reached 4 repetitions; the newcomer has 1 and costs 3 × (2 + 0.5) = 7.5 s a repetition: 3 more to catch up.
        var trials = new[] { Trial(1, 4, 1), Trial(2, 4, 3), Trial(3, 1, 2) };

        Assert.Equal(3 * 7.5, VerdictRepeats.CatchUpCost(trials, folds: 3, repeats: 10), 9);
    }

    [Fact]
    public void Nothing_to_catch_up_where_all_have_the_same_repetitions()
    {
        Assert.Equal(0, VerdictRepeats.CatchUpCost([Trial(1, 2, 1), Trial(2, 2, 3)], folds: 3, repeats: 10));
        Assert.Equal(0, VerdictRepeats.CatchUpCost([], folds: 3, repeats: 10));
    }
}
