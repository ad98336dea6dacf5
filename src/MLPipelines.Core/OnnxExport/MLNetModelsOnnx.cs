using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using MLPipelines.Data.DataViews;
using MLPipelines.Onnx.Protobuf;
using MLPipelines.Trainers;

namespace MLPipelines.Onnx;

/// <summary>
/// ML.NET's own linear models (what the experiment's Linear candidate trains: ridge or SDCA
/// regression, L-BFGS logistic regression with its Platt calibrator, maximum entropy) as ONNX
/// nodes on the feature vector, computed as ML.NET computes them: Σ weight · feature + bias in
/// float; the calibrated probability 1 / (1 + e^(slope · score + offset)) in float64; the
/// classes' softmax.
/// </summary>
internal static class MLNetModelsOnnx
{
    /// <summary>Whether the stage is an ML.NET prediction transformer of a model written here.</summary>
    public static bool Handles(ITransformer stage) =>
        stage is IPredictionTransformer<object> { Model: LinearRegressionModelParameters or MaximumEntropyModelParameters }
            or IPredictionTransformer<object> { Model: CalibratedModelParametersBase { SubModel: LinearBinaryModelParameters, Calibrator: PlattCalibrator } };

    /// <summary>The stage's feature column.</summary>
    public static string FeatureColumn(ITransformer stage) => ((ISingleFeaturePredictionTransformer<object>)stage).FeatureColumnName;

    /// <summary>The model's scores from the feature vector [N, length]; <paramref name="output"/> is the stage's output schema (for the class names).</summary>
    public static PipelineScores Write(OnnxGraph graph, ITransformer stage, string vector, DataViewSchema output)
    {
        using var _ = graph.Scope("mlnet_linear");
        switch (((IPredictionTransformer<object>)stage).Model)
        {
            case LinearRegressionModelParameters regression:
                return new PipelineScores(PredictionTask.Regression, [], Linear(graph, vector, [regression.Weights], [regression.Bias]), null, null);
            case CalibratedModelParametersBase { SubModel: LinearBinaryModelParameters linear, Calibrator: PlattCalibrator platt }:
                var margin = Linear(graph, vector, [linear.Weights], [linear.Bias]);
                var z = graph.Add(graph.Mul(graph.Scalar(platt.Slope), graph.Cast(margin, TensorProto.Types.DataType.Double)), graph.Scalar(platt.Offset));
                var probability = graph.Cast(graph.Div(graph.Scalar(1), graph.Add(graph.Scalar(1), graph.Exp(z))), TensorProto.Types.DataType.Float);
                var (threshold, column) = Threshold(stage);
                var thresholded = column == PredictionColumns.Probability ? probability : margin;
                return new PipelineScores(PredictionTask.BinaryClassification, ["False", "True"], margin, probability,
                    graph.Greater(thresholded, graph.ScalarFloat(threshold)));
            case MaximumEntropyModelParameters maximumEntropy:
                VBuffer<float>[] weights = [];
                maximumEntropy.GetWeights(ref weights, out var classes);
                var scores = Linear(graph, vector, weights.Take(classes).Select(w => (IReadOnlyList<float>)w.DenseValues().ToArray()).ToArray(), maximumEntropy.GetBiases().ToArray());
                return new PipelineScores(PredictionTask.MulticlassClassification, ClassNames(output, classes), graph.Softmax(scores, 1), null, null);
            default:
                throw new InvalidOperationException("not an ML.NET model written here: check Handles first");
        }
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
