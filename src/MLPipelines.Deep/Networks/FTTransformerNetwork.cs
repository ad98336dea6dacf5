using MLPipelines.Deep.Onnx;
using MLPipelines.Deep.Options;
using MLPipelines.Onnx;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;

namespace MLPipelines.Deep.Networks;

/// <summary>
/// The feature tokenizer: every feature becomes a d-dimensional token. Matrix columns x_j become
/// x_j·w_j + b_j (numeric columns may use numeric embeddings instead); categorical index columns
/// become their embedding plus a per-column bias. Weights start U(±1/√d), as in rtdl.
/// </summary>
public sealed class FeatureTokenizer : Module<NetworkInput, Tensor>
{
    private readonly Tensor _weight, _bias;
    private readonly Tensor? _linearIndex, _embeddedIndex;
    private readonly Module<Tensor, Tensor>? _numericEmbedding;
    private readonly CategoricalEmbeddings? _categorical;
    private readonly Tensor? _categoricalBias;

    public FeatureTokenizer(NetworkShape shape, FTTransformerOptions options)
    {
        if (options.NumericEmbedding == NumericEmbeddingKind.Pbld)
            throw new ArgumentException("PBLD embeddings are RealMLP's, for MLP-style networks; FT-Transformer's tokens take Periodic or PiecewiseLinear embeddings");
        var d = options.TokenSize;
        var bound = 1 / Math.Sqrt(d);
        var embedded = options.NumericEmbedding != NumericEmbeddingKind.None ? shape.NumericColumns : [];
        var linear = Enumerable.Range(0, shape.FeatureCount).Except(embedded).ToArray();
        using (TorchRuntime.NoGrad())
        {
            _weight = RegisterParameter("weight", Tensors.Empty([linear.Length, d]).UniformInPlace(-bound, bound));
            _bias = RegisterParameter("bias", Tensors.Empty([linear.Length, d]).UniformInPlace(-bound, bound));
        }
        if (embedded.Length > 0)
        {
            _linearIndex = RegisterBuffer("linear_index", Tensors.FromArray(linear.Select(i => (long)i).ToArray()));
            _embeddedIndex = RegisterBuffer("embedded_index", Tensors.FromArray(embedded.Select(i => (long)i).ToArray()));
            _numericEmbedding = options.NumericEmbedding == NumericEmbeddingKind.Periodic
                ? RegisterModule("numeric_embedding", new PeriodicEmbeddings(embedded.Length, options.PeriodicFrequencies, options.PeriodicScale, d))
                : RegisterModule("numeric_embedding", new PiecewiseLinearEmbeddings(shape.Bins!, d));
        }
        if (shape.CategoricalCardinalities.Length > 0)
        {
            _categorical = RegisterModule("categorical_embedding", new CategoricalEmbeddings(shape.CategoricalCardinalities, d));
            using (TorchRuntime.NoGrad())
                _categoricalBias = RegisterParameter("categorical_bias", Tensors.Empty([shape.CategoricalCardinalities.Length, d]).UniformInPlace(-bound, bound));
        }
    }

    /// <summary>[B, tokens, d].</summary>
    public override Tensor Forward(NetworkInput input)
    {
        var tokens = new List<Tensor>();
        var linear = _linearIndex is null ? input.Features : input.Features.IndexSelect(1, _linearIndex);
        if (_weight.Size(0) > 0) tokens.Add(linear.Unsqueeze(-1) * _weight + _bias);
        if (_numericEmbedding is not null) tokens.Add(_numericEmbedding.Forward(input.Features.IndexSelect(1, _embeddedIndex!)));
        if (_categorical is not null) tokens.Add(_categorical.Forward(input.Categories!) + _categoricalBias!);
        return tokens.Count == 1 ? tokens[0] : Tensor.Cat(tokens, 1);
    }

    /// <summary><see cref="Forward"/> as ONNX nodes: [N, tokens, d].</summary>
    public string WriteOnnx(OnnxGraph graph, string features, string? categories)
    {
        using var _ = graph.Scope("tokenizer");
        var tokens = new List<string>();
        var linear = _linearIndex is null ? features : graph.Columns(features, _linearIndex.ToArray<long>());
        if (_weight.Size(0) > 0) tokens.Add(graph.Add(graph.Mul(graph.Unsqueeze(linear, -1), graph.Weights("weight", _weight)), graph.Weights("bias", _bias)));
        if (_numericEmbedding is not null) tokens.Add(((IOnnxModule)_numericEmbedding).WriteOnnx(graph, graph.Columns(features, _embeddedIndex!.ToArray<long>())));
        if (_categorical is not null) tokens.Add(graph.Add(_categorical.WriteOnnx(graph, categories!), graph.Weights("categorical_bias", _categoricalBias!)));
        return graph.Concat(tokens, axis: 1);
    }
}

