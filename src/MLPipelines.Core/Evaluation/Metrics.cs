namespace MLPipelines.Evaluation;

/// <summary>
/// The metrics, as functions of plain vectors. Definitions follow scikit-learn 1.2 (the tests
/// compare against its values): probabilities are clipped to [ε, 1−ε] with ε the double
/// machine epsilon for log-loss; AUC counts ties as half; macro-F1 averages over the classes
/// that occur in the labels or the predictions.
/// </summary>
public static class Metrics
{
    private const double Epsilon = 2.220446049250313e-16;

    public static double RootMeanSquaredError(ReadOnlySpan<double> labels, ReadOnlySpan<double> predictions)
    {
        CheckLengths(labels.Length, predictions.Length);
        double sum = 0;
        for (var i = 0; i < labels.Length; i++) sum += (labels[i] - predictions[i]) * (labels[i] - predictions[i]);
        return Math.Sqrt(sum / labels.Length);
    }

    public static double MeanAbsoluteError(ReadOnlySpan<double> labels, ReadOnlySpan<double> predictions)
    {
        CheckLengths(labels.Length, predictions.Length);
        double sum = 0;
        for (var i = 0; i < labels.Length; i++) sum += Math.Abs(labels[i] - predictions[i]);
        return sum / labels.Length;
    }

    /// <summary>1 − SS_res / SS_tot; for constant labels, 1 when predicted exactly and 0 otherwise.</summary>
    public static double RSquared(ReadOnlySpan<double> labels, ReadOnlySpan<double> predictions)
    {
        CheckLengths(labels.Length, predictions.Length);
        double mean = 0;
        foreach (var y in labels) mean += y;
        mean /= labels.Length;
        double residual = 0, total = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            residual += (labels[i] - predictions[i]) * (labels[i] - predictions[i]);
            total += (labels[i] - mean) * (labels[i] - mean);
        }
        if (total == 0) return residual == 0 ? 1 : 0;
        return 1 - residual / total;
    }

    /// <summary>Area under the ROC curve: the probability that a random positive scores above a random negative (ties count half).</summary>
    public static double AreaUnderRocCurve(ReadOnlySpan<bool> labels, ReadOnlySpan<double> scores)
    {
        CheckLengths(labels.Length, scores.Length);
        var positives = 0;
        foreach (var label in labels) if (label) positives++;
        var negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0)
            throw new ArgumentException("AUC is undefined when the labels hold only one class");
        var order = Enumerable.Range(0, scores.Length).ToArray();
        var keys = scores.ToArray();
        Array.Sort(keys, order);
        // Mann–Whitney: sum of the positives' ranks, tied scores sharing their mean rank.
        double positiveRankSum = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && keys[end + 1] == keys[start]) end++;
            var meanRank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++) if (labels[order[k]]) positiveRankSum += meanRank;
            start = end + 1;
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>Mean negative log-likelihood of the positive-class probabilities.</summary>
    public static double BinaryLogLoss(ReadOnlySpan<bool> labels, ReadOnlySpan<double> probabilities)
    {
        CheckLengths(labels.Length, probabilities.Length);
        double sum = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var p = Math.Clamp(probabilities[i], Epsilon, 1 - Epsilon);
            sum -= labels[i] ? Math.Log(p) : Math.Log(1 - p);
        }
        return sum / labels.Length;
    }

    /// <summary>The fraction of rows whose predicted class is the label.</summary>
    public static double Accuracy(ReadOnlySpan<int> labels, ReadOnlySpan<int> predicted)
    {
        CheckLengths(labels.Length, predicted.Length);
        var correct = 0;
        for (var i = 0; i < labels.Length; i++) if (labels[i] == predicted[i]) correct++;
        return (double)correct / labels.Length;
    }

    /// <summary>F1 of one class: 2·TP / (2·TP + FP + FN), 0 when that is 0/0.</summary>
    public static double F1(ReadOnlySpan<int> labels, ReadOnlySpan<int> predicted, int positiveClass)
    {
        CheckLengths(labels.Length, predicted.Length);
        int truePositives = 0, falsePositives = 0, falseNegatives = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var actual = labels[i] == positiveClass;
            var guessed = predicted[i] == positiveClass;
            if (actual && guessed) truePositives++;
            else if (guessed) falsePositives++;
            else if (actual) falseNegatives++;
        }
        var denominator = 2 * truePositives + falsePositives + falseNegatives;
        return denominator == 0 ? 0 : 2.0 * truePositives / denominator;
    }

    /// <summary>The mean of the per-class F1 over the classes that occur in the labels or the predictions.</summary>
    public static double MacroF1(ReadOnlySpan<int> labels, ReadOnlySpan<int> predicted)
    {
        CheckLengths(labels.Length, predicted.Length);
        var classes = new SortedSet<int>();
        foreach (var c in labels) classes.Add(c);
        foreach (var c in predicted) classes.Add(c);
        double sum = 0;
        foreach (var c in classes) sum += F1(labels, predicted, c);
        return sum / classes.Count;
    }

    /// <summary>
    /// Mean negative log-likelihood of the labels' classes; <paramref name="probabilities"/> is
    /// row-major [rows × classes], each row clipped to [ε, 1−ε] and renormalized.
    /// </summary>
    public static double MulticlassLogLoss(ReadOnlySpan<int> labels, ReadOnlySpan<double> probabilities, int classes)
    {
        CheckLengths(labels.Length * classes, probabilities.Length);
        double sum = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var row = probabilities.Slice(i * classes, classes);
            double total = 0;
            foreach (var p in row) total += Math.Clamp(p, Epsilon, 1 - Epsilon);
            sum -= Math.Log(Math.Clamp(row[labels[i]], Epsilon, 1 - Epsilon) / total);
        }
        return sum / labels.Length;
    }

    /// <summary>The index of the largest probability in each row (the first on ties).</summary>
    public static int[] ArgMax(ReadOnlySpan<double> probabilities, int classes)
    {
        var result = new int[probabilities.Length / classes];
        for (var i = 0; i < result.Length; i++)
        {
            var row = probabilities.Slice(i * classes, classes);
            var best = 0;
            for (var c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
            result[i] = best;
        }
        return result;
    }

    private static void CheckLengths(int labels, int predictions)
    {
        if (labels == 0) throw new ArgumentException("metrics need at least one row");
        if (labels != predictions) throw new ArgumentException($"{labels} labels but {predictions} predictions");
    }
}
