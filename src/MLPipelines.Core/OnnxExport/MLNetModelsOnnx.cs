using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using MLPipelines.Data.DataViews;
using MLPipelines.Onnx.Protobuf;
using MLPipelines.Trainers;

namespace MLPipelines.Onnx;

/// <summary>
/// ML.NET's own models as ONNX nodes on the feature vector, computed as ML.NET computes them:
/// linear models (ridge or SDCA regression, L-BFGS logistic regression, maximum entropy: what the
/// experiment's Linear candidate trains) as Σ weight · feature + bias in float; tree ensembles
/// (FastTree, FastForest, LightGbm) through <see cref="MLNetTreesOnnx"/>; a calibrated binary model's
/// Platt probability 1 / (1 + e^(slope · score + offset)) in float64 (FastForest's binary model
/// has no calibrator, and no probability column, unless ML.NET's Platt calibrator stage follows it:
/// <see cref="PipelineScorer"/>); and one-versus-all over binary
/// models (multiclass FastTree and FastForest, LightGbm's multiclass model) with its output
/// formula: the raw scores, the calibrated probabilities scaled to sum to 1, or the softmax of the
/// raw scores.
/// </summary>
internal static class MLNetModelsOnnx
{
    /// <summary>Whether the stage is an ML.NET prediction transformer of a model written here.</summary>
    public static bool Handles(ITransformer stage) => stage is IPredictionTransformer<object> { Model: var model } && model switch
    {
        LinearRegressionModelParameters or MaximumEntropyModelParameters => true,
        CalibratedModelParametersBase calibrated => IsPlattCalibrated(calibrated),
        OneVersusAllModelParameters oneVersusAll => IsWritten(oneVersusAll),
        _ => MLNetTreesOnnx.Handles(model) && (Is(stage, typeof(RegressionPredictionTransformer<>)) || Is(stage, typeof(BinaryPredictionTransformer<>))),
    };

    private static bool Is(ITransformer stage, Type generic) => stage.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == generic;

    /// <summary>Whether every class's model gives what the formula needs: a Platt probability to normalize, else a raw score.</summary>
    private static bool IsWritten(OneVersusAllModelParameters model)
    {
        var probabilities = Formula(model) == OneVersusAllModelParameters.OutputFormula.ProbabilityNormalization;
        return model.SubModelParameters.All(m => probabilities ? m is CalibratedModelParametersBase calibrated && IsPlattCalibrated(calibrated) : IsBinaryScorer(Uncalibrated(m)));
    }

    private static bool IsPlattCalibrated(CalibratedModelParametersBase model) => model.Calibrator is PlattCalibrator && IsBinaryScorer(model.SubModel);

    private static bool IsBinaryScorer(object model) => model is LinearBinaryModelParameters || MLNetTreesOnnx.Handles(model);

    /// <summary>The model that computes the raw score: a calibrated model's inner one.</summary>
    private static object Uncalibrated(object model) => model is CalibratedModelParametersBase calibrated ? calibrated.SubModel : model;

    /// <summary>The stage's feature column.</summary>
    public static string FeatureColumn(ITransformer stage) => ((ISingleFeaturePredictionTransformer<object>)stage).FeatureColumnName;

    /// <summary>The model's scores from the feature vector [N, length]; <paramref name="output"/> is the stage's output schema (for the class names).</summary>
    public static PipelineScores Write(OnnxGraph graph, ITransformer stage, string vector, DataViewSchema output)
    {
        using var _ = graph.Scope("mlnet");
        switch (((IPredictionTransformer<object>)stage).Model)
        {
            case LinearRegressionModelParameters regression:
                return new PipelineScores(PredictionTask.Regression, [], Linear(graph, vector, [regression.Weights], [regression.Bias]), null, null);
            case CalibratedModelParametersBase calibrated:
                var margin = Scores(graph, vector, [calibrated.SubModel]);
                var probability = Platt(graph, margin, [(PlattCalibrator)calibrated.Calibrator]);
                var (threshold, column) = Threshold(stage);
                var thresholded = column == PredictionColumns.Probability ? probability : margin;
                return new PipelineScores(PredictionTask.BinaryClassification, ["False", "True"], margin, probability,
                    graph.Greater(thresholded, graph.ScalarFloat(threshold)));
            case MaximumEntropyModelParameters maximumEntropy:
                VBuffer<float>[] weights = [];
                maximumEntropy.GetWeights(ref weights, out var classes);
                var scores = Linear(graph, vector, weights.Take(classes).Select(w => (IReadOnlyList<float>)w.DenseValues().ToArray()).ToArray(), maximumEntropy.GetBiases().ToArray());
                return new PipelineScores(PredictionTask.MulticlassClassification, ClassNames(output, classes), graph.Softmax(scores, 1), null, null);
            case OneVersusAllModelParameters oneVersusAll:
                var members = oneVersusAll.SubModelParameters;
                var raw = Scores(graph, vector, members.Select(Uncalibrated).ToList());
                var classScores = Formula(oneVersusAll) switch
                {
                    OneVersusAllModelParameters.OutputFormula.Softmax => graph.Softmax(raw, 1),
                    OneVersusAllModelParameters.OutputFormula.ProbabilityNormalization =>
                        SumToOne(graph, Platt(graph, raw, members.Select(m => (PlattCalibrator)((CalibratedModelParametersBase)m).Calibrator).ToList())),
                    _ => raw,
                };
                return new PipelineScores(PredictionTask.MulticlassClassification, ClassNames(output, members.Length), classScores, null, null);
            case TreeEnsembleModelParameters trees when Is(stage, typeof(RegressionPredictionTransformer<>)):
                return new PipelineScores(PredictionTask.Regression, [], MLNetTreesOnnx.Outputs(graph, vector, [trees]), null, null);
            case TreeEnsembleModelParameters trees:
                // A binary model without a calibrator (FastForest's): a score and a label, no probability.
                var score = MLNetTreesOnnx.Outputs(graph, vector, [trees]);
                return new PipelineScores(PredictionTask.BinaryClassification, ["False", "True"], score, null, graph.Greater(score, graph.ScalarFloat(Threshold(stage).Threshold)),
                    NoProbability: true);
            default:
                throw new InvalidOperationException("not an ML.NET model written here: check Handles first");
        }
    }

