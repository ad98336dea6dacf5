namespace MLPipelines.Data;

/// <summary>One cross-validation fold: the rows to train on and the rows to test on.</summary>
public sealed record Fold(int Index, int[] TrainRows, int[] TestRows);

/// <summary>
/// Seeded train/test splits and k-fold partitions. With a stratification column (categorical
/// or boolean), each class is spread over the parts in proportion; the same seed gives the
/// same rows on every run and machine (<see cref="SeededRandom"/>).
/// </summary>
public static class Splits
{
    /// <summary>Row indices of a train/test split; about <paramref name="testFraction"/> of the rows (of each class) go to test.</summary>
    public static (int[] Train, int[] Test) TrainTest(DataTable data, double testFraction, ulong seed, string? stratifyBy = null)
    {
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "the test fraction must be between 0 and 1 (exclusive)");
        var order = DealingOrder(data, seed, stratifyBy);
        // Systematic sampling along the class-by-class order: row i goes to test when the running
        // quota i·f + ½ crosses an integer. That gives round(n·f) test rows in all and each class
        // its share to within one row.
        var train = new List<int>(order.Length);
        var test = new List<int>((int)(order.Length * testFraction) + 1);
        for (var i = 0; i < order.Length; i++)
        {
            if (Math.Floor((i + 1) * testFraction + 0.5) > Math.Floor(i * testFraction + 0.5)) test.Add(order[i]);
            else train.Add(order[i]);
        }
        if (train.Count == 0 || test.Count == 0)
            throw new ArgumentException($"{data.RowCount} rows cannot be split with a test fraction of {testFraction}: one part would be empty");
        train.Sort();
        test.Sort();
        return (train.ToArray(), test.ToArray());
    }

    /// <summary>A partition of the rows into <paramref name="k"/> folds; each row is tested exactly once.</summary>
    public static IReadOnlyList<Fold> KFold(DataTable data, int k, ulong seed, string? stratifyBy = null)
    {
        if (k < 2) throw new ArgumentOutOfRangeException(nameof(k), k, "cross-validation needs at least 2 folds");
        if (k > data.RowCount) throw new ArgumentOutOfRangeException(nameof(k), k, $"{k} folds need at least {k} rows; the table has {data.RowCount}");
        var order = DealingOrder(data, seed, stratifyBy);
        var foldOf = new int[data.RowCount];
        for (var i = 0; i < order.Length; i++) foldOf[order[i]] = i % k;
        var folds = new Fold[k];
        for (var f = 0; f < k; f++)
        {
            var test = new List<int>();
            var train = new List<int>();
            for (var row = 0; row < foldOf.Length; row++) (foldOf[row] == f ? test : train).Add(row);
            folds[f] = new Fold(f, train.ToArray(), test.ToArray());
        }
        return folds;
    }

    /// <summary>
    /// The rows grouped by class (in code order, missing last), each group shuffled; one group
    /// of all rows when not stratified. Dealing rows in this order spreads every class evenly.
    /// </summary>
    private static int[] DealingOrder(DataTable data, ulong seed, string? stratifyBy)
    {
        var random = new SeededRandom(seed);
        var groups = Groups(data, stratifyBy);
        var order = new List<int>(data.RowCount);
        foreach (var group in groups)
        {
            random.Shuffle(group.AsSpan());
            order.AddRange(group);
        }
        return order.ToArray();
    }

    private static List<int[]> Groups(DataTable data, string? stratifyBy)
    {
        var all = Enumerable.Range(0, data.RowCount).ToArray();
        if (stratifyBy is null) return [all];
        if (!data.Schema.Contains(stratifyBy))
            throw new DataValidationException($"cannot stratify by '{stratifyBy}': there is no such column {ColumnList.For(stratifyBy, data.Schema.Select(c => c.Name))}");
        var column = data[stratifyBy];
        Func<int, int> classOf = column switch
        {
            CategoricalColumn categorical => row => categorical.Codes[row] is var code && code < 0 ? int.MaxValue : code,
            BooleanColumn boolean => row => boolean.Values[row] is var value && value < 0 ? int.MaxValue : value,
            _ => throw new ArgumentException($"cannot stratify by '{stratifyBy}': it is {column.Type}; stratification needs a categorical or boolean column"),
        };
        return all.GroupBy(classOf).OrderBy(g => g.Key).Select(g => g.ToArray()).ToList();
    }
}
