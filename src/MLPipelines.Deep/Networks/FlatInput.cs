using MLPipelines.Deep.Onnx;
using MLPipelines.Deep.Options;
using MLPipelines.Onnx;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;

namespace MLPipelines.Deep.Networks;

/// <summary>
/// Turns a batch into one flat vector per row for MLP-style networks: numeric columns (raw or
/// embedded, then flattened), the other matrix columns as they are, and the categorical
/// embeddings flattened. Also says which flat columns belong to which input feature
/// (TabM initializes its first adapter per feature).
/// </summary>
public sealed class FlatInput : Module<NetworkInput, Tensor>
{
    private readonly Tensor? _numericIndex, _otherIndex;
    private readonly Module<Tensor, Tensor>? _numericEmbedding;
    private readonly CategoricalEmbeddings? _categorical;

    public FlatInput(NetworkShape shape, DeepModelOptions options)
    {
        var numeric = shape.NumericColumns;
        var other = shape.OtherColumns;
        if (options.NumericEmbedding != NumericEmbeddingKind.None && numeric.Length > 0)
        {
            _numericIndex = RegisterBuffer("numeric_index", Tensors.FromArray(numeric.Select(i => (long)i).ToArray()));
            _otherIndex = RegisterBuffer("other_index", Tensors.FromArray(other.Select(i => (long)i).ToArray()));
            Module<Tensor, Tensor> embedding = options.NumericEmbedding switch
            {
                NumericEmbeddingKind.Periodic => new PeriodicEmbeddings(numeric.Length, options.PeriodicFrequencies, options.PeriodicScale, options.NumericEmbeddingSize),
                NumericEmbeddingKind.PiecewiseLinear => new PiecewiseLinearEmbeddings(shape.Bins!, options.NumericEmbeddingSize),
                _ => new PbldEmbeddings(numeric.Length),
            };
            _numericEmbedding = RegisterModule("numeric_embedding", embedding);
        }
        if (shape.CategoricalCardinalities.Length > 0)
            _categorical = RegisterModule("categorical_embedding", new CategoricalEmbeddings(shape.CategoricalCardinalities, options.CategoricalEmbeddingSize));
        Sections = Runs(shape, options).Select(r => r.Width).ToArray();
        Width = Sections.Sum();
    }

    /// <summary>
    /// The flat vector's runs in order, one per input feature: which part of the input it comes
    /// from ("numeric" embedded columns, "other" matrix columns, or all matrix "columns" when
    /// nothing is embedded; "categorical" index columns), its rank within that part, and its width.
    /// </summary>
    public static (string Part, int Rank, int Width)[] Runs(NetworkShape shape, DeepModelOptions options)
    {
        var runs = new List<(string, int, int)>();
        var numeric = shape.NumericColumns;
        if (options.NumericEmbedding != NumericEmbeddingKind.None && numeric.Length > 0)
        {
            var size = options.NumericEmbedding == NumericEmbeddingKind.Pbld ? PbldEmbeddings.Width : options.NumericEmbeddingSize;
            runs.AddRange(numeric.Select((_, rank) => ("numeric", rank, size)));
            runs.AddRange(shape.OtherColumns.Select((_, rank) => ("other", rank, 1)));
        }
        else runs.AddRange(Enumerable.Range(0, shape.FeatureCount).Select(rank => ("columns", rank, 1)));
        runs.AddRange(shape.CategoricalCardinalities.Select((_, rank) => ("categorical", rank, options.CategoricalEmbeddingSize)));
        return runs.ToArray();
    }

    /// <summary>The width of the flat vector.</summary>
    public int Width { get; }

    /// <summary>The flat vector's columns, in consecutive runs, one run per input feature.</summary>
    public int[] Sections { get; }

    public override Tensor Forward(NetworkInput input)
    {
        var parts = new List<Tensor>();
        if (_numericEmbedding is not null)
        {
            parts.Add(_numericEmbedding.Forward(input.Features.IndexSelect(1, _numericIndex!)).Flatten(1));
            if (_otherIndex!.NumberOfElements > 0) parts.Add(input.Features.IndexSelect(1, _otherIndex));
        }
        else parts.Add(input.Features);
        if (_categorical is not null) parts.Add(_categorical.Forward(input.Categories!).Flatten(1));
        return parts.Count == 1 ? parts[0] : Tensor.Cat(parts, 1);
    }

    /// <summary><see cref="Forward"/> as ONNX nodes: features [N, F] and categorical indices [N, C] (or null) to [N, <see cref="Width"/>].</summary>
    public string WriteOnnx(OnnxGraph graph, string features, string? categories)
    {
        using var _ = graph.Scope("input");
        var parts = new List<string>();
        if (_numericEmbedding is not null)
        {
            var numeric = graph.Columns(features, _numericIndex!.ToArray<long>());
            parts.Add(Flatten(graph, ((IOnnxModule)_numericEmbedding).WriteOnnx(graph, numeric)));
            if (_otherIndex!.NumberOfElements > 0) parts.Add(graph.Columns(features, _otherIndex.ToArray<long>()));
        }
        else parts.Add(features);
        if (_categorical is not null) parts.Add(Flatten(graph, _categorical.WriteOnnx(graph, categories!)));
        return graph.Concat(parts, axis: 1);
    }

    private static string Flatten(OnnxGraph graph, string x) => graph.Node("Flatten", [x], Attributes.Int("axis", 1));
}
