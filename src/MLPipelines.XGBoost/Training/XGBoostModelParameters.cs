using System.Globalization;
using MLPipelines.ModelFiles;
using MLPipelines.Onnx;
using MLPipelines.Trainers;
using MLPipelines.XGBoost.Inference;

namespace MLPipelines.XGBoost.Training;

/// <summary>
/// A trained XGBoost model: predicts batches through XGBoost's in-place prediction (on its
/// threads) and single rows through the model compiled to managed arrays (<see cref="CompiledEnsemble"/>,
/// built on first use, far below XGBoost's per-call overhead); reports feature importance;
/// saves its trees exactly (universal binary JSON) into the model file.
/// </summary>
public sealed class XGBoostModelParameters : TabularModelParameters, ILoadableModel<XGBoostModelParameters>
{
    /// <summary>
    /// What was trained: the rounds kept (best on validation) of those run, the validation
    /// metric's best value, and every parameter given to XGBoost.
    /// </summary>
    public sealed record Summary(string Trainer, int Rounds, int RoundsTrained, string? ValidationMetric, double? ValidationValue, int Threads,
        IReadOnlyDictionary<string, string> Parameters);

    /// <summary>Up to this many rows are predicted by the compiled ensemble, one by one.</summary>
    private const int CompiledRows = 4;

    private const string TreesFile = "model.ubj";
    private const string SummaryFile = "xgboost.json";

    private readonly Booster _booster;
    private readonly Lazy<CompiledEnsemble> _compiled;

    internal XGBoostModelParameters(ModelDescription description, Booster booster, Summary info) : base(description)
    {
        _booster = booster;
        Info = info;
        _compiled = new Lazy<CompiledEnsemble>(() => new CompiledEnsemble(_booster.Save("json")));
    }

    public Summary Info { get; }

    /// <summary>XGBoost predicts a batch on its threads: large batches keep them busy and its per-call overhead small.</summary>
    public override int BatchSize => 8192;

    /// <summary>The underlying booster (for advanced use: dumps, margins).</summary>
    public Booster Booster => _booster;

    public override void Predict(FeatureMatrix rows, Span<float> outputs)
    {
        var margin = Task == PredictionTask.BinaryClassification;
        if (rows.Rows <= CompiledRows)
        {
            var compiled = _compiled.Value;
            for (var row = 0; row < rows.Rows; row++)
                compiled.PredictRow(rows.Row(row), outputs.Slice(row * compiled.OutputCount, compiled.OutputCount), margin);
            return;
        }
        if (IsLinear)
        {
            // gblinear has no in-place prediction in XGBoost 1.7: through a matrix.
            using var matrix = DMatrix.FromDense(rows.UsedValues, rows.Rows, rows.Width, Info.Threads);
            _booster.Predict(matrix, margin).CopyTo(outputs);
            return;
        }
        _booster.PredictDense(rows.UsedValues, rows.Rows, rows.Width, outputs, margin);
    }

    /// <summary>The trees (or linear weights) as ONNX nodes (<see cref="XGBoostOnnx"/>).</summary>
    public override string WriteOnnx(OnnxGraph graph, string matrix, string? indices) =>
        XGBoostOnnx.Write(graph, XGBoostJson.Parse(_booster.Save("json")), matrix);

    private bool IsLinear => Info.Parameters.TryGetValue("booster", out var booster) && booster == "gblinear";

    /// <summary>Feature importance by feature name: "gain" (average gain of the splits on it), "weight" (how many splits), "cover", "total_gain", "total_cover". Linear models support "weight" only.</summary>
    public IReadOnlyDictionary<string, double> FeatureImportance(string importanceType = "gain") => _booster.FeatureScores(importanceType);

    public override void Save(ModelWriter writer)
    {
        writer.WriteBytes(TreesFile, _booster.Save());
        writer.WriteJson(SummaryFile, Info);
    }

    public static XGBoostModelParameters Load(ModelReader reader, ModelDescription description)
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
        catch (Exception e) when (ModelFileException.IsMissingNativeLibrary(e, out var message))
        {
            throw new ModelFileException(reader.Source, $"the model needs XGBoost's library (libxgboost 1.7; Debian: apt-get install libxgboost-dev), which could not be loaded: {message}", e);
        }
        booster.SetParameter("nthread", info.Threads.ToString(CultureInfo.InvariantCulture));
        return new XGBoostModelParameters(description, booster, info);
    }

    public override void Dispose()
    {
        _booster.Dispose();
        base.Dispose();
    }
}
