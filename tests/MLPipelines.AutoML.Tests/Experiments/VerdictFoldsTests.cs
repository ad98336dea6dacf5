using MLPipelines.AutoML.Experiments;

namespace MLPipelines.AutoML.Tests.Experiments;

/// <summary>The verdict's folds: the search's ones are left out once two new repetitions of k-fold ran.</summary>
public sealed class VerdictFoldsTests
{
    [Theory]
    [InlineData(1, 1, 5, "the 5 folds of repetition 1 of 5-fold (the search's, where the champions were chosen)")]
    [InlineData(2, 1, 10, "the 10 folds of repetitions 1–2 of 5-fold (the first is the search's, where the champions were chosen)")]
    [InlineData(3, 2, 10, "the 10 folds of repetitions 2–3 of 5-fold (new splits: the champions were chosen on the first)")]
    [InlineData(10, 2, 45, "the 45 folds of repetitions 2–10 of 5-fold (new splits: the champions were chosen on the first)")]
    public void The_search_folds_are_left_out_once_two_new_repetitions_ran(int repeats, int first, int count, string described)
    {
        var folds = VerdictFolds.For(repeats, 5);

        Assert.Equal(first, folds.First);
        Assert.Equal(repeats, folds.Last);
        Assert.Equal(count, folds.Count);
        Assert.Equal(described, folds.Describe());
    }

    [Fact]
    public void Take_picks_the_verdict_folds_out_of_every_fold_in_order()
    {
        var scores = Enumerable.Range(1, 9).Select(i => (double)i).ToList();

        Assert.Equal([4.0, 5, 6, 7, 8, 9], VerdictFolds.For(3, 3).Take(scores));
        Assert.Equal([1.0, 2, 3, 4, 5, 6], VerdictFolds.For(2, 3).Take(scores));
    }
}
