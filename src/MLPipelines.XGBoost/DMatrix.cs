using System.Runtime.InteropServices;
using MLPipelines.XGBoost.Interop;

namespace MLPipelines.XGBoost;

/// <summary>XGBoost's data matrix: dense float32 rows, NaN = missing, with labels, weights and feature names/types.</summary>
public sealed unsafe class DMatrix : IDisposable
{
    internal DMatrixHandle Handle { get; }

    private DMatrix(DMatrixHandle handle, int rows, int columns)
    {
        Handle = handle;
        Rows = rows;
        Columns = columns;
    }

    public int Rows { get; }

    public int Columns { get; }

    /// <summary>Copies a row-major matrix; NaN marks a missing value.</summary>
    public static DMatrix FromDense(ReadOnlySpan<float> values, int rows, int columns, int threads = 0)
    {
        if (rows <= 0 || columns <= 0)
            throw new ArgumentException($"an empty matrix ({rows} rows × {columns} columns): XGBoost needs at least one row and one column");
        if ((long)rows * columns != values.Length)
            throw new ArgumentException($"{values.Length} values cannot fill {rows} rows × {columns} columns");
        IntPtr handle;
        fixed (float* data = values)
            XGBoostNative.Check(XGBoostNative.XGDMatrixCreateFromMat_omp(data, (ulong)rows, (ulong)columns, float.NaN, out handle, threads));
        return new DMatrix(new DMatrixHandle(handle), rows, columns);
    }

    /// <summary>The targets (regression values, 0/1, or class indices 0..k-1); each must be finite.</summary>
    public void SetLabels(ReadOnlySpan<float> labels)
    {
        var bad = IndexOfNonFinite(labels);
        if (bad >= 0)
            throw new ArgumentException($"label {bad} is {labels[bad].ToString(System.Globalization.CultureInfo.InvariantCulture)}: every label must be a finite number", nameof(labels));
        SetFloatInfo("label", labels);
    }

    /// <summary>Instance weights (non-negative, finite).</summary>
    public void SetWeights(ReadOnlySpan<float> weights)
    {
        for (var i = 0; i < weights.Length; i++)
            if (!(weights[i] >= 0) || float.IsInfinity(weights[i]))
                throw new ArgumentException($"weight {i} is {weights[i]}: weights must be finite and non-negative", nameof(weights));
        SetFloatInfo("weight", weights);
    }

    private void SetFloatInfo(string field, ReadOnlySpan<float> values)
    {
        if (values.Length != Rows) throw new ArgumentException($"{values.Length} {field}s for {Rows} rows");
        fixed (float* data = values)
            XGBoostNative.Check(XGBoostNative.XGDMatrixSetFloatInfo(Handle, field, data, (ulong)values.Length));
    }

    /// <summary>Names of the columns (they become the booster's feature names, used by feature importance).</summary>
    public void SetFeatureNames(IReadOnlyList<string> names) => SetStrings("feature_name", names);

    /// <summary>Per column "q" (quantitative) or "c" (categorical, with the hist tree method).</summary>
    public void SetFeatureTypes(IReadOnlyList<string> types) => SetStrings("feature_type", types);

    private void SetStrings(string field, IReadOnlyList<string> values)
    {
        if (values.Count != Columns) throw new ArgumentException($"{values.Count} {field}s for {Columns} columns");
        var pointers = values.Select(v => Marshal.StringToCoTaskMemUTF8(v)).ToArray();
        try
        {
            fixed (IntPtr* p = pointers)
                XGBoostNative.Check(XGBoostNative.XGDMatrixSetStrFeatureInfo(Handle, field, p, (ulong)values.Count));
        }
        finally
        {
            foreach (var pointer in pointers) Marshal.FreeCoTaskMem(pointer);
        }
    }

    private static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        for (var i = 0; i < values.Length; i++) if (!float.IsFinite(values[i])) return i;
        return -1;
    }

    public void Dispose() => Handle.Dispose();
}
