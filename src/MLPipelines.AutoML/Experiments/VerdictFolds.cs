namespace MLPipelines.AutoML.Experiments;

/// <summary>
/// The repetitions of k-fold the verdict pairs its contenders on: <see cref="First"/> to
/// <see cref="Last"/>, k folds each. The family champions were chosen as the best of their
/// trials on the search's folds (the first repetition), so their scores there are optimistic,
/// the more so the more trials a family ran: selection bias, the winner's curse of model
/// selection (Cawley and Talbot 2010, "On over-fitting in model selection and subsequent
/// selection bias in performance evaluation"). On letters N–Z with 10 labeled rows per class, a
/// LightGbm tuned over ~50 trials was kept against the fine-tuned MLP on those folds and one new
/// split's (p = 0.47) though on the held-out rows it was worse than LightGbm's defaults and 13%
/// behind the MLP; given 10 minutes, the best of 150 LightGbm trials scored 0.708 on the search's
/// folds and 0.667 on six new splits. So once <see cref="NewRepeatsNeeded"/> new repetitions ran, the verdict pairs the
/// contenders on them alone: new splits, on which nothing was chosen. With fewer it keeps the
/// search's folds as well: one new repetition alone gives k pairs (k − 1 degrees of freedom),
/// too few for the test to find a real difference.
/// </summary>
public sealed record VerdictFolds(int First, int Last, int Folds)
{
    /// <summary>Two: 2k pairs, as many as the search's folds and one new repetition give together.</summary>
    public const int NewRepeatsNeeded = 2;

    /// <summary>The folds for contenders that all have the first <paramref name="repeats"/> repetitions of k-fold.</summary>
    public static VerdictFolds For(int repeats, int folds) => new(repeats > NewRepeatsNeeded ? 2 : 1, repeats, folds);

    /// <summary>Whether the search's folds, where the champions were chosen, are left out.</summary>
    public bool ExcludeSearch => First > 1;

    /// <summary>The folds before the verdict's: the search's, when it leaves them out.</summary>
    private int Skipped => (First - 1) * Folds;

    /// <summary>The pairs the test gets.</summary>
    public int Count => (Last - First + 1) * Folds;

    /// <summary>Whether the fold numbered <paramref name="fold"/> (from 1, repetition after repetition) is one of the verdict's.</summary>
    public bool Holds(int fold) => fold > Skipped && fold <= Last * Folds;

    /// <summary>The verdict's scores out of every fold's, in fold order from the first repetition.</summary>
    public IReadOnlyList<double> Take(IReadOnlyList<double> scores) => scores.Skip(Skipped).Take(Count).ToList();

    /// <summary>"the 45 folds of repetitions 2–10 of 5-fold (new splits: the champions were chosen on the first)".</summary>
    public string Describe()
    {
        var repetitions = First == Last ? $"repetition {First}" : $"repetitions {First}–{Last}";
        var why = ExcludeSearch
            ? "new splits: the champions were chosen on the first"
            : Last == 1 ? "the search's, where the champions were chosen" : "the first is the search's, where the champions were chosen";
        return $"the {Count} folds of {repetitions} of {Folds}-fold ({why})";
    }
}
