namespace MLPipelines.Torch;

/// <summary>
/// An error raised inside libtorch (a shape mismatch, a wrong element type, an index out of
/// range, ...), carrying libtorch's own message. No C++ exception crosses into .NET: the
/// shim catches each one and it is rethrown as this.
/// </summary>
public sealed class TorchException : Exception
{
    /// <summary>Creates the exception with libtorch's message.</summary>
    public TorchException(string message) : base(message) { }
}
