namespace MLPipelines.Data;

/// <summary>
/// The data cannot be used as asked: a missing or mistyped column, an invalid label, rows a
/// model cannot take. The message names the column, and the line or row, and says what to do.
/// </summary>
public sealed class DataValidationException(string message) : Exception(message);
