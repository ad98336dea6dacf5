using MLPipelines.Data;
using MLPipelines.Trainers;

namespace MLPipelines.Cli.Predict;

/// <summary>
/// What <c>predict</c> writes, the same from a model file and from its ONNX export: the input file's row names first (where
/// its first column held them, as pandas and R write them), its columns as they were, then the predictions in one order —
/// PredictedLabel, PredictedClass, the scores, Probability, then anything else the pipeline added.
/// </summary>
internal static class ScoredRows
{
    public static DataTable Arrange(DataTable scored, DataTable input)
    {
        var columns = scored.Columns.OrderBy(c => Rank(c.Name, input.Schema)).ToList();   // stable: each group keeps its order
        if (input.Origins?.RowNames is { } names) columns.Insert(0, names);
        return new DataTable(columns, scored.Origins);
    }

    private static int Rank(string column, DataSchema input) => column switch
    {
        _ when input.Contains(column) => 0,
        PredictionColumns.PredictedLabel => 1,
        PredictionColumns.PredictedClass => 2,
        PredictionColumns.Score => 3,
        _ when column.StartsWith(PredictionColumns.Score + ".", StringComparison.Ordinal) => 3,
        PredictionColumns.Probability => 4,
        _ => 5,
    };
}
