using System.Runtime.InteropServices;

namespace MLPipelines.Torch.Interop;

/// <summary>Turns the shim's failure values into managed exceptions.</summary>
internal static class Native
{
    /// <summary>Wraps a tensor returned by the shim, throwing libtorch's error if it failed.</summary>
    internal static Tensor Tensor(IntPtr native) =>
        native == IntPtr.Zero ? throw LastError() : new Tensor(new TensorHandle(native));

    /// <summary>Throws libtorch's error if a status-returning call failed.</summary>
    internal static void Check(int status)
    {
        if (status < 0) throw LastError();
    }

    internal static TorchException LastError() =>
        new(Marshal.PtrToStringUTF8(NativeMethods.mlp_last_error()) ?? "libtorch reported an error without a message");

    /// <summary>The handle to pass for an optional tensor.</summary>
    internal static TensorHandle Optional(Tensor? tensor) => tensor?.Handle ?? TensorHandle.None;
}
