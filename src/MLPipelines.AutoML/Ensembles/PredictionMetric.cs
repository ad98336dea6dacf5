using MLPipelines.Trainers;

namespace MLPipelines.AutoML.Ensembles;

/// <summary>
/// The task's metric (<see cref="TaskMetric"/>: RMSE, AUC, accuracy) of predictions held as
/// arrays, as the trial store keeps them. Ensemble selection tries thousands of weightings,
/// each scored on every held-out row: building an ML.NET view for each would cost more than
/// the selection itself. The values equal ML.NET's evaluators' on the same rows (tested
/// against the fold scores the evaluators gave).
/// </summary>
public static class PredictionMetric
{
    /// <param name="task">What the predictions are.</param>
    /// <param name="predictions">Rows × width values: the score (regression), the positive class's probability (binary), the class scores (multiclass).</param>
    /// <param name="labels">Per row: the target (regression), 0 or 1 (binary), the 0-based class (multiclass).</param>
    public static double Compute(PredictionTask task, ReadOnlySpan<float> predictions, ReadOnlySpan<float> labels) => task switch
    {
        PredictionTask.Regression => RootMeanSquaredError(predictions, labels),
        PredictionTask.BinaryClassification => AreaUnderRocCurve(predictions, labels),
        _ => Accuracy(predictions, labels),
    };

    private static double RootMeanSquaredError(ReadOnlySpan<float> predictions, ReadOnlySpan<float> labels)
    {
        double sum = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var error = (double)predictions[i] - labels[i];
            sum += error * error;
        }
        return Math.Sqrt(sum / labels.Length);
    }

    /// <summary>The probability that a random positive row scores above a random negative one, ties counting half (Mann–Whitney).</summary>
    private static double AreaUnderRocCurve(ReadOnlySpan<float> predictions, ReadOnlySpan<float> labels)
    {
        var order = new int[labels.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        var scores = predictions[..labels.Length].ToArray();
        Array.Sort(scores, order);
        double positives = 0, negatives = 0, rankSum = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end < order.Length && scores[end] == scores[start]) end++;
            // Tied scores share the mean of their ranks (1-based).
            var rank = (start + 1 + end) / 2.0;
            for (var i = start; i < end; i++)
            {
                if (labels[order[i]] > 0.5f)
                {
                    positives++;
                    rankSum += rank;
                }
                else negatives++;
            }
            start = end;
        }
        if (positives == 0 || negatives == 0) return double.NaN;
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    /// <summary>The share of rows whose highest class score is their class (the first of tied scores, as ML.NET's predicted label).</summary>
    private static double Accuracy(ReadOnlySpan<float> predictions, ReadOnlySpan<float> labels)
    {
        var width = predictions.Length / labels.Length;
        var correct = 0;
        for (var row = 0; row < labels.Length; row++)
        {
            var scores = predictions.Slice(row * width, width);
            var best = 0;
            for (var c = 1; c < width; c++)
                if (scores[c] > scores[best]) best = c;
            if (best == (int)labels[row]) correct++;
        }
        return (double)correct / labels.Length;
    }
}
