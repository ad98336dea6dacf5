using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MLPipelines.Onnx.Protobuf;
using MLPipelines.Trainers;

namespace MLPipelines.Onnx;

/// <summary>
/// The stages an exported pipeline may have after its model, each one more output: ML.NET's MapKeyToValue of a multiclass
/// PredictedLabel (the exported PredictedLabel already holds the class name), and MapValue of a binary PredictedLabel to
/// text (<see cref="LabelPreparation.PredictedClass"/>), the class names indexed by the Boolean. Other stages are refused by name.
/// </summary>
internal static class PredictedLabelDecoding
{
    /// <summary>Writes <paramref name="stage"/>'s outputs from <paramref name="predictedLabel"/>, the graph's PredictedLabel value: the class name (multiclass) or the Boolean (binary).</summary>
    public static void Write(OnnxGraph graph, ITransformer stage, PredictionTask task, string predictedLabel)
    {
        switch (stage)
        {
            case KeyToValueMappingTransformer decoding when ReadsPredictedLabel(decoding):
                if (task != PredictionTask.MulticlassClassification)
                    throw new OnnxExportException($"the stage MapKeyToValue('{decoding.ColumnPairs[0].outputColumnName}')", "only a multiclass model's predicted label is a key");
                foreach (var (output, _) in decoding.ColumnPairs.Where(p => p.outputColumnName != PredictionColumns.PredictedLabel))
                    graph.Output(output, predictedLabel, TensorProto.Types.DataType.String, 1);
                break;
            case ValueMappingTransformer mapping when task == PredictionTask.BinaryClassification && ReadsPredictedLabel(mapping):
                using (graph.Scope("predicted_class"))
                {
                    var names = graph.Constant("class_names", ClassNames(mapping), 2);
                    var name = graph.Gather(names, graph.Cast(predictedLabel, TensorProto.Types.DataType.Int64), axis: 0);
                    foreach (var (output, _) in mapping.ColumnPairs) graph.Output(output, name, TensorProto.Types.DataType.String, 1);
                }
                break;
            default:
                throw new OnnxExportException($"the stage {OnnxExporter.TypeName(stage.GetType())}",
                    "it comes after the model; only MapKeyToValue of a multiclass PredictedLabel, or MapValue of a binary one to text, can follow it in an exported pipeline");
        }
    }

    private static bool ReadsPredictedLabel(OneToOneTransformerBase stage) =>
        stage.ColumnPairs.All(p => p.inputColumnName == PredictionColumns.PredictedLabel);

    private sealed class Prediction
    {
        public bool PredictedLabel { get; set; }
    }

    /// <summary>What the mapping gives false and true, read by applying it (ML.NET keeps its map private); it must give text.</summary>
    private static string[] ClassNames(ValueMappingTransformer mapping)
    {
        var rows = new MLContext().Data.LoadFromEnumerable([new Prediction { PredictedLabel = false }, new Prediction { PredictedLabel = true }]);
        var output = mapping.ColumnPairs[0].outputColumnName;
        var mapped = mapping.Transform(rows);
        if (mapped.Schema[output].Type is not TextDataViewType)
            throw new OnnxExportException($"the stage MapValue('{output}')", $"it maps PredictedLabel to {mapped.Schema[output].Type}; only a mapping to text is exported");
        return mapped.GetColumn<ReadOnlyMemory<char>>(output).Select(name => name.ToString()).ToArray();
    }
}
