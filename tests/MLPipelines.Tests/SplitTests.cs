using MLPipelines.Data;

namespace MLPipelines.Tests;

public sealed class SplitTests
{
    [Fact]
    public void The_generator_matches_an_independent_implementation_of_xoshiro256_starstar()
    {
        // References/seeded_random.py.
        var zero = new SeededRandom(0);
        Assert.Equal([11091344671253066420UL, 13793997310169335082UL, 1900383378846508768UL, 7684712102626143532UL],
            Enumerable.Range(0, 4).Select(_ => zero.NextUInt64()));
        var fortyTwo = new SeededRandom(42);
        Assert.Equal([1546998764402558742UL, 6990951692964543102UL, 12544586762248559009UL, 17057574109182124193UL],
            Enumerable.Range(0, 4).Select(_ => fortyTwo.NextUInt64()));
    }

    [Fact]
    public void Bounded_integers_are_uniform()
    {
        var random = new SeededRandom(7);
        var counts = new int[6];
        for (var i = 0; i < 60_000; i++) counts[random.NextInt(6)]++;
        Assert.All(counts, c => Assert.InRange(c, 9_600, 10_400));
        Assert.All(Enumerable.Range(0, 1000).Select(_ => random.NextDouble()), d => Assert.InRange(d, 0.0, 1.0 - 1e-17));
    }

    [Fact]
    public void A_stratified_split_keeps_each_class_in_proportion()
    {
        var churn = TestData.Load("wa_churn");
        var (train, test) = Splits.TrainTest(churn, 0.2, seed: 1, stratifyBy: "churn");
        Assert.Equal(churn.RowCount, train.Length + test.Length);
        Assert.Empty(train.Intersect(test));
        Assert.Equal(1409, test.Length);   // round(7043 · 0.2)
        var labels = (CategoricalColumn)churn["churn"];
        double YesShare(int[] rows) => rows.Count(r => labels[r] == "Yes") / (double)rows.Length;
        var overall = YesShare(Enumerable.Range(0, churn.RowCount).ToArray());
        Assert.InRange(YesShare(test), overall - 0.002, overall + 0.002);
        Assert.InRange(YesShare(train), overall - 0.002, overall + 0.002);
    }

    [Fact]
    public void Stratified_folds_partition_the_rows_and_spread_every_class()
    {
        var shuttle = TestData.Load("Shuttle");
        var folds = Splits.KFold(shuttle, 5, seed: 3, stratifyBy: "Class");
        var tested = folds.SelectMany(f => f.TestRows).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, shuttle.RowCount), tested);
        foreach (var fold in folds)
        {
            Assert.Equal(shuttle.RowCount, fold.TrainRows.Length + fold.TestRows.Length);
            Assert.Empty(fold.TrainRows.Intersect(fold.TestRows));
            Assert.InRange(fold.TestRows.Length, shuttle.RowCount / 5 - 1, shuttle.RowCount / 5 + 1);
        }
        // Even the rarest classes (a handful of rows) are spread: counts per fold differ by at most one.
        var labels = (CategoricalColumn)shuttle["Class"];
        foreach (var level in labels.Levels)
        {
            var perFold = folds.Select(f => f.TestRows.Count(r => labels[r] == level)).ToArray();
            Assert.True(perFold.Max() - perFold.Min() <= 1, $"class {level}: {string.Join(", ", perFold)} per fold");
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_folds_on_every_run_and_machine()
    {
        var iris = TestData.Load("sklearn_iris");
        var first = Splits.KFold(iris, 5, seed: 42, stratifyBy: "species");
        var second = Splits.KFold(iris, 5, seed: 42, stratifyBy: "species");
        Assert.Equal(first.Select(f => f.TestRows), second.Select(f => f.TestRows));
        Assert.NotEqual(first[0].TestRows, Splits.KFold(iris, 5, seed: 43, stratifyBy: "species")[0].TestRows);
        // Pinned: the assignment depends only on SeededRandom and the dealing order, never on the platform.
        Assert.Equal(FoldZeroOfIrisWithSeed42, first[0].TestRows);
        var (_, test) = Splits.TrainTest(iris, 0.2, 42);
        Assert.Equal(TrainTestOfIrisWithSeed42, test[..10]);
    }

    // Recorded from the first run, after the generator was checked against References/seeded_random.py;
    // ten rows of each species (0–49, 50–99, 100–149), as stratification requires.
    private static readonly int[] FoldZeroOfIrisWithSeed42 =
        [7, 8, 17, 21, 23, 25, 33, 44, 45, 49, 63, 70, 77, 78, 79, 80, 88, 89, 90, 93, 110, 116, 117, 127, 129, 132, 134, 138, 142, 146];
    private static readonly int[] TrainTestOfIrisWithSeed42 = [5, 11, 17, 18, 19, 25, 41, 42, 43, 48];

    [Fact]
    public void Bad_arguments_are_refused_with_reasons()
    {
        var iris = TestData.Load("sklearn_iris");
        Assert.Throws<ArgumentOutOfRangeException>(() => Splits.TrainTest(iris, 1.0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Splits.KFold(iris, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Splits.KFold(iris, 151, 1));
        Assert.Contains("categorical or boolean", Assert.Throws<ArgumentException>(() => Splits.KFold(iris, 5, 1, "sepal length (cm)")).Message);
        Assert.Contains("no such column", Assert.Throws<DataValidationException>(() => Splits.KFold(iris, 5, 1, "Species")).Message);
    }
}
