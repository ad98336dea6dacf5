using System.Diagnostics;
using System.Globalization;
using MLPipelines.Data;
using MLPipelines.Pipelines;
using MLPipelines.Trainers;
using MLPipelines.Transforms;

namespace MLPipelines.XGBoost.Training;

/// <summary>One boosting round as reported to <see cref="XGBoostTrainer.Progress"/>.</summary>
public sealed record BoostingProgress(int Round, int MaxRounds, string Metric, double? ValidationValue, double? BestValue, TimeSpan Elapsed);

/// <summary>
/// The flow every XGBoost trainer shares: check the label against the task, hold out a
/// validation split for early stopping, build the matrices (NaN = missing, category codes
/// typed categorical when native categorical splits are on, class weights), boost round by
/// round with progress and cancellation, keep the best round, and return the model.
/// </summary>
public abstract class XGBoostTrainer : IEstimator<FeaturizedData, DataTable>
{
    private readonly XGBoostOptions _options;
    private readonly int _contextSeed;

    protected XGBoostTrainer(PredictionTask task, XGBoostOptions options, int contextSeed)
    {
        Task = task;
        _options = options;
        _contextSeed = contextSeed;
    }

    public PredictionTask Task { get; }

    /// <summary>The trainer's name in messages and leaderboards.</summary>
    public abstract string Name { get; }

    /// <summary>The featurization this learner works best with.</summary>
    public abstract FeaturizerOptions RecommendedFeaturization { get; }

    /// <summary>Receives every boosting round (round, validation metric, elapsed).</summary>
    public IProgress<BoostingProgress>? Progress { get; init; }

    /// <summary>Checked between rounds.</summary>
    public CancellationToken CancellationToken { get; init; }

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

    /// <summary>The booster's own parameters (objective, metric, threads and seed are set by the base).</summary>
    protected abstract IEnumerable<KeyValuePair<string, string>> BoosterParameters();

    /// <summary>Refuses featurizations the learner cannot use well.</summary>
    protected virtual void Validate(FeaturizedData data) { }

    protected static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public XGBoostModel Fit(FeaturizedData data)
    {
        var label = TaskRequirements.Require(data, Task, Name);
        if (data.FeatureCount == 0) throw new DataValidationException($"{Name} needs at least one feature column");
        Validate(data);
        var threads = _options.Threads ?? Environment.ProcessorCount;
        var seed = _options.Seed ?? _contextSeed;
        var (trainRows, validationRows) = EarlyStoppingRounds is null
            ? (Enumerable.Range(0, data.RowCount).ToArray(), Array.Empty<int>())
            : ValidationSplit(label, data.RowCount, seed);

        using var train = Matrix(data, label, trainRows, threads);
        using var validation = validationRows.Length > 0 ? Matrix(data, label, validationRows, threads) : null;
        var booster = validation is null ? Booster.Create(train) : Booster.Create(train, validation);
        try
        {
            var metric = MetricName;
            var parameters = TaskParameters(label, trainRows, metric, threads, seed).Concat(BoosterParameters()).ToDictionary();
            booster.SetParameters(parameters);
            booster.SetFeatureNames(data.FeatureNames);
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
            var summary = new XGBoostModel.Summary(Name, Task, label.ClassNames.ToArray(), data.FeatureNames.ToArray(), bestRound + 1, trained,
                validation is null ? null : metric, validation is null ? null : best, threads, parameters);
            return new XGBoostModel(booster, summary);
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

    ITransformer<FeaturizedData, DataTable> IEstimator<FeaturizedData, DataTable>.Fit(FeaturizedData input) => Fit(input);

    private string MetricName => Task switch
    {
        PredictionTask.Regression => "rmse",
        PredictionTask.BinaryClassification => "logloss",
        _ => "mlogloss",
    };

    private IEnumerable<KeyValuePair<string, string>> TaskParameters(LabelData label, int[] trainRows, string metric, int threads, int seed)
    {
        yield return new("nthread", threads.ToString(CultureInfo.InvariantCulture));
        yield return new("seed", seed.ToString(CultureInfo.InvariantCulture));
        yield return new("eval_metric", metric);
        switch (Task)
        {
            case PredictionTask.Regression:
                yield return new("objective", "reg:squarederror");
                // XGBoost 1.7 starts from 0.5; starting from the mean saves the first rounds.
                yield return new("base_score", Text(trainRows.Average(r => label.Values![r])));
                break;
            case PredictionTask.BinaryClassification:
                yield return new("objective", "binary:logistic");
                yield return new("base_score", Text(Math.Clamp(trainRows.Average(r => (double)label.Classes![r]), 1e-6, 1 - 1e-6)));
                break;
            default:
                yield return new("objective", "multi:softprob");
                yield return new("num_class", label.ClassCount.ToString(CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>Rows for training and for early stopping; stratified by class for classification.</summary>
    private (int[] Train, int[] Validation) ValidationSplit(LabelData label, int rows, int seed)
    {
        var table = label.Kind == LabelKind.Classes
            ? new DataTable([new CategoricalColumn("class", label.ClassNames.ToArray(), label.Classes!)])
            : new DataTable([new NumericColumn("value", label.Values!)]);
        if (rows < 20) throw new DataValidationException($"{Name} holds out {ValidationFraction:P0} of the rows for early stopping, but there are too few rows ({rows}; at least 20): set EarlyStoppingRounds = null");
        return Splits.TrainTest(table, ValidationFraction, (ulong)seed, label.Kind == LabelKind.Classes ? "class" : null);
    }

    private DMatrix Matrix(FeaturizedData data, LabelData label, int[] rows, int threads)
    {
        var columns = data.FeatureCount;
        float[] features;
        if (rows.Length == data.RowCount) features = data.Features;
        else
        {
            features = new float[rows.Length * columns];
            for (var i = 0; i < rows.Length; i++) data.Row(rows[i]).CopyTo(features.AsSpan(i * columns, columns));
        }
        var matrix = DMatrix.FromDense(features, rows.Length, columns, threads);
        try
        {
            matrix.SetLabels(rows.Select(r => label.Kind == LabelKind.Numeric ? (float)label.Values![r] : label.Classes![r]).ToArray());
            if (_options.ClassWeighting == ClassWeighting.Balanced && label.Kind == LabelKind.Classes)
                matrix.SetWeights(BalancedWeights(label, rows));
            matrix.SetFeatureNames(data.FeatureNames);
            matrix.SetFeatureTypes(data.FeatureKinds.Select(k => NativeCategorical && k == FeatureKind.CategoryCode ? "c" : "q").ToArray());
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
