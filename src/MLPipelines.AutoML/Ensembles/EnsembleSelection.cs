using MLPipelines.Trainers;

namespace MLPipelines.AutoML.Ensembles;

/// <summary>
/// Ensemble selection (Caruana, Niculescu-Mizil, Crew and Ksikes 2004, "Ensemble selection
/// from libraries of models"): start from nothing and, step after step, add the model (with
/// replacement) whose inclusion gives the averaged predictions the best metric; a model's
/// weight is the share of steps that chose it. Forward selection with replacement cannot
/// overfit the way free weights can, and a handful of steps suffices (auto-sklearn takes 50,
/// AutoGluon 25). Ties go to the earlier model, so pass the library best first.
/// </summary>
public static class EnsembleSelection
{
    public const int DefaultSteps = 25;

    /// <param name="predictions">Each model's predictions of the same rows (rows × width, as <see cref="PredictionMetric"/> reads them).</param>
    /// <param name="labels">The rows' labels.</param>
    /// <param name="task">What the predictions are.</param>
    /// <param name="metric">What each step optimizes.</param>
    /// <param name="steps">Selection steps: weights are multiples of 1/steps.</param>
    /// <returns>How many steps chose each model.</returns>
    public static int[] Select(IReadOnlyList<float[]> predictions, float[] labels, PredictionTask task, TaskMetric metric, int steps = DefaultSteps)
    {
        if (predictions.Count == 0) throw new ArgumentException("ensemble selection needs at least one model", nameof(predictions));
        var length = predictions[0].Length;
        var sum = new double[length];
        var trial = new float[length];
        var counts = new int[predictions.Count];
        for (var step = 1; step <= steps; step++)
        {
            var best = -1;
            var bestLoss = double.PositiveInfinity;
            for (var m = 0; m < predictions.Count; m++)
            {
                var candidate = predictions[m];
                for (var i = 0; i < length; i++) trial[i] = (float)((sum[i] + candidate[i]) / step);
                var loss = metric.Loss(PredictionMetric.Compute(task, trial, labels));
                if (loss < bestLoss)
                {
                    bestLoss = loss;
                    best = m;
                }
            }
            if (best < 0) best = 0; // every loss NaN (one class only): nothing to choose between
            counts[best]++;
            var chosen = predictions[best];
            for (var i = 0; i < length; i++) sum[i] += chosen[i];
        }
        return counts;
    }

    /// <summary>The models' predictions averaged with these weights (which sum to 1).</summary>
    public static float[] Blend(IReadOnlyList<float[]> predictions, IReadOnlyList<double> weights)
    {
        var blended = new double[predictions[0].Length];
        for (var m = 0; m < predictions.Count; m++)
        {
            if (weights[m] == 0) continue;
            var values = predictions[m];
            for (var i = 0; i < blended.Length; i++) blended[i] += weights[m] * values[i];
        }
        return Array.ConvertAll(blended, v => (float)v);
    }
}
