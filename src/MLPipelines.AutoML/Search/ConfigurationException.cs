namespace MLPipelines.AutoML.Search;

/// <summary>
/// A configuration does not fit its search space, or its JSON cannot be read: a parameter is
/// missing, unknown, of the wrong type or out of range. The message names the parameter, and
/// <see cref="ParameterName"/> holds it for code that reports it elsewhere.
/// </summary>
public sealed class ConfigurationException(string? parameterName, string message) : Exception(message)
{
    /// <summary>The parameter at fault; null when the fault is the whole text (not JSON, not an object).</summary>
    public string? ParameterName { get; } = parameterName;
}
