using MLPipelines.Data;

namespace MLPipelines.Trainers;

/// <summary>
/// The columns a fitted pipeline adds to the rows it predicts (replacing columns of the same
/// name): regression adds <see cref="Score"/>; classification adds <see cref="PredictedLabel"/>
/// and one "Probability.&lt;class&gt;" column per class.
/// </summary>
public static class PredictionColumns
{
    public const string Score = "Score";
    public const string PredictedLabel = "PredictedLabel";
    public const string ProbabilityPrefix = "Probability.";

    public static string Probability(string className) => ProbabilityPrefix + className;

    public static DataTable Regression(DataTable source, double[] scores) => source.WithColumn(new NumericColumn(Score, scores));

    /// <summary>Adds the class probabilities (row-major [rows × classes]) and the most probable class (the first on ties).</summary>
    public static DataTable Classification(DataTable source, IReadOnlyList<string> classNames, double[] probabilities)
    {
        var classes = classNames.Count;
        if (probabilities.Length != source.RowCount * classes)
            throw new ArgumentException($"{probabilities.Length} probabilities for {source.RowCount} rows of {classes} classes");
        var table = source;
        for (var c = 0; c < classes; c++)
        {
            var column = new double[source.RowCount];
            for (var row = 0; row < column.Length; row++) column[row] = probabilities[row * classes + c];
            table = table.WithColumn(new NumericColumn(Probability(classNames[c]), column));
        }
        var predicted = Evaluation.Metrics.ArgMax(probabilities, classes);
        return table.WithColumn(new CategoricalColumn(PredictedLabel, classNames.ToArray(), predicted));
    }
}
