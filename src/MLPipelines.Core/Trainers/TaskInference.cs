using System.Globalization;
using MLPipelines.Data;

namespace MLPipelines.Trainers;

/// <summary>A task read off a label column, with what the column holds that decided it ("two distinct values").</summary>
public sealed record InferredTask(PredictionTask Task, string Reason);

/// <summary>
/// The task a label column suggests when the user names none, by AutoGluon's rule
/// (<c>infer_problem_type</c>): two distinct values are binary; text is multiclass; whole numbers
/// are multiclass when they take few distinct values (at most 1,000, and at most 5% of the rows,
/// 10% on 1,000 rows or fewer), and numbers are a regression otherwise. Ratings from 1 to 5 are
/// therefore classes: the reason says so, and the user names the task where it guessed wrong.
/// </summary>
public static class TaskInference
{
    /// <summary>Above this many distinct whole numbers the label is a quantity, not a class (AutoGluon's MULTICLASS_UPPER_LIMIT).</summary>
    public const int MaxClasses = 1000;

    /// <summary>Above this many rows, classes may be at most <see cref="LargeDataClassRatio"/> of them, else <see cref="SmallDataClassRatio"/>.</summary>
    public const int LargeDataRows = 1000;

    public const double LargeDataClassRatio = 0.05;
    public const double SmallDataClassRatio = 0.1;

    /// <summary>The task of <paramref name="label"/>'s non-missing values; a label with none is refused.</summary>
    public static InferredTask Infer(DataColumn label)
    {
        var rows = Enumerable.Range(0, label.Length).Where(row => !label.IsMissing(row)).ToArray();
        if (rows.Length == 0) throw new DataValidationException($"the label '{label.Name}' has no value in any row");
        var distinct = label is NumericColumn number ? rows.Select(row => number[row]).Distinct().Count()
            : rows.Select(label.Format).Distinct(StringComparer.Ordinal).Count();
        // One value: a classifier's, which refuses it with its reason (LabelPreparation).
        if (distinct == 1) return new InferredTask(PredictionTask.MulticlassClassification, "a single distinct value");
        if (distinct == 2) return new InferredTask(PredictionTask.BinaryClassification, "two distinct values");
        return label is NumericColumn numbers
            ? FromNumbers(numbers, rows, distinct)
            : new InferredTask(PredictionTask.MulticlassClassification, $"{Count(distinct)} distinct values, not numbers");
    }

    private static InferredTask FromNumbers(NumericColumn label, int[] rows, int distinct)
    {
        var values = rows.Select(row => label[row]).ToArray();
        var wholeNumbers = values.All(v => v == Math.Floor(v));
        var ratio = values.Length > LargeDataRows ? LargeDataClassRatio : SmallDataClassRatio;
        var few = distinct <= MaxClasses && distinct <= ratio * values.Length;
        var share = $"{Count(distinct)} distinct in {Count(values.Length)} rows";
        return (wholeNumbers, few) switch
        {
            (true, true) => new InferredTask(PredictionTask.MulticlassClassification, $"whole numbers, {share} (few: classes)"),
            (false, _) => new InferredTask(PredictionTask.Regression, "numbers, not all whole"),
            _ => new InferredTask(PredictionTask.Regression, $"numbers, {share} (many: a quantity)"),
        };
    }

    private static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
