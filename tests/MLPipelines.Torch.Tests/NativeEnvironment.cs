using System.Runtime.InteropServices;

namespace MLPipelines.Torch.Tests;

/// <summary>The environment as native libraries read it (C's getenv; .NET's setter changes only .NET's own copy).</summary>
internal static partial class NativeEnvironment
{
    public static string? Get(string name) => Marshal.PtrToStringUTF8(getenv(name));

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr getenv(string name);
}
