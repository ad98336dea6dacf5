using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLPipelines.XGBoost.Inference;

/// <summary>
/// An XGBoost model (gbtree or gblinear) compiled from its own JSON into flat managed arrays,
/// for single-row prediction without XGBoost's per-call overhead (parsing two JSON documents
/// and building a data adapter: about 16 µs a call, more than 500 trees take to walk).
/// Follows XGBoost 1.7's CPU predictor: leaf values added in float, in tree order, to the base
/// margin; a missing value (NaN) takes the node's default branch; a categorical split sends the
/// listed categories right and every other value left; then the objective's transformation.
/// Batch prediction stays with XGBoost; tests compare the two on every row.
/// </summary>
public sealed class CompiledEnsemble
{
    // A node in 12 bytes, so that a 500-tree model stays in the L2 cache. A tree's nodes are
    // renumbered breadth-first with each node's two children side by side (right = left + 1);
    // a leaf's Children is its own index and it carries the Leaf flag, so stepping from a leaf
    // stays on it. Meta holds the feature index in its low 24 bits and the flags above; a
    // categorical node's Value holds (as bits) the index of its category set.
    private const int DefaultLeft = 1 << 24, Categorical = 1 << 25, Leaf = 1 << 26, FeatureMask = (1 << 24) - 1;

    // Trees walked together: their loads are independent, so the processor overlaps them.
    private const int Block = 8;

    private struct Node
    {
        public int Children;
        public int Meta;
        public float Value;
    }

    private readonly record struct CategorySet(int Start, int Words);

    private enum Transform { Identity, Sigmoid, Softmax }

    private readonly Node[] _nodes = [];
    private readonly int[] _roots = [];
    private readonly int[] _groups = [];
    private readonly CategorySet[] _categorySets = [];
    private readonly ulong[] _categoryBits = [];
    private readonly float[] _linearWeights = [];
    private readonly bool _linear;
    private readonly float _baseMargin;
    private readonly int _depth;
    private readonly Transform _transform;

    /// <summary>Values written by <see cref="PredictRow"/>: 1, or the class count for multiclass models.</summary>
    public int OutputCount { get; }

    public int FeatureCount { get; }

    /// <summary>Compiles a model saved by XGBoost as JSON (<c>Booster.Save("json")</c>).</summary>
    public CompiledEnsemble(ReadOnlySpan<byte> modelJson) : this(XGBoostJson.Parse(modelJson))
    {
    }

    /// <summary>Compiles a model read from XGBoost's JSON.</summary>
    public CompiledEnsemble(XGBoostJson model)
    {
        FeatureCount = model.FeatureCount;
        OutputCount = model.OutputCount;
        var objective = model.Objective;
        (_transform, _baseMargin) = objective switch
        {
            "binary:logistic" or "reg:logistic" => (Transform.Sigmoid, -MathF.Log(1.0f / model.BaseScore - 1.0f)),
            "multi:softprob" => (Transform.Softmax, model.BaseScore),
            "reg:squarederror" or "binary:logitraw" or "multi:softmax" => (Transform.Identity, model.BaseScore),
            _ => throw new NotSupportedException($"the objective {objective} is not supported by compiled prediction"),
        };
        if (objective == "multi:softmax") throw new NotSupportedException("multi:softmax outputs class indices; use multi:softprob");
        if (model.LinearWeights is { } weights)
        {
            _linear = true;
            _linearWeights = weights;
            return;
        }

        _groups = model.Groups;
        var nodes = new List<Node>();
        var roots = new List<int>();
        var sets = new List<CategorySet>();
        var bits = new List<ulong>();
        foreach (var tree in model.Trees)
        {
            var (left, right) = (tree.Left, tree.Right);

            // Breadth-first renumbering: position[original] = index in `nodes`.
            var offset = nodes.Count;
            roots.Add(offset);
            var order = new List<int> { 0 };
            var position = new Dictionary<int, int> { [0] = offset };
            for (var i = 0; i < order.Count; i++)
            {
                var original = order[i];
                if (left[original] == -1) continue;
                position[left[original]] = offset + order.Count;
                order.Add(left[original]);
                position[right[original]] = offset + order.Count;
                order.Add(right[original]);
            }
            var depthOf = new Dictionary<int, int> { [0] = 0 };
            foreach (var original in order)
            {
                var node = new Node { Value = tree.Conditions[original], Children = position[original], Meta = Leaf };
                if (left[original] == -1) _depth = Math.Max(_depth, depthOf[original]);
                else
                {
                    depthOf[left[original]] = depthOf[right[original]] = depthOf[original] + 1;
                    node.Children = position[left[original]];
                    node.Meta = tree.Features[original] | (tree.DefaultLeft[original] ? DefaultLeft : 0);
                    if (tree.Categorical[original])
                    {
                        node.Meta |= Categorical;
                        var listed = tree.CategoriesRight.GetValueOrDefault(original, []);
                        var words = listed.Length == 0 ? 0 : listed.Max() / 64 + 1;
                        var set = new ulong[words];
                        foreach (var c in listed) set[c / 64] |= 1UL << (c % 64);
                        node.Value = BitConverter.Int32BitsToSingle(sets.Count);
                        sets.Add(new CategorySet(bits.Count, words));
                        bits.AddRange(set);
                    }
                }
                nodes.Add(node);
            }
        }
        if (FeatureCount > FeatureMask) throw new NotSupportedException($"compiled prediction supports up to {FeatureMask} features");
        _nodes = nodes.ToArray();
        _roots = roots.ToArray();
        _categorySets = sets.ToArray();
        _categoryBits = bits.ToArray();
    }

