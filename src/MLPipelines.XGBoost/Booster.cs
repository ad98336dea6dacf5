using System.Buffers.Text;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using MLPipelines.XGBoost.Interop;

namespace MLPipelines.XGBoost;

/// <summary>An XGBoost model being trained or used: parameters, boosting rounds, evaluation, prediction, serialization.</summary>
public sealed unsafe class Booster : IDisposable
{
    static Booster()
    {
        // XGBoost's own logging goes to the console; the trainers report progress themselves.
        XGBoostNative.Check(XGBoostNative.XGBSetGlobalConfig("{\"verbosity\": 0}"));
    }

    internal BoosterHandle Handle { get; }

    private Booster(IntPtr handle) => Handle = new BoosterHandle(handle);

    /// <summary>The XGBoost library's version, e.g. "1.7.4".</summary>
    public static string LibraryVersion
    {
        get
        {
            XGBoostNative.XGBoostVersion(out var major, out var minor, out var patch);
            return $"{major}.{minor}.{patch}";
        }
    }

    /// <summary>A new booster; the matrices it will train and evaluate on are cached by it.</summary>
    public static Booster Create(params DMatrix[] matrices)
    {
        var handles = matrices.Select(m => m.Handle.DangerousGetHandle()).ToArray();
        IntPtr handle;
        fixed (IntPtr* p = handles)
            XGBoostNative.Check(XGBoostNative.XGBoosterCreate(p, (ulong)handles.Length, out handle));
        GC.KeepAlive(matrices);
        return new Booster(handle);
    }

    /// <summary>A booster from bytes written by <see cref="Save"/>.</summary>
    public static Booster Load(ReadOnlySpan<byte> model)
    {
        var booster = Create();
        fixed (byte* p = model)
            XGBoostNative.Check(XGBoostNative.XGBoosterLoadModelFromBuffer(booster.Handle, p, (ulong)model.Length));
        return booster;
    }

    public void SetParameter(string name, string value) => XGBoostNative.Check(XGBoostNative.XGBoosterSetParam(Handle, name, value));

    public void SetParameters(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        foreach (var (name, value) in parameters) SetParameter(name, value);
    }

    /// <summary>Runs one boosting round on <paramref name="train"/>.</summary>
    public void Update(int iteration, DMatrix train) => XGBoostNative.Check(XGBoostNative.XGBoosterUpdateOneIter(Handle, iteration, train.Handle));

    /// <summary>Evaluates the configured metric on named matrices, e.g. "[12]\tvalidation-rmse:3.14".</summary>
    public string Evaluate(int iteration, IReadOnlyList<(string Name, DMatrix Matrix)> sets)
    {
        var matrices = sets.Select(s => s.Matrix.Handle.DangerousGetHandle()).ToArray();
        var names = sets.Select(s => Marshal.StringToCoTaskMemUTF8(s.Name)).ToArray();
        try
        {
            IntPtr result;
            fixed (IntPtr* m = matrices)
            fixed (IntPtr* n = names)
                XGBoostNative.Check(XGBoostNative.XGBoosterEvalOneIter(Handle, iteration, m, n, (ulong)sets.Count, out result));
            GC.KeepAlive(sets);
            return Marshal.PtrToStringUTF8(result) ?? "";
        }
        finally
        {
            foreach (var name in names) Marshal.FreeCoTaskMem(name);
        }
    }

