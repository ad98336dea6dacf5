using MLPipelines.Onnx.Protobuf;
using MLPipelines.Trainers;

namespace MLPipelines.Onnx;

/// <summary>
/// ML.NET's prediction columns (<see cref="PredictionColumns"/>) as the exported graph's outputs,
/// from a model's raw outputs: regression Score; binary Score (the margin), Probability (unless the model has none) and
/// PredictedLabel (Boolean); multiclass Score (class probabilities, or the raw scores of a model that
/// gives those, as ML.NET's one-versus-all can) and PredictedLabel as the class name (text: ONNX has no key type).
/// </summary>
internal static class PredictionOutputs
{
    /// <summary>The name of the class with the highest score (the first of ties), [N, 1] text.</summary>
    public static string ClassName(OnnxGraph graph, IReadOnlyList<string> classNames, string scores) =>
        graph.Gather(graph.Constant("class_names", classNames, classNames.Count), graph.ArgMax(scores, 1, keepDims: true), axis: 0);

    /// <summary>A binary margin's probability as the scoring mapping computes it: 1 / (1 + e^−margin) in float64, then float32.</summary>
    public static string Probability(OnnxGraph graph, string margin)
    {
        var x = graph.Cast(margin, TensorProto.Types.DataType.Double);
        var one = graph.Scalar(1);
        return graph.Cast(graph.Div(one, graph.Add(one, graph.Exp(graph.Neg(x)))), TensorProto.Types.DataType.Float);
    }

    /// <summary>Declares the outputs; returns PredictedLabel's value: the class name (multiclass), the Boolean (binary); null for regression.</summary>
    public static string? Write(OnnxGraph graph, PipelineScores scores)
    {
        using var _ = graph.Scope("outputs");
        const TensorProto.Types.DataType single = TensorProto.Types.DataType.Float;
        var (raw, classNames) = (scores.Raw, scores.ClassNames);
        switch (scores.Task)
        {
            case PredictionTask.Regression:
                graph.Output(PredictionColumns.Score, raw, single, 1);
                return null;
            case PredictionTask.BinaryClassification:
                graph.Output(PredictionColumns.Score, raw, single, 1);
                if (!scores.NoProbability) graph.Output(PredictionColumns.Probability, scores.Probability ?? Probability(graph, raw), single, 1);
                var positive = scores.PredictedLabel ?? graph.Greater(raw, graph.ScalarFloat(0));
                graph.Output(PredictionColumns.PredictedLabel, positive, TensorProto.Types.DataType.Bool, 1);
                return positive;
            default:
                graph.Output(PredictionColumns.Score, raw, single, classNames.Count);
                var predicted = ClassName(graph, classNames, raw);
                graph.Output(PredictionColumns.PredictedLabel, predicted, TensorProto.Types.DataType.String, 1);
                return predicted;
        }
    }
}