    /// <summary>The raw scores of binary models (all linear or all tree ensembles) on the feature vector: [N, models].</summary>
    private static string Scores(OnnxGraph graph, string vector, IReadOnlyList<object> models)
    {
        if (models.All(m => m is LinearBinaryModelParameters))
        {
            var linear = models.Cast<LinearBinaryModelParameters>().ToList();
            return Linear(graph, vector, linear.Select(m => (IReadOnlyList<float>)m.Weights).ToList(), linear.Select(m => m.Bias).ToList());
        }
        if (models.All(MLNetTreesOnnx.Handles)) return MLNetTreesOnnx.Outputs(graph, vector, models.Cast<TreeEnsembleModelParameters>().ToList());
        throw new InvalidOperationException("not binary models written here: check Handles first");
    }

    /// <summary>Each column's Platt probability [N, columns], in float64 as ML.NET's PlattCalibrator computes it, returned as float.</summary>
    public static string Platt(OnnxGraph graph, string scores, IReadOnlyList<PlattCalibrator> calibrators)
    {
        var slopes = graph.Constant("slope", calibrators.Select(c => c.Slope).ToArray(), calibrators.Count);
        var offsets = graph.Constant("offset", calibrators.Select(c => c.Offset).ToArray(), calibrators.Count);
        var z = graph.Add(graph.Mul(slopes, graph.Cast(scores, TensorProto.Types.DataType.Double)), offsets);
        return graph.Cast(graph.Div(graph.Scalar(1), graph.Add(graph.Scalar(1), graph.Exp(z))), TensorProto.Types.DataType.Float);
    }

    /// <summary>
    /// One-versus-all's probability normalization: each class's probability over their sum, where
    /// the sum is above 0 (ML.NET also clears negative values and skips NaN, which Platt
    /// probabilities never are).
    /// </summary>
    private static string SumToOne(OnnxGraph graph, string probabilities)
    {
        var sum = graph.ReduceSum(probabilities, 1, keepDims: true);
        return graph.Where(graph.Greater(sum, graph.ScalarFloat(0)), graph.Div(probabilities, sum), probabilities);
    }

    /// <summary>
    /// One-versus-all's output formula. A private field of the model (<c>_impl</c>, whose class
    /// is private to ML.NET): read by reflection.
    /// </summary>
    private static OneVersusAllModelParameters.OutputFormula Formula(OneVersusAllModelParameters model)
    {
        const System.Reflection.BindingFlags flags = System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic;
        var implementation = typeof(OneVersusAllModelParameters).GetField("_impl", flags)?.GetValue(model);
        return implementation?.GetType().GetField("OutputFormula", flags)?.GetValue(implementation) is OneVersusAllModelParameters.OutputFormula formula
            ? formula
            : throw new OnnxExportException("ML.NET's one-versus-all model", "its output formula was not found (another ML.NET version?)");
    }

    /// <summary>
    /// The binary transformer's threshold and the column it applies to (ML.NET: PredictedLabel =
    /// value &gt; threshold; by default Score &gt; 0). Internal fields of the generic
    /// BinaryPredictionTransformer&lt;TModel&gt;, whose TModel differs between a trained and a loaded model: read by reflection.
    /// </summary>
    private static (float Threshold, string Column) Threshold(ITransformer stage)
    {
        const System.Reflection.BindingFlags flags = System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic;
        var type = stage.GetType();
        return ((float)type.GetField("Threshold", flags)!.GetValue(stage)!, (string)type.GetField("ThresholdColumn", flags)!.GetValue(stage)!);
    }

    /// <summary>x W + b for [classes] weight vectors of the feature length: [N, classes].</summary>
    private static string Linear(OnnxGraph graph, string x, IReadOnlyList<IReadOnlyList<float>> weights, IReadOnlyList<float> biases)
    {
        var length = weights[0].Count;
        var matrix = new float[length * weights.Count];
        for (var c = 0; c < weights.Count; c++)
            for (var f = 0; f < length; f++) matrix[f * weights.Count + c] = weights[c][f];
        return graph.Add(graph.MatMul(x, graph.Constant("weights", matrix, length, weights.Count)), graph.Constant("bias", biases.ToArray(), biases.Count));
    }

    /// <summary>The predicted label's key values, which name the classes.</summary>
    private static string[] ClassNames(DataViewSchema output, int classes)
    {
        var predicted = output[PredictionColumns.PredictedLabel];
        if (predicted.Annotations.Schema.GetColumnOrNull(AnnotationNames.KeyValues) is null) return Enumerable.Range(1, classes).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        VBuffer<ReadOnlyMemory<char>> names = default;
        predicted.GetKeyValues(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }
}
