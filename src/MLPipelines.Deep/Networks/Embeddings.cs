using MLPipelines.Deep.Onnx;
using MLPipelines.Onnx;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;
using MLPipelines.Transforms.Scaling;

namespace MLPipelines.Deep.Networks;

/// <summary>
/// PLR embeddings (Gorishniy et al. 2022, "On embeddings for numerical features"): per feature,
/// learned frequencies c ~ N(0, σ²), v = [cos 2πcx, sin 2πcx], then a per-feature linear layer
/// and ReLU. [B, n] → [B, n, d].
/// </summary>
public sealed class PeriodicEmbeddings : Module<Tensor, Tensor>, IOnnxModule
{
    private readonly Tensor _frequencies;
    private readonly NLinear _linear;

    public PeriodicEmbeddings(int features, int frequencies, double scale, int dimension)
    {
        using (TorchRuntime.NoGrad())
            _frequencies = RegisterParameter("frequencies", Tensors.Empty([features, frequencies]).NormalInPlace(0, scale));
        _linear = RegisterModule("linear", new NLinear(features, 2 * frequencies, dimension));
    }

    public override Tensor Forward(Tensor input)
    {
        var angles = input.Unsqueeze(-1) * _frequencies * (2 * Math.PI);
        return _linear.Forward(Tensor.Cat([angles.Cos(), angles.Sin()], -1)).Relu();
    }

    public string WriteOnnx(OnnxGraph graph, string input)
    {
        using var _ = graph.Scope("periodic");
        var angles = graph.Mul(graph.Mul(graph.Unsqueeze(input, -1), graph.Weights("frequencies", _frequencies)), graph.ScalarFloat((float)(2 * Math.PI)));
        using (graph.Scope("linear")) return graph.Relu(_linear.WriteOnnx(graph, graph.Concat([graph.Cos(angles), graph.Sin(angles)], axis: -1)));
    }
}

/// <summary>
/// PBLD embeddings (RealMLP, Holzmüller et al. 2024: periodic, bias, linear, DenseNet-style): per
/// feature j, 16 frequencies w_j ~ N(0, 0.1²) and phases b_j ~ U[−π, π]; h = cos(2π·w_j·x + b_j);
/// a per-feature linear layer 16 → 3 with no activation (weights and biases U(±¼)); and x itself
/// appended. [B, n] → [B, n, 4]. (The reference lays out all embeddings, then all raw values: a
/// permutation of the same flat vector.)
/// </summary>
public sealed class PbldEmbeddings : Module<Tensor, Tensor>, IOnnxModule
{
    public const int Frequencies = 16;
    public const int Hidden = 3;
    public const double FrequencyScale = 0.1;

    /// <summary>Values per feature: the 3 embedded ones and the feature.</summary>
    public const int Width = Hidden + 1;

    private readonly Tensor _frequencies, _phases;
    private readonly NLinear _linear;

    public PbldEmbeddings(int features)
    {
        using (TorchRuntime.NoGrad())
        {
            _frequencies = RegisterParameter("frequencies", Tensors.Empty([features, Frequencies]).NormalInPlace(0, FrequencyScale));
            _phases = RegisterParameter("phases", Tensors.Empty([features, Frequencies]).UniformInPlace(-Math.PI, Math.PI));
        }
        _linear = RegisterModule("linear", new NLinear(features, Frequencies, Hidden));
    }

    public override Tensor Forward(Tensor input)
    {
        var x = input.Unsqueeze(-1);
        var periodic = (x * _frequencies * (2 * Math.PI) + _phases).Cos();
        return Tensor.Cat([_linear.Forward(periodic), x], -1);
    }

    public string WriteOnnx(OnnxGraph graph, string input)
    {
        using var _ = graph.Scope("pbld");
        var x = graph.Unsqueeze(input, -1);
        var angles = graph.Mul(graph.Mul(x, graph.Weights("frequencies", _frequencies)), graph.ScalarFloat((float)(2 * Math.PI)));
        var periodic = graph.Cos(graph.Add(angles, graph.Weights("phases", _phases)));
        using (graph.Scope("linear")) return graph.Concat([_linear.WriteOnnx(graph, periodic), x], axis: -1);
    }
}

/// <summary>
/// Piecewise-linear encoding (Gorishniy et al. 2022) followed by a per-feature linear layer and
/// ReLU. Feature j with bin edges e_0 &lt; … &lt; e_T is encoded as T values
/// (x − e_{t−1}) / (e_t − e_{t−1}), clamped to [0, 1] except that the first bin is open below and
/// the last above. Features with fewer bins are padded with zeros. [B, n] → [B, n, d].
/// </summary>
public sealed class PiecewiseLinearEmbeddings : Module<Tensor, Tensor>, IOnnxModule
{
    private readonly Tensor _left, _width, _lower, _upper, _mask;
    private readonly NLinear _linear;

