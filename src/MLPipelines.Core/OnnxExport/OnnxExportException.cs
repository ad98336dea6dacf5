namespace MLPipelines.Onnx;

/// <summary>A part of a model that the ONNX export cannot express; the message names it and says why.</summary>
public sealed class OnnxExportException(string part, string reason) : Exception($"{part} cannot be exported to ONNX: {reason}")
{
    /// <summary>What was refused (a stage, a column, a layer).</summary>
    public string Part { get; } = part;

    public string Reason { get; } = reason;
}
