using System.Runtime.InteropServices;

namespace MLPipelines.XGBoost.Interop;

/// <summary>
/// The part of xgboost/c_api.h (1.7) the trainers use. Every function returns 0 on success and
/// -1 on failure, with the message in <see cref="XGBGetLastError"/>; <see cref="Check"/> turns
/// failures into <see cref="XGBoostException"/>.
/// </summary>
internal static unsafe partial class XGBoostNative
{
    private const string Library = "xgboost";

    // Loading XGBoost loads its OpenMP runtime, which reads its settings then.
    static XGBoostNative() => MLPipelines.Interop.NativeThreadWaiting.Configure();

    [LibraryImport(Library)] internal static partial IntPtr XGBGetLastError();
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] internal static partial int XGBSetGlobalConfig(string config);
    [LibraryImport(Library)] internal static partial void XGBoostVersion(out int major, out int minor, out int patch);

    [LibraryImport(Library)]
    internal static partial int XGDMatrixCreateFromMat_omp(float* data, ulong rows, ulong columns, float missing, out IntPtr handle, int threads);
    [LibraryImport(Library)] internal static partial int XGDMatrixFree(IntPtr handle);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int XGDMatrixSetFloatInfo(DMatrixHandle handle, string field, float* values, ulong length);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int XGDMatrixSetStrFeatureInfo(DMatrixHandle handle, string field, IntPtr* values, ulong count);
    [LibraryImport(Library)] internal static partial int XGDMatrixNumRow(DMatrixHandle handle, out ulong rows);
    [LibraryImport(Library)] internal static partial int XGDMatrixNumCol(DMatrixHandle handle, out ulong columns);

    [LibraryImport(Library)] internal static partial int XGBoosterCreate(IntPtr* matrices, ulong count, out IntPtr handle);
    [LibraryImport(Library)] internal static partial int XGBoosterFree(IntPtr handle);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int XGBoosterSetParam(BoosterHandle handle, string name, string value);
    [LibraryImport(Library)] internal static partial int XGBoosterUpdateOneIter(BoosterHandle handle, int iteration, DMatrixHandle train);
    [LibraryImport(Library)]
    internal static partial int XGBoosterEvalOneIter(BoosterHandle handle, int iteration, IntPtr* matrices, IntPtr* names, ulong count, out IntPtr result);
    [LibraryImport(Library)] internal static partial int XGBoosterBoostedRounds(BoosterHandle handle, out int rounds);
    [LibraryImport(Library)] internal static partial int XGBoosterGetNumFeature(BoosterHandle handle, out ulong features);
    [LibraryImport(Library)] internal static partial int XGBoosterSlice(BoosterHandle handle, int begin, int end, int step, out IntPtr sliced);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int XGBoosterPredictFromDMatrix(BoosterHandle handle, DMatrixHandle matrix, string config, out ulong* shape, out ulong dimensions, out float* result);
    [LibraryImport(Library)]
    internal static partial int XGBoosterPredictFromDense(BoosterHandle handle, byte* values, byte* config, IntPtr proxy, out ulong* shape, out ulong dimensions, out float* result);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int XGBoosterSaveModelToBuffer(BoosterHandle handle, string config, out ulong length, out byte* data);
    [LibraryImport(Library)] internal static partial int XGBoosterSaveJsonConfig(BoosterHandle handle, out ulong length, out byte* data);
    [LibraryImport(Library)] internal static partial int XGBoosterLoadModelFromBuffer(BoosterHandle handle, byte* data, ulong length);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int XGBoosterSetStrFeatureInfo(BoosterHandle handle, string field, IntPtr* values, ulong count);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int XGBoosterFeatureScore(BoosterHandle handle, string config, out ulong featureCount, out IntPtr* features, out ulong dimensions, out ulong* shape, out float* scores);

    internal static void Check(int status)
    {
        if (status != 0) throw new XGBoostException(CleanMessage(Marshal.PtrToStringUTF8(XGBGetLastError())));
    }

    /// <summary>XGBoost's message without its "[hh:mm:ss] " time stamp and its (empty) stack trace.</summary>
    private static string CleanMessage(string? message)
    {
        if (string.IsNullOrWhiteSpace(message)) return "XGBoost reported an error without a message";
        var trace = message.IndexOf("\nStack trace:", StringComparison.Ordinal);
        if (trace >= 0) message = message[..trace];
        if (message.StartsWith('[') && message.IndexOf("] ", StringComparison.Ordinal) is > 0 and < 12 and var end) message = message[(end + 2)..];
        return message.Trim();
    }
}
