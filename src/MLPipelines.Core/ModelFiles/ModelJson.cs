using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLPipelines.ModelFiles;

/// <summary>The JSON settings of everything written into model files. Doubles are written round-trippably, so state reloads bit-exactly.</summary>
public static class ModelJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
