using MLPipelines.AutoML.Experiments;
using MLPipelines.AutoML.Trials;
using MLPipelines.Trainers;

namespace MLPipelines.AutoML.Tests.Experiments;

/// <summary>What repetitions of k-fold cost, and which trials they score.</summary>
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

    [Fact]
    public void Reaching_a_number_of_repetitions_costs_each_trial_its_missing_ones()
    {
        // Trial 1 lacks 2 repetitions at 3 × (1 + 0.5) = 4.5 s, trial 2 lacks 1 at 10.5 s, trial 3 has them all.
        Assert.Equal(2 * 4.5 + 10.5, VerdictRepeats.CostToReach([Trial(1, 1, 1), Trial(2, 2, 3), Trial(3, 4, 2)], folds: 3, repeats: 3), 9);
    }

    [Theory]
    // The members cost 3 × (20 + 0.5) = 61.5 s a repetition; the two champions 3 × 1.5 = 4.5 s each. Two new repetitions of
    // all, with the 1.5 slack: 1.5 × 2 × (9 + 61.5) = 211.5 s; of the champions: 27 s.
    // One repetition: of all 1.5 × 70.5 = 105.75 s, of the champions 13.5 s.
    [InlineData(225, "all")]          // all fit
    [InlineData(200, "champions")]    // all do not, the champions do
    [InlineData(25, "champions")]     // neither reaches the new splits alone: one repetition of the champions fits, of all not
    [InlineData(10, "all")]           // no repetition fits: all, as the verdict weighs them
    [InlineData(null, "all")]         // no budget: as many as asked, of all
    public void The_champions_alone_are_repeated_where_the_room_holds_too_few_repetitions_of_all(int? roomSeconds, string expected)
    {
        var (champions, all) = ChampionsAndMember(repeats: 1);

        var scored = VerdictRepeats.Scored(all, champions, Settings(repeats: 10), roomSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null);

        Assert.Equal(expected == "all" ? all : champions, scored);
    }

    [Fact]
    public void All_are_repeated_where_they_have_the_repetitions_the_new_splits_need_whatever_the_room()
    {
        // Three repetitions each: the verdict pairs new splits already, and a repetition of the champions alone would cost the
        // ensemble its members (the next one's library holds only the trials with it).
        var (champions, all) = ChampionsAndMember(repeats: 3);

        Assert.Equal(all, VerdictRepeats.Scored(all, champions, Settings(repeats: 10), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Where_no_more_than_two_repetitions_are_asked_all_are_repeated_where_their_repetition_fits()
    {
        // The verdict keeps the search's folds with two repetitions whatever is repeated: the members' repetition is not given
        // up for nothing (all: 105.75 s); where it does not fit, the champions' (13.5 s) still adds a split.
        var (champions, all) = ChampionsAndMember(repeats: 1);

        Assert.Equal(all, VerdictRepeats.Scored(all, champions, Settings(repeats: 2), TimeSpan.FromSeconds(200)));
        Assert.Equal(champions, VerdictRepeats.Scored(all, champions, Settings(repeats: 2), TimeSpan.FromSeconds(50)));
    }

    [Fact]
    public void Members_behind_the_champions_are_brought_to_their_repetitions_where_that_fits_and_the_new_splits_do_not()
    {
        // The champions were repeated alone once (a repetition of all did not fit then); now the members' catch-up to the
        // champions' 2 repetitions costs 1.5 × 61.5 = 92.25 s, the champions' third 13.5 s, three for all 1.5 × (2 × 61.5 + 2 × 4.5) = 198 s.
        var champions = new[] { Trial(1, 2, 1), Trial(2, 2, 1) };
        var all = champions.Append(Trial(3, 1, 20)).ToList();

        Assert.Equal(champions, VerdictRepeats.Scored(all, champions, Settings(repeats: 10), TimeSpan.FromSeconds(100)));   // the champions reach 3
        Assert.Equal(all, VerdictRepeats.Scored(all, champions, Settings(repeats: 2), TimeSpan.FromSeconds(100)));          // 2 asked: the members catch up
    }

    /// <summary>Two champions fitted in 1 s a fold and an ensemble member in 20 s, each with <paramref name="repeats"/> repetitions of 3-fold.</summary>
    private static (TrialRecord[] Champions, List<TrialRecord> All) ChampionsAndMember(int repeats)
    {
        var champions = new[] { Trial(1, repeats, 1), Trial(2, repeats, 1) };
        return (champions, champions.Append(Trial(3, repeats, 20)).ToList());
    }

    private static ExperimentSettings Settings(int repeats) => new("y", PredictionTask.Regression) { Folds = 3, Repeats = repeats, MaxTrials = 10 };
}
