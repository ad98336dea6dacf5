using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data;
using MLPipelines.Trainers;

namespace MLPipelines.AutoML.Ensembles;

/// <summary>
/// The labels of each fold's held-out rows, in the order the fold's predictions are stored, as
/// <see cref="PredictionMetric"/> reads them: the target, 0/1, or the 0-based class.
/// </summary>
public static class FoldLabels
{
    /// <param name="data">Rows whose label already has the task's type (<see cref="LabelPreparation"/>).</param>
    /// <param name="label">The label column.</param>
    /// <param name="task">The task the label was prepared for.</param>
    /// <param name="folds">The folds whose held-out rows are read.</param>
    public static float[][] Read(IDataView data, string label, PredictionTask task, IReadOnlyList<Fold> folds)
    {
        var all = ReadAll(data, label, task);
        return folds.Select(f => Array.ConvertAll(f.TestRows, row => all[row])).ToArray();
    }

    private static float[] ReadAll(IDataView data, string label, PredictionTask task)
    {
        var column = data.Schema[label];
        return column.Type switch
        {
            BooleanDataViewType => data.GetColumn<bool>(column).Select(b => b ? 1f : 0f).ToArray(),
            // Keys count from 1 (0 is missing, which label preparation refuses).
            KeyDataViewType => data.GetColumn<uint>(column).Select(k => (float)k - 1).ToArray(),
            NumberDataViewType when column.Type.RawType == typeof(float) => data.GetColumn<float>(column).ToArray(),
            NumberDataViewType => new MLContext().Transforms.Conversion.ConvertType("__label", label, DataKind.Single).Fit(data).Transform(data)
                .GetColumn<float>("__label").ToArray(),
            _ => throw new ArgumentException($"'{label}' is {column.Type}, which is no label for {task}"),
        };
    }
}