    /// <summary>The value of the first metric in an <see cref="Evaluate"/> result.</summary>
    public static double ParseMetric(string evaluation)
    {
        var field = evaluation.Split('\t', StringSplitOptions.RemoveEmptyEntries).Skip(1).First();
        return double.Parse(field[(field.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
    }

    public int BoostedRounds
    {
        get
        {
            XGBoostNative.Check(XGBoostNative.XGBoosterBoostedRounds(Handle, out var rounds));
            return rounds;
        }
    }

    public int FeatureCount
    {
        get
        {
            XGBoostNative.Check(XGBoostNative.XGBoosterGetNumFeature(Handle, out var features));
            return (int)features;
        }
    }

    /// <summary>A new booster with the rounds [begin, end) of this one.</summary>
    public Booster Slice(int begin, int end)
    {
        XGBoostNative.Check(XGBoostNative.XGBoosterSlice(Handle, begin, end, 1, out var sliced));
        return new Booster(sliced);
    }

    /// <summary>
    /// Predictions for a matrix, row-major (rows × outputs: 1, or the class count for
    /// multi:softprob). <paramref name="margin"/> gives raw scores instead of transformed ones.
    /// </summary>
    public float[] Predict(DMatrix matrix, bool margin = false)
    {
        // XGBoost 1.7 accepts a matrix with fewer columns than the model's features and treats
        // the rest as missing: a silent wrong answer, so it is refused here.
        if (matrix.Columns != FeatureCount)
            throw new ArgumentException($"the booster was trained on {FeatureCount} features but the matrix has {matrix.Columns} columns", nameof(matrix));
        var config = $"{{\"type\": {(margin ? 1 : 0)}, \"training\": false, \"iteration_begin\": 0, \"iteration_end\": 0, \"strict_shape\": false}}";
        XGBoostNative.Check(XGBoostNative.XGBoosterPredictFromDMatrix(Handle, matrix.Handle, config, out var shape, out var dimensions, out var result));
        var count = 1L;
        for (var d = 0UL; d < dimensions; d++) count *= (long)shape[d];
        return new ReadOnlySpan<float>(result, checked((int)count)).ToArray();
    }

    private static byte[] InplaceConfig(int type) =>
        Encoding.UTF8.GetBytes($"{{\"type\": {type}, \"training\": false, \"iteration_begin\": 0, \"iteration_end\": 0, \"strict_shape\": false, \"missing\": NaN, \"cache_id\": 0}}\0");

    private static readonly byte[] TransformedConfig = InplaceConfig(0), MarginConfig = InplaceConfig(1);

    /// <summary>
    /// In-place prediction straight from a row-major float32 buffer (no DMatrix): the low-latency
    /// path for a few rows. Writes rows × outputs values to <paramref name="output"/> and returns
    /// how many; thread-safe. <paramref name="margin"/> gives raw scores instead of transformed ones.
    /// </summary>
    public int PredictDense(ReadOnlySpan<float> values, int rows, int columns, Span<float> output, bool margin = false)
    {
        if ((long)rows * columns != values.Length) throw new ArgumentException($"{values.Length} values cannot fill {rows} rows × {columns} columns");
        fixed (float* data = values)
        fixed (byte* config = margin ? MarginConfig : TransformedConfig)
        {
            // The __array_interface__ JSON XGBoost reads the buffer through, written without allocating.
            Span<byte> json = stackalloc byte[160];
            var length = 0;
            Append(json, ref length, "{\"data\": ["u8);
            Utf8Formatter.TryFormat((ulong)data, json[length..], out var written);
            length += written;
            Append(json, ref length, ", true], \"shape\": ["u8);
            Utf8Formatter.TryFormat(rows, json[length..], out written);
            length += written;
            Append(json, ref length, ", "u8);
            Utf8Formatter.TryFormat(columns, json[length..], out written);
            length += written;
            Append(json, ref length, "], \"strides\": null, \"typestr\": \"<f4\", \"version\": 3}\0"u8);
            ulong* shape;
            ulong dimensions;
            float* result;
            fixed (byte* interfaceJson = json)
                XGBoostNative.Check(XGBoostNative.XGBoosterPredictFromDense(Handle, interfaceJson, config, IntPtr.Zero, out shape, out dimensions, out result));
            var count = 1L;
            for (var d = 0UL; d < dimensions; d++) count *= (long)shape[d];
            if (count > output.Length) throw new ArgumentException($"the output holds {output.Length} values but the prediction has {count}", nameof(output));
            new ReadOnlySpan<float>(result, (int)count).CopyTo(output);
            return (int)count;
        }

        static void Append(Span<byte> buffer, ref int length, ReadOnlySpan<byte> text)
        {
            text.CopyTo(buffer[length..]);
            length += text.Length;
        }
    }

    /// <summary>The model as bytes: "ubj" (universal binary JSON, exact) or "json".</summary>
    public byte[] Save(string format = "ubj")
    {
        XGBoostNative.Check(XGBoostNative.XGBoosterSaveModelToBuffer(Handle, $"{{\"format\": \"{format}\"}}", out var length, out var data));
        return new ReadOnlySpan<byte>(data, checked((int)length)).ToArray();
    }

    /// <summary>The booster's configuration as XGBoost reports it (JSON: learner, objective, tree parameters, nthread, seed).</summary>
    public string Configuration
    {
        get
        {
            XGBoostNative.Check(XGBoostNative.XGBoosterSaveJsonConfig(Handle, out var length, out var data));
            return Encoding.UTF8.GetString(data, checked((int)length));
        }
    }

    /// <summary>Names the features (feature importance reports them).</summary>
    public void SetFeatureNames(IReadOnlyList<string> names)
    {
        var pointers = names.Select(n => Marshal.StringToCoTaskMemUTF8(n)).ToArray();
        try
        {
            fixed (IntPtr* p = pointers)
                XGBoostNative.Check(XGBoostNative.XGBoosterSetStrFeatureInfo(Handle, "feature_name", p, (ulong)names.Count));
        }
        finally
        {
            foreach (var pointer in pointers) Marshal.FreeCoTaskMem(pointer);
        }
    }

    /// <summary>Feature importance by name: "gain", "weight", "cover", "total_gain" or "total_cover".</summary>
    public IReadOnlyDictionary<string, double> FeatureScores(string importanceType)
    {
        var config = JsonSerializer.Serialize(new Dictionary<string, string> { ["importance_type"] = importanceType });
        XGBoostNative.Check(XGBoostNative.XGBoosterFeatureScore(Handle, config, out var count, out var features, out var dimensions, out var shape, out var scores));
        var result = new Dictionary<string, double>((int)count);
        for (var i = 0; i < (int)count; i++) result[Marshal.PtrToStringUTF8(features[i])!] = scores[i];
        return result;
    }

    public void Dispose() => Handle.Dispose();
}