    /// <summary>
    /// Predicts one row: the value, the positive-class probability, or the class probabilities;
    /// with <paramref name="margin"/>, the raw scores before the objective's transformation.
    /// </summary>
    public void PredictRow(ReadOnlySpan<float> features, Span<float> output, bool margin = false)
    {
        if (features.Length != FeatureCount) throw new ArgumentException($"the model takes {FeatureCount} features, not {features.Length}", nameof(features));
        if (output.Length < OutputCount) throw new ArgumentException($"the output needs room for {OutputCount} values", nameof(output));
        var margins = output[..OutputCount];
        margins.Fill(_baseMargin);
        if (_linear) AddLinear(features, margins);
        else AddTrees(features, margins);
        if (margin) return;
        switch (_transform)
        {
            case Transform.Sigmoid:
                margins[0] = 1.0f / (1.0f + MathF.Exp(-margins[0]));
                break;
            case Transform.Softmax:
                Softmax(margins);
                break;
        }
    }

    /// <summary>
    /// Walks the trees in blocks of <see cref="Block"/>, one level per step for every tree of the
    /// block, as many steps as the deepest tree has levels (leaves stay put). The step is
    /// branch-free for numeric splits: right = !(x &lt; threshold), except that a missing x goes
    /// to the default side and a leaf never moves. Leaf values are then added in tree order.
    /// </summary>
    private void AddTrees(ReadOnlySpan<float> features, Span<float> margins)
    {
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref var x = ref MemoryMarshal.GetReference(features);
        var roots = _roots;
        var groups = _groups;
        Span<int> current = stackalloc int[Block];
        for (var first = 0; first < roots.Length; first += Block)
        {
            var count = Math.Min(Block, roots.Length - first);
            roots.AsSpan(first, count).CopyTo(current);
            for (var level = 0; level < _depth; level++)
            {
                for (var j = 0; j < count; j++)
                {
                    ref var node = ref Unsafe.Add(ref nodes, current[j]);
                    var meta = node.Meta;
                    var value = Unsafe.Add(ref x, meta & FeatureMask);
                    int right;
                    if ((meta & Categorical) == 0)
                    {
                        var missingGoesLeft = float.IsNaN(value) & (meta & DefaultLeft) != 0;
                        right = (value < node.Value ? 0 : 1) & ((missingGoesLeft | (meta & Leaf) != 0) ? 0 : 1);
                    }
                    else if (float.IsNaN(value)) right = (meta & DefaultLeft) == 0 ? 1 : 0;
                    else right = InCategories(BitConverter.SingleToInt32Bits(node.Value), value) ? 1 : 0;
                    current[j] = node.Children + right;
                }
            }
            for (var j = 0; j < count; j++) margins[groups[first + j]] += Unsafe.Add(ref nodes, current[j]).Value;
        }
    }

    private bool InCategories(int set, float value)
    {
        var category = (int)value;
        if (category < 0) return false;
        var word = category >> 6;
        var (start, words) = _categorySets[set];
        return word < words && (_categoryBits[start + word] & (1UL << (category & 63))) != 0;
    }

    /// <summary>gblinear: per class, bias + Σ weight · feature over the present features; weights are [features + 1] × classes, bias last.</summary>
    private void AddLinear(ReadOnlySpan<float> features, Span<float> margins)
    {
        var classes = OutputCount;
        for (var g = 0; g < classes; g++)
        {
            var sum = 0.0f;
            for (var f = 0; f < FeatureCount; f++)
                if (!float.IsNaN(features[f])) sum += features[f] * _linearWeights[f * classes + g];
            margins[g] += sum + _linearWeights[FeatureCount * classes + g];
        }
    }

    private static void Softmax(Span<float> values)
    {
        var max = values[0];
        foreach (var v in values) max = MathF.Max(max, v);
        var sum = 0.0f;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = MathF.Exp(values[i] - max);
            sum += values[i];
        }
        for (var i = 0; i < values.Length; i++) values[i] /= sum;
    }
}
