using MLPipelines.Trainers;
using MLPipelines.Transforms;
using MLPipelines.Transforms.Scaling;

namespace MLPipelines.Deep.Training;

/// <summary>
/// A deep model's own numeric preprocessing (rtdl keeps it beside the model): one scaler per
/// numeric column of the input matrix, fitted on the training rows, applied to every row the
/// model sees. Flags and one-hot slots are left as they are.
/// </summary>
internal static class InputScaling
{
    /// <summary>A scaler per matrix column: null for the columns left alone.</summary>
    public static NumericScaler?[] Fit(FeatureMatrix rows, NumericScaling kind)
    {
        var scalers = new NumericScaler?[rows.Width];
        if (kind == NumericScaling.None) return scalers;
        var values = new double[rows.Rows];
        for (var column = 0; column < rows.Width; column++)
        {
            if (rows.FeatureKinds[column] != FeatureKind.Numeric) continue;
            for (var row = 0; row < rows.Rows; row++) values[row] = rows.Values[row * rows.Width + column];
            scalers[column] = NumericScaler.Fit(kind, values);
        }
        return scalers;
    }

    /// <summary>The rows with their numeric columns scaled (a new matrix; the input is not changed).</summary>
    public static FeatureMatrix Apply(FeatureMatrix rows, NumericScaler?[] scalers)
    {
        if (scalers.All(s => s is null)) return rows;
        var values = rows.UsedValues.ToArray();
        for (var row = 0; row < rows.Rows; row++)
            for (var column = 0; column < rows.Width; column++)
                if (scalers[column] is { } scaler && float.IsFinite(values[row * rows.Width + column]))
                    values[row * rows.Width + column] = (float)scaler.Transform(values[row * rows.Width + column]);
        return new FeatureMatrix(rows.Layout, rows.Rows, values, rows.Indices);
    }
}
