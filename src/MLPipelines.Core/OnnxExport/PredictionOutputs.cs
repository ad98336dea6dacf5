using MLPipelines.Onnx.Protobuf;
using MLPipelines.Trainers;

namespace MLPipelines.Onnx;

/// <summary>
/// ML.NET's prediction columns (<see cref="PredictionColumns"/>) as the exported graph's outputs,
/// from a model's raw outputs: regression Score; binary Score (the margin), Probability and
/// PredictedLabel (Boolean); multiclass Score (class probabilities) and PredictedLabel as the
/// class name (text: ONNX has no key type).
/// </summary>
internal static class PredictionOutputs
{
    public static void Write(OnnxGraph graph, ModelDescription model, IReadOnlyList<string> classNames, string raw)
    {
        using var _ = graph.Scope("outputs");
        const TensorProto.Types.DataType single = TensorProto.Types.DataType.Float;
        switch (model.Task)
        {
            case PredictionTask.Regression:
                graph.Output(PredictionColumns.Score, raw, single, 1);
                break;
            case PredictionTask.BinaryClassification:
                graph.Output(PredictionColumns.Score, raw, single, 1);
                // As the scoring mapping: 1 / (1 + e^−margin) in float64, then float32.
                var margin = graph.Cast(raw, TensorProto.Types.DataType.Double);
                var one = graph.Scalar(1);
                var probability = graph.Div(one, graph.Add(one, graph.Exp(graph.Neg(margin))));
                graph.Output(PredictionColumns.Probability, graph.Cast(probability, single), single, 1);
                graph.Output(PredictionColumns.PredictedLabel, graph.Greater(raw, graph.ScalarFloat(0)), TensorProto.Types.DataType.Bool, 1);
                break;
            default:
                graph.Output(PredictionColumns.Score, raw, single, classNames.Count);
                var names = graph.Constant("class_names", classNames, classNames.Count);
                var predicted = graph.Gather(names, graph.ArgMax(raw, 1, keepDims: true), axis: 0);
                graph.Output(PredictionColumns.PredictedLabel, predicted, TensorProto.Types.DataType.String, 1);
                break;
        }
    }
}
