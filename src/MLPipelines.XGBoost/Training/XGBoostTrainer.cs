using System.Diagnostics;
using System.Globalization;
using MLPipelines.Data;
using MLPipelines.Trainers;
using MLPipelines.Transforms;

namespace MLPipelines.XGBoost.Training;

/// <summary>One boosting round as reported to <see cref="XGBoostTrainer.Progress"/>.</summary>
public sealed record BoostingProgress(int Round, int MaxRounds, string Metric, double? ValidationValue, double? BestValue, TimeSpan Elapsed);

/// <summary>
/// The flow every XGBoost trainer shares, as an ML.NET trainer: hold out a validation split for
/// early stopping, build the matrices (NaN = missing, categorical features typed as
/// categories when native categorical splits are on, example and class weights), boost round
/// by round with progress and cancellation, keep the best round, and return the model.
/// </summary>
public abstract class XGBoostTrainer : TabularTrainer<XGBoostModelParameters>
{
    private readonly XGBoostOptions _options;
    private readonly int _seed;

    /// <param name="task">What the model predicts.</param>
    /// <param name="options">The trainer's options.</param>
    /// <param name="seed">The seed when the options give none (the context's).</param>
    protected XGBoostTrainer(PredictionTask task, XGBoostOptions options, int seed) : base(task, options.Columns)
    {
        _options = options;
        _seed = options.Seed ?? seed;
    }

    /// <summary>Receives every boosting round (round, validation metric, elapsed).</summary>
    public IProgress<BoostingProgress>? Progress { get; init; }

    /// <summary>Checked between rounds.</summary>
    public CancellationToken CancellationToken { get; init; }

    public override FeaturizerOptions RecommendedFeaturization => FeaturizerOptions.ForTrees;

    protected abstract int MaxRounds { get; }

    protected abstract int? EarlyStoppingRounds { get; }

    protected abstract double ValidationFraction { get; }

    protected abstract bool NativeCategorical { get; }

    /// <summary>
    /// Whether the booster can be cut to its best rounds afterwards (tree boosters). Linear
    /// boosters cannot, so their best model is kept as bytes whenever the validation metric
    /// improves (cheap: a linear model is a few weights).
    /// </summary>
    protected virtual bool CanSlice => true;

    /// <summary>The booster's own parameters for training on <paramref name="data"/> (objective, metric, threads and seed are set by the base).</summary>
    protected abstract IEnumerable<KeyValuePair<string, string>> BoosterParameters(TrainingData data);

    protected static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    protected override CategoricalTreatment TreatmentOf(int levels) => NativeCategorical ? CategoricalTreatment.Code : CategoricalTreatment.OneHot;

