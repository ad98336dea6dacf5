using MLPipelines.Data;

namespace MLPipelines.Trainers;

/// <summary>What a label is: numbers to predict (regression) or classes.</summary>
public enum LabelKind
{
    Numeric,
    Classes,
}

/// <summary>The label of training rows, as learners use it.</summary>
public sealed class LabelData
{
    private LabelData(LabelKind kind, double[]? values, int[]? classes, IReadOnlyList<string> classNames)
    {
        Kind = kind;
        Values = values;
        Classes = classes;
        ClassNames = classNames;
    }

    public static LabelData Numeric(double[] values) => new(LabelKind.Numeric, values, null, []);

    public static LabelData ForClasses(int[] classes, IReadOnlyList<string> classNames) => new(LabelKind.Classes, null, classes, classNames);

    public LabelKind Kind { get; }

    /// <summary>The targets of a numeric label (finite).</summary>
    public double[]? Values { get; }

    /// <summary>Each row's class index into <see cref="ClassNames"/>.</summary>
    public int[]? Classes { get; }

    /// <summary>Class names by index; for two classes, index 1 is the positive class (true). Empty for a numeric label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    public int ClassCount => ClassNames.Count;

    /// <summary>
    /// A seeded split of the rows into training and validation rows (a learner's early
    /// stopping): about <paramref name="fraction"/> of them, of each class when there are classes.
    /// </summary>
    public (int[] Train, int[] Validation) ValidationSplit(double fraction, ulong seed) =>
        Splits.TrainTest(Table(), fraction, seed, Kind == LabelKind.Classes ? "class" : null);

    /// <summary>
    /// A seeded partition of the rows into <paramref name="k"/> validation folds (of each class in
    /// proportion when there are classes): fold i's rows validate and the others train.
    /// </summary>
    public IReadOnlyList<(int[] Train, int[] Validation)> ValidationFolds(int k, ulong seed) =>
        Splits.KFold(Table(), k, seed, Kind == LabelKind.Classes ? "class" : null).Select(f => (f.TrainRows, f.TestRows)).ToList();

    private DataTable Table() => Kind == LabelKind.Classes
        ? new DataTable([new CategoricalColumn("class", ClassNames.ToArray(), Classes!)])
        : new DataTable([new NumericColumn("value", Values!)]);

    /// <summary>The label of some rows, in that order.</summary>
    public LabelData Select(ReadOnlySpan<int> rows)
    {
        if (Kind == LabelKind.Numeric)
        {
            var values = new double[rows.Length];
            for (var i = 0; i < rows.Length; i++) values[i] = Values![rows[i]];
            return Numeric(values);
        }
        var classes = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++) classes[i] = Classes![rows[i]];
        return ForClasses(classes, ClassNames);
    }
}
