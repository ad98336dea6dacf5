using MLPipelines.Data;
using MLPipelines.ModelFiles;
using MLPipelines.Pipelines;
using MLPipelines.Trainers;
using MLPipelines.Transforms;
using MLPipelines.XGBoost.Inference;

namespace MLPipelines.XGBoost.Training;

/// <summary>
/// A fitted XGBoost model in a pipeline: predicts featurized rows (the same features it was
/// trained on), one row at a time with low latency, reports feature importance, and saves its
/// trees exactly (universal binary JSON) into the model file.
/// </summary>
public sealed class XGBoostModel : ITransformer<FeaturizedData, DataTable>, ILoadableStage<XGBoostModel>, IDisposable
{
    /// <summary>
    /// What was trained: the rounds kept (best on validation) of those run, the validation
    /// metric's best value, and every parameter given to XGBoost.
    /// </summary>
    public sealed record Summary(string Trainer, PredictionTask Task, string[] ClassNames, string[] FeatureNames, int Rounds, int RoundsTrained,
        string? ValidationMetric, double? ValidationValue, int Threads, IReadOnlyDictionary<string, string> Parameters);

    private const string TreesFile = "model.ubj";
    private const string SummaryFile = "xgboost.json";

    private readonly Booster _booster;
    private readonly Lazy<CompiledEnsemble> _compiled;

    internal XGBoostModel(Booster booster, Summary info)
    {
        _booster = booster;
        Info = info;
        _compiled = new Lazy<CompiledEnsemble>(() => new CompiledEnsemble(_booster.Save("json")));
    }

    public Summary Info { get; }

    /// <summary>The underlying booster (for advanced use: dumps, margins).</summary>
    public Booster Booster => _booster;

    public DataTable Transform(FeaturizedData data)
    {
        CheckFeatures(data);
        float[] raw;
        if (data.RowCount == 0) raw = [];
        else
        {
            using var matrix = DMatrix.FromDense(data.Features, data.RowCount, data.FeatureCount, Info.Threads);
            raw = _booster.Predict(matrix);
        }
        return Info.Task switch
        {
            PredictionTask.Regression => PredictionColumns.Regression(data.Source, raw.Select(v => (double)v).ToArray()),
            PredictionTask.BinaryClassification => PredictionColumns.Classification(data.Source, Info.ClassNames, raw.SelectMany(p => new[] { 1 - (double)p, p }).ToArray()),
            _ => PredictionColumns.Classification(data.Source, Info.ClassNames, raw.Select(v => (double)v).ToArray()),
        };
    }

    /// <summary>
    /// Predicts one row of features with low latency, through the model compiled to managed
    /// arrays (<see cref="CompiledEnsemble"/>, built on first use): writes the value
    /// (regression), the positive-class probability (binary) or the class probabilities
    /// (multiclass) to <paramref name="output"/> and returns how many. Agrees with XGBoost's own
    /// prediction to float rounding. Thread-safe; allocates nothing.
    /// </summary>
    public int PredictRow(ReadOnlySpan<float> features, Span<float> output)
    {
        if (features.Length != Info.FeatureNames.Length)
            throw new ArgumentException($"the model takes {Info.FeatureNames.Length} features, not {features.Length}", nameof(features));
        var compiled = _compiled.Value;
        compiled.PredictRow(features, output);
        return compiled.OutputCount;
    }

    /// <summary>Feature importance by feature name: "gain" (average gain of the splits on it), "weight" (how many splits), "cover", "total_gain", "total_cover". Linear models support "weight" only.</summary>
    public IReadOnlyDictionary<string, double> FeatureImportance(string importanceType = "gain") => _booster.FeatureScores(importanceType);

    private void CheckFeatures(FeaturizedData data)
    {
        if (!data.FeatureNames.SequenceEqual(Info.FeatureNames))
            throw new DataValidationException($"the model was trained on {Info.FeatureNames.Length} features ({Preview(Info.FeatureNames)}) but these rows have {data.FeatureCount} ({Preview(data.FeatureNames)}): featurize them with the pipeline's own featurizer");
    }

    private static string Preview(IReadOnlyList<string> names) => string.Join(", ", names.Take(5)) + (names.Count > 5 ? ", ..." : "");

    public void Save(ModelWriter writer)
    {
        writer.WriteBytes(TreesFile, _booster.Save());
        writer.WriteJson(SummaryFile, Info);
    }

    public static XGBoostModel Load(ModelReader reader)
    {
        var info = reader.ReadJson<Summary>(SummaryFile);
        Booster booster;
        try
        {
            booster = Booster.Load(reader.ReadBytes(TreesFile));
        }
        catch (XGBoostException e)
        {
            throw new ModelFileException(reader.Source, $"the XGBoost trees are damaged: {e.Message}", e);
        }
        booster.SetParameter("nthread", info.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new XGBoostModel(booster, info);
    }

    public void Dispose() => _booster.Dispose();
}
