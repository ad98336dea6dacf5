using System.Runtime.InteropServices;

namespace MLPipelines.Torch.Tests;

/// <summary>glibc's own count of the bytes malloc has handed out and not had back (libtorch allocates through it).</summary>
internal static partial class NativeHeap
{
    [StructLayout(LayoutKind.Sequential)]
    private struct MallocInfo
    {
        public nuint Arena, FreeChunks, FastBins, MappedChunks, MappedBytes, MaxTotalAllocated, FreedFastBinBytes, AllocatedBytes, FreeBytes, TopReleasable;
    }

    [LibraryImport("libc", EntryPoint = "mallinfo2")]
    private static partial MallocInfo MallInfo2();

    /// <summary>Bytes in use: allocated from the arenas plus allocated by mmap.</summary>
    public static long BytesInUse()
    {
        var info = MallInfo2();
        return (long)(info.AllocatedBytes + info.MappedBytes);
    }
}
