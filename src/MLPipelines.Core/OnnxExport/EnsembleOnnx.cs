using Microsoft.ML;
using MLPipelines.Ensembles;
using MLPipelines.Onnx.Protobuf;
using MLPipelines.Trainers;

namespace MLPipelines.Onnx;

/// <summary>
/// A weighted ensemble (<see cref="WeightedEnsembleTransformer"/>) as ONNX nodes: every member
/// pipeline from the shared raw inputs, and the blend as <see cref="EnsembleMapping"/> computes
/// it — Σ weight · value in float64 over the members' scores (regression), positive-class
/// probabilities (binary) or class probabilities (multiclass); binary Score is the blend's
/// log-odds (clamped to [1e-7, 1 − 1e-7]), PredictedLabel whether it exceeds ½.
/// </summary>
internal static class EnsembleOnnx
{
    public static (PredictionTask, IReadOnlyList<string>, string?) Write(OnnxGraph graph, PipelineScorer scorer, IReadOnlyList<ITransformer> stages,
        WeightedEnsembleTransformer ensemble)
    {
        // Stages before the ensemble would feed every member: none are expected (members are whole pipelines).
        if (stages.Count > 1)
            throw new OnnxExportException($"the stage {OnnxExporter.TypeName(stages[^2].GetType())}", "it comes before an ensemble, whose members are whole pipelines");
        string? blend = null;
        PipelineScores? first = null;
        for (var m = 0; m < ensemble.Members.Count; m++)
        {
            var scores = scorer.Write(OnnxExporter.Stages(ensemble.Members[m]).ToList(), $"member{m}");
            first ??= scores;
            // A binary member's probability, as EnsembleMapping blends it; its score where it has none.
            var value = ensemble.Task == PredictionTask.BinaryClassification && !scores.NoProbability
                ? scores.Probability ?? PredictionOutputs.Probability(graph, scores.Raw)
                : scores.Raw;
            var weighted = graph.Mul(graph.Scalar(ensemble.Weights[m]), graph.Cast(value, TensorProto.Types.DataType.Double));
            blend = blend is null ? weighted : graph.Add(blend, weighted);
        }
        var task = ensemble.Task;
        var blended = graph.Cast(blend!, TensorProto.Types.DataType.Float);
        const TensorProto.Types.DataType single = TensorProto.Types.DataType.Float;
        using var _ = graph.Scope("outputs");
        switch (ensemble.Task)
        {
            case PredictionTask.Regression:
                graph.Output(PredictionColumns.Score, blended, single, 1);
                return (task, first!.ClassNames, null);
            case PredictionTask.BinaryClassification:
                var p = graph.Min(graph.Max(blended, graph.ScalarFloat(1e-7f)), graph.ScalarFloat(1 - 1e-7f));
                graph.Output(PredictionColumns.Score, graph.Log(graph.Div(p, graph.Sub(graph.ScalarFloat(1), p))), single, 1);
                graph.Output(PredictionColumns.Probability, blended, single, 1);
                var positive = graph.Greater(blended, graph.ScalarFloat(0.5f));
                graph.Output(PredictionColumns.PredictedLabel, positive, TensorProto.Types.DataType.Bool, 1);
                return (task, first!.ClassNames, positive);
            default:
                graph.Output(PredictionColumns.Score, blended, single, first!.ClassNames.Count);
                var predicted = PredictionOutputs.ClassName(graph, first.ClassNames, blended);
                graph.Output(PredictionColumns.PredictedLabel, predicted, TensorProto.Types.DataType.String, 1);
                return (task, first.ClassNames, predicted);
        }
    }
}