    public PiecewiseLinearEmbeddings(double[][] bins, int dimension)
    {
        var features = bins.Length;
        var width = bins.Max(b => b.Length - 1);
        var left = new float[features * width];
        var widths = new float[features * width];
        var lower = new float[features * width];
        var upper = new float[features * width];
        var mask = new float[features * width];
        for (var j = 0; j < features; j++)
        {
            var count = bins[j].Length - 1;
            for (var t = 0; t < width; t++)
            {
                var i = j * width + t;
                if (t >= count)
                {
                    widths[i] = 1;
                    continue;
                }
                left[i] = (float)bins[j][t];
                widths[i] = (float)(bins[j][t + 1] - bins[j][t]);
                lower[i] = t == 0 ? float.NegativeInfinity : 0f;
                upper[i] = t == count - 1 ? float.PositiveInfinity : 1f;
                mask[i] = 1;
            }
        }
        _left = RegisterBuffer("left", Tensors.FromArray(left, features, width));
        _width = RegisterBuffer("width", Tensors.FromArray(widths, features, width));
        _lower = RegisterBuffer("lower", Tensors.FromArray(lower, features, width));
        _upper = RegisterBuffer("upper", Tensors.FromArray(upper, features, width));
        _mask = RegisterBuffer("mask", Tensors.FromArray(mask, features, width));
        _linear = RegisterModule("linear", new NLinear(features, width, dimension));
    }

    public override Tensor Forward(Tensor input)
    {
        var encoded = ((input.Unsqueeze(-1) - _left) / _width).Maximum(_lower).Minimum(_upper) * _mask;
        return _linear.Forward(encoded).Relu();
    }

    public string WriteOnnx(OnnxGraph graph, string input)
    {
        using var _ = graph.Scope("piecewise_linear");
        var scaled = graph.Div(graph.Sub(graph.Unsqueeze(input, -1), graph.Weights("left", _left)), graph.Weights("width", _width));
        var encoded = graph.Mul(graph.Min(graph.Max(scaled, graph.Weights("lower", _lower)), graph.Weights("upper", _upper)), graph.Weights("mask", _mask));
        using (graph.Scope("linear")) return graph.Relu(_linear.WriteOnnx(graph, encoded));
    }

    /// <summary>
    /// Bin edges from the training rows: the quantiles at 0, 1/n, …, 1 of each column's finite
    /// values, duplicates removed (a column with few distinct values gets fewer bins; a constant
    /// column gets one bin around its value).
    /// </summary>
    public static double[][] ComputeBins(float[] features, int rows, int columns, int[] numericColumns, int bins)
    {
        var result = new double[numericColumns.Length][];
        for (var j = 0; j < numericColumns.Length; j++)
        {
            var values = new double[rows];
            for (var r = 0; r < rows; r++) values[r] = features[r * columns + numericColumns[j]];
            var sorted = Quantiles.SortedFinite(values);
            var edges = sorted.Length == 0
                ? [0.0]
                : Enumerable.Range(0, bins + 1).Select(i => Quantiles.Linear(sorted, (double)i / bins)).Distinct().ToArray();
            result[j] = edges.Length >= 2 ? edges : [edges[0] - 0.5, edges[0] + 0.5];
        }
        return result;
    }
}

/// <summary>One learned vector per level of each categorical index column: [B, C] → [B, C, d]. Index 0 is the unknown slot.</summary>
public sealed class CategoricalEmbeddings : Module<Tensor, Tensor>, IOnnxModule
{
    private readonly Embedding _table;
    private readonly Tensor _offsets;

    public CategoricalEmbeddings(int[] cardinalities, int dimension)
    {
        _table = RegisterModule("table", new Embedding(cardinalities.Sum(), dimension));
        var bound = 1 / Math.Sqrt(dimension);
        using (TorchRuntime.NoGrad()) _table.Weight.UniformInPlace(-bound, bound);
        var offsets = new long[cardinalities.Length];
        for (var c = 1; c < offsets.Length; c++) offsets[c] = offsets[c - 1] + cardinalities[c - 1];
        _offsets = RegisterBuffer("offsets", Tensors.FromArray(offsets));
    }

    public override Tensor Forward(Tensor indices) => _table.Forward(indices + _offsets);

    public string WriteOnnx(OnnxGraph graph, string indices)
    {
        using var _ = graph.Scope("categorical");
        var offsets = graph.Constant("offsets", _offsets.ToArray<long>(), _offsets.Size(0));
        return graph.Gather(graph.Weights("table", _table.Weight), graph.Add(indices, offsets), axis: 0);
    }
}