/// <summary>Multi-head self-attention: queries from <c>queries</c>, keys and values from <c>context</c>; dropout on the attention weights.</summary>
public sealed class MultiHeadAttention : Module
{
    private readonly Linear _query, _key, _value, _output;
    private readonly Dropout _dropout;   // holds the probability; the shim's attention kernel applies it to the weights
    private readonly int _heads;

    public MultiHeadAttention(int d, int heads, double dropout)
    {
        if (d % heads != 0) throw new ArgumentException($"the token size {d} must be divisible by the {heads} heads");
        _heads = heads;
        _query = RegisterModule("query", new Linear(d, d));
        _key = RegisterModule("key", new Linear(d, d));
        _value = RegisterModule("value", new Linear(d, d));
        _output = RegisterModule("output", new Linear(d, d));
        using (TorchRuntime.NoGrad()) _output.Bias!.Fill(0);
        _dropout = RegisterModule("dropout", new Dropout(dropout));
    }

    public Tensor Forward(Tensor queries, Tensor context) =>
        _output.Forward(Functional.Attention(_query.Forward(queries), _key.Forward(context), _value.Forward(context), _heads, _dropout.Probability, IsTraining));

    /// <summary><see cref="Forward"/> as ONNX nodes.</summary>
    public string WriteOnnx(OnnxGraph graph, string queries, string context)
    {
        var d = _query.Weight.Size(0);
        var headSize = d / _heads;
        string Split(string x) => graph.Transpose(graph.Reshape(x, 0, 0, _heads, headSize), 0, 2, 1, 3);   // [B, h, T, d/h]
        string q, k, v;
        using (graph.Scope("query")) q = Split(graph.Linear(_query, queries));
        using (graph.Scope("key")) k = Split(graph.Linear(_key, context));
        using (graph.Scope("value")) v = Split(graph.Linear(_value, context));
        var scores = graph.Mul(graph.MatMul(q, graph.Transpose(k, 0, 1, 3, 2)), graph.ScalarFloat((float)(1 / Math.Sqrt(headSize))));
        var mixed = graph.Reshape(graph.Transpose(graph.MatMul(graph.Softmax(scores, -1), v), 0, 2, 1, 3), 0, 0, d);
        using (graph.Scope("output")) return graph.Linear(_output, mixed);
    }
}

/// <summary>
/// FT-Transformer (Gorishniy et al. 2021): the feature tokenizer, a [CLS] token appended, pre-norm
/// Transformer blocks (attention, then a ReGLU feed-forward network, each with a residual
/// connection; the first block's attention has no normalization before it), and on the [CLS]
/// token LayerNorm → ReLU → linear output. The last block computes only the [CLS] token.
/// </summary>
public sealed class FTTransformerNetwork : TabularNetwork
{
    private sealed class Block : Module
    {
        private readonly LayerNorm? _attentionNorm;
        private readonly MultiHeadAttention _attention;
        private readonly LayerNorm _ffnNorm;
        private readonly Linear _ffnIn, _ffnOut;
        private readonly Dropout _ffnDropout, _residualDropout;

        public Block(FTTransformerOptions options, bool first)
        {
            var d = options.TokenSize;
            var hidden = (int)(d * options.FeedForwardFactor);
            if (!first) _attentionNorm = RegisterModule("attention_norm", new LayerNorm(d));
            _attention = RegisterModule("attention", new MultiHeadAttention(d, options.Heads, options.AttentionDropout));
            _ffnNorm = RegisterModule("ffn_norm", new LayerNorm(d));
            _ffnIn = RegisterModule("ffn_in", new Linear(d, 2 * hidden));
            _ffnDropout = RegisterModule("ffn_dropout", new Dropout(options.FeedForwardDropout));
            _ffnOut = RegisterModule("ffn_out", new Linear(hidden, d));
            _residualDropout = RegisterModule("residual_dropout", new Dropout(options.ResidualDropout));
        }

        /// <summary>With <paramref name="lastTokenOnly"/>, only the last token (the [CLS]) is computed: [B, 1, d].</summary>
        public Tensor Forward(Tensor x, bool lastTokenOnly)
        {
            var normed = _attentionNorm?.Forward(x) ?? x;
            var queries = lastTokenOnly ? normed.Narrow(1, normed.Size(1) - 1, 1) : normed;
            var residual = lastTokenOnly ? x.Narrow(1, x.Size(1) - 1, 1) : x;
            x = residual + _residualDropout.Forward(_attention.Forward(queries, normed));
            var hidden = _ffnIn.Forward(_ffnNorm.Forward(x)).Split(_ffnIn.Weight.Size(0) / 2, -1);
            var reglu = hidden[0] * hidden[1].Relu();
            return x + _residualDropout.Forward(_ffnOut.Forward(_ffnDropout.Forward(reglu)));
        }

