using System.Globalization;
using MLPipelines.Data;

namespace MLPipelines.Cli.Predict;

/// <summary>
/// A model's scores are Single; widened to double they print as 75.50216674804688. Written as the
/// double nearest the Single's shortest form (75.50217), they read back as the same Single and
/// say no more than the model computed.
/// </summary>
internal static class SingleScores
{
    public static double Shortest(float value) => double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>The table with each number column that is not one of <paramref name="inputs"/> (a score: Single values, widened) in shortest form.</summary>
    public static DataTable Shortest(DataTable table, DataSchema? inputs = null) =>
        new(table.Columns.Select(column => column is NumericColumn score && inputs?.Contains(score.Name) != true
            ? new NumericColumn(score.Name, score.Values.ToArray().Select(value => Shortest((float)value)).ToArray())
            : column), table.Origins);
}
