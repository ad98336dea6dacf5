namespace MLPipelines.XGBoost;

/// <summary>An error reported by XGBoost, carrying its message (XGBGetLastError).</summary>
public sealed class XGBoostException(string message) : Exception(message);