        public string WriteOnnx(OnnxGraph graph, string x, bool lastTokenOnly)
        {
            string normed;
            using (graph.Scope("attention_norm")) normed = _attentionNorm is null ? x : graph.LayerNorm(_attentionNorm, x);
            var queries = lastTokenOnly ? graph.Slice(normed, -1, long.MaxValue, 1) : normed;
            var residual = lastTokenOnly ? graph.Slice(x, -1, long.MaxValue, 1) : x;
            using (graph.Scope("attention")) x = graph.Add(residual, _attention.WriteOnnx(graph, queries, normed));
            var half = _ffnIn.Weight.Size(0) / 2;
            string hidden;
            using (graph.Scope("ffn_norm")) hidden = graph.LayerNorm(_ffnNorm, x);
            using (graph.Scope("ffn_in")) hidden = graph.Linear(_ffnIn, hidden);
            var reglu = graph.Mul(graph.Slice(hidden, 0, half, -1), graph.Relu(graph.Slice(hidden, half, 2 * half, -1)));
            using (graph.Scope("ffn_out")) return graph.Add(x, graph.Linear(_ffnOut, reglu));
        }
    }

    private readonly FeatureTokenizer _tokenizer;
    private readonly Tensor _cls;
    private readonly List<Block> _blocks = [];
    private readonly LayerNorm _headNorm;
    private readonly Linear _head;

    public FTTransformerNetwork(NetworkShape shape, FTTransformerOptions options)
    {
        _tokenizer = RegisterModule("tokenizer", new FeatureTokenizer(shape, options));
        var bound = 1 / Math.Sqrt(options.TokenSize);
        using (TorchRuntime.NoGrad())
            _cls = RegisterParameter("cls_tokenizer", Tensors.Empty([options.TokenSize]).UniformInPlace(-bound, bound));
        for (var i = 0; i < options.Blocks; i++) _blocks.Add(RegisterModule($"block{i}", new Block(options, first: i == 0)));
        _headNorm = RegisterModule("head_norm", new LayerNorm(options.TokenSize));
        _head = RegisterModule("head", new Linear(options.TokenSize, shape.Outputs));
        long tokens = shape.FeatureCount + shape.CategoricalCardinalities.Length + 1;   // and [CLS]
        WidestActivation = tokens * Math.Max(2 * (int)(options.TokenSize * options.FeedForwardFactor), options.Heads * tokens);
    }

    /// <summary>Per token the feed-forward layer's input half and gate half, or the attention's scores over all tokens, whichever is larger.</summary>
    public override long WidestActivation { get; }

    /// <summary>The last linear layer (the layer norm before it stays with the body).</summary>
    public override bool IsHead(string name) => name.StartsWith("head.", StringComparison.Ordinal);

    public override bool IsPerFeature(string name) => name.StartsWith("tokenizer.", StringComparison.Ordinal);

    public override Tensor Forward(NetworkInput input)
    {
        var tokens = _tokenizer.Forward(input);
        var cls = _cls.Reshape(1, 1, -1).Expand(tokens.Size(0), 1, -1);
        var x = Tensor.Cat([tokens, cls], 1);
        for (var i = 0; i < _blocks.Count; i++) x = _blocks[i].Forward(x, lastTokenOnly: i == _blocks.Count - 1);
        return _head.Forward(_headNorm.Forward(x.Select(1, 0)).Relu()).Unsqueeze(1);
    }

    public override string WriteOnnx(OnnxGraph graph, string features, string? categories)
    {
        using var _ = graph.Scope("ft_transformer");
        var tokens = _tokenizer.WriteOnnx(graph, features, categories);
        // The [CLS] token, one per row: [1, 1, d] broadcast to [N, 1, d].
        var d = _cls.Size(0);
        var cls = graph.Expand(graph.Weights("cls_tokenizer", _cls.Reshape(1, 1, d)), graph.Concat([graph.Rows(tokens), graph.Constant("cls_shape", [1L, d], 2)], axis: 0));
        var x = graph.Concat([tokens, cls], axis: 1);
        for (var i = 0; i < _blocks.Count; i++)
            using (graph.Scope($"block{i}")) x = _blocks[i].WriteOnnx(graph, x, lastTokenOnly: i == _blocks.Count - 1);
        using (graph.Scope("head_norm")) x = graph.Relu(graph.LayerNorm(_headNorm, graph.Squeeze(x, 1)));
        using (graph.Scope("head")) return graph.Unsqueeze(graph.Linear(_head, x), 1);
    }
}