    protected override XGBoostModelParameters Train(TrainingData data)
    {
        var label = data.Label;
        var threads = _options.Threads ?? Environment.ProcessorCount;
        var (trainRows, validationRows) = EarlyStoppingRounds is null
            ? (Enumerable.Range(0, data.RowCount).ToArray(), Array.Empty<int>())
            : ValidationSplit(label, data.RowCount);

        using var train = Matrix(data, trainRows, threads);
        using var validation = validationRows.Length > 0 ? Matrix(data, validationRows, threads) : null;
        var booster = validation is null ? Booster.Create(train) : Booster.Create(train, validation);
        try
        {
            var metric = MetricName;
            var parameters = TaskParameters(data, trainRows, metric, threads).Concat(BoosterParameters(data)).ToDictionary();
            booster.SetParameters(parameters);
            booster.SetFeatureNames(data.Features.FeatureNames);
            var (bestRound, best, bestSnapshot) = Boost(booster, train, validation, metric);

            // When early stopping ended past the best round, keep the best rounds only.
            var trained = booster.BoostedRounds;
            if (bestRound + 1 < trained)
            {
                var kept = CanSlice ? booster.Slice(0, bestRound + 1) : Booster.Load(bestSnapshot);
                booster.Dispose();
                booster = kept;
                booster.SetParameter("nthread", threads.ToString(CultureInfo.InvariantCulture));
            }
            var summary = new XGBoostModelParameters.Summary(Name, bestRound + 1, trained, validation is null ? null : metric, validation is null ? null : best,
                threads, parameters);
            return new XGBoostModelParameters(new ModelDescription(Task, data.Layout, label.ClassNames.ToArray()), booster, summary);
        }
        catch
        {
            booster.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Boosts round by round with progress and cancellation; with a validation matrix, stops
    /// after <see cref="EarlyStoppingRounds"/> rounds without improvement. Returns the best round
    /// (the last without validation), its metric, and — for boosters that cannot be sliced — the
    /// model as it was at that round.
    /// </summary>
    private (int BestRound, double Best, byte[] Snapshot) Boost(Booster booster, DMatrix train, DMatrix? validation, string metric)
    {
        var stopwatch = Stopwatch.StartNew();
        var best = double.PositiveInfinity;
        var bestRound = 0;
        byte[] snapshot = [];
        for (var round = 0; round < MaxRounds; round++)
        {
            CancellationToken.ThrowIfCancellationRequested();
            booster.Update(round, train);
            double? value = null;
            if (validation is not null)
            {
                value = Booster.ParseMetric(booster.Evaluate(round, [("validation", validation)]));
                if (value < best)
                {
                    best = value.Value;
                    bestRound = round;
                    if (!CanSlice) snapshot = booster.Save();
                }
            }
            else bestRound = round;
            Progress?.Report(new BoostingProgress(round + 1, MaxRounds, metric, value, validation is null ? null : best, stopwatch.Elapsed));
            if (validation is not null && round - bestRound >= EarlyStoppingRounds) break;
        }
        return (bestRound, best, snapshot);
    }

    private string MetricName => Task switch
    {
        PredictionTask.Regression => "rmse",
        PredictionTask.BinaryClassification => "logloss",
        _ => "mlogloss",
    };

    private IEnumerable<KeyValuePair<string, string>> TaskParameters(TrainingData data, int[] trainRows, string metric, int threads)
    {
        var label = data.Label;
        yield return new("nthread", threads.ToString(CultureInfo.InvariantCulture));
        yield return new("seed", _seed.ToString(CultureInfo.InvariantCulture));
        yield return new("eval_metric", metric);
        switch (Task)
        {
            case PredictionTask.Regression:
                yield return new("objective", "reg:squarederror");
                // XGBoost 1.7 starts from 0.5; starting from the (weighted) mean saves the first rounds.
                yield return new("base_score", Text(WeightedMean(data, trainRows, r => label.Values![r])));
                break;
            case PredictionTask.BinaryClassification:
                yield return new("objective", "binary:logistic");
                yield return new("base_score", Text(Math.Clamp(WeightedMean(data, trainRows, r => label.Classes![r]), 1e-6, 1 - 1e-6)));
                break;
            default:
                yield return new("objective", "multi:softprob");
                yield return new("num_class", label.ClassCount.ToString(CultureInfo.InvariantCulture));
                break;
        }
    }

    private static double WeightedMean(TrainingData data, int[] rows, Func<int, double> value)
    {
        double sum = 0, total = 0;
        foreach (var row in rows)
        {
            var weight = data.Weights?[row] ?? 1;
            sum += weight * value(row);
            total += weight;
        }
        return total > 0 ? sum / total : 0;
    }

    /// <summary>Rows for training and for early stopping; stratified by class for classification.</summary>
    private (int[] Train, int[] Validation) ValidationSplit(LabelData label, int rows)
    {
        if (rows < 20) throw new DataValidationException($"{Name} holds out {ValidationFraction:P0} of the rows for early stopping, but there are too few rows ({rows}; at least 20): set EarlyStoppingRounds = null");
        return label.ValidationSplit(ValidationFraction, (ulong)_seed);
    }

    private DMatrix Matrix(TrainingData data, int[] rows, int threads)
    {
        var features = data.Features;
        var values = rows.Length == data.RowCount ? features.Values : features.Select(rows).Values;
        var matrix = DMatrix.FromDense(values, rows.Length, features.Width, threads);
        try
        {
            var label = data.Label;
            matrix.SetLabels(rows.Select(r => label.Kind == LabelKind.Numeric ? (float)label.Values![r] : label.Classes![r]).ToArray());
            var balanced = _options.ClassWeighting == ClassWeighting.Balanced && label.Kind == LabelKind.Classes ? BalancedWeights(label, rows) : null;
            if (balanced is not null || data.Weights is not null)
                matrix.SetWeights(rows.Select((r, i) => (balanced?[i] ?? 1f) * (data.Weights?[r] ?? 1f)).ToArray());
            matrix.SetFeatureNames(features.FeatureNames);
            matrix.SetFeatureTypes(features.FeatureKinds.Select(k => k == FeatureKind.CategoryCode ? "c" : "q").ToArray());
            return matrix;
        }
        catch
        {
            matrix.Dispose();
            throw;
        }
    }

    private static float[] BalancedWeights(LabelData label, int[] rows)
    {
        var counts = new int[label.ClassCount];
        foreach (var r in rows) counts[label.Classes![r]]++;
        var present = counts.Count(c => c > 0);
        return rows.Select(r => (float)((double)rows.Length / (present * counts[label.Classes![r]]))).ToArray();
    }
}
