using MLPipelines.Onnx.Protobuf;

namespace MLPipelines.Onnx;

/// <summary>How an interior node of a <see cref="TreeEnsembleBuilder"/> compares its feature (ai.onnx.ml's nodes_modes).</summary>
public enum TreeBranch : byte
{
    /// <summary>x ≤ split takes the true branch.</summary>
    LessOrEqual = 0,

    /// <summary>x &lt; split takes the true branch.</summary>
    Less = 1,

    /// <summary>x in the node's set of values takes the true branch.</summary>
    Member = 6,
}

/// <summary>
/// One ai.onnx.ml TreeEnsemble node (opset 5) built tree by tree: interior nodes and leaves are
/// numbered in two lists shared by all trees, so a tree's nodes must be added in the order of the
/// numbers its caller gave them (<see cref="NodeCount"/> before the tree is the first). Each leaf
/// adds its weight to one target; a NaN feature takes the true branch where the node tracks
/// missing values there, else it is compared (and every comparison with NaN is false).
/// </summary>
public sealed class TreeEnsembleBuilder
{
    private readonly List<long> _features = [];
    private readonly List<float> _splits = [];
    private readonly List<byte> _modes = [];
    private readonly List<long> _trueIds = [];
    private readonly List<long> _trueLeaves = [];
    private readonly List<long> _falseIds = [];
    private readonly List<long> _falseLeaves = [];
    private readonly List<long> _missingTrue = [];
    private readonly List<float> _members = [];
    private readonly List<long> _roots = [];
    private readonly List<long> _leafTargets = [];
    private readonly List<float> _leafWeights = [];

    /// <summary>Interior nodes so far: the number the next one gets.</summary>
    public int NodeCount => _features.Count;

    /// <summary>Trees so far.</summary>
    public int TreeCount => _roots.Count;

    /// <summary>A leaf that adds <paramref name="weight"/> to output <paramref name="target"/>; returns its number.</summary>
    public long Leaf(long target, float weight)
    {
        _leafTargets.Add(target);
        _leafWeights.Add(weight);
        return _leafWeights.Count - 1;
    }

    /// <summary>Starts a tree at interior node <paramref name="root"/>.</summary>
    public void Root(long root) => _roots.Add(root);

    /// <summary>
    /// The next interior node (number <see cref="NodeCount"/>). <paramref name="members"/>: the
    /// value set of a <see cref="TreeBranch.Member"/> node.
    /// </summary>
    public void Node(long feature, float split, TreeBranch branch, (long Id, bool Leaf) whenTrue, (long Id, bool Leaf) whenFalse, bool missingGoesTrue,
        IEnumerable<float>? members = null)
    {
        if ((branch == TreeBranch.Member) != (members is not null)) throw new ArgumentException("a member node needs its values, and only a member node has them", nameof(members));
        _features.Add(feature);
        _splits.Add(split);
        _modes.Add((byte)branch);
        _trueIds.Add(whenTrue.Id);
        _trueLeaves.Add(whenTrue.Leaf ? 1 : 0);
        _falseIds.Add(whenFalse.Id);
        _falseLeaves.Add(whenFalse.Leaf ? 1 : 0);
        _missingTrue.Add(missingGoesTrue ? 1 : 0);
        if (members is null) return;
        _members.AddRange(members);
        _members.Add(float.NaN);   // ends this node's set
    }

    /// <summary>A tree that is one leaf: one node whose both branches reach it.</summary>
    public void ConstantTree(long target, float weight)
    {
        var leaf = Leaf(target, weight);
        Root(NodeCount);
        Node(0, 0f, TreeBranch.Less, (leaf, true), (leaf, true), false);
    }

    /// <summary>The node on <paramref name="matrix"/> [N, features] (float): the leaf weights summed per target, [N, <paramref name="targets"/>].</summary>
    public string Write(OnnxGraph graph, string matrix, int targets)
    {
        if (_roots.Count == 0) throw new InvalidOperationException("a TreeEnsemble needs at least one tree");
        var attributes = new List<AttributeProto>
        {
            Attributes.Ints("nodes_featureids", _features),
            Attributes.Tensor("nodes_splits", Attributes.Vector(_splits.ToArray())),
            Attributes.Tensor("nodes_modes", Attributes.Bytes(_modes.ToArray())),
            Attributes.Ints("nodes_truenodeids", _trueIds),
            Attributes.Ints("nodes_trueleafs", _trueLeaves),
            Attributes.Ints("nodes_falsenodeids", _falseIds),
            Attributes.Ints("nodes_falseleafs", _falseLeaves),
            Attributes.Ints("nodes_missing_value_tracks_true", _missingTrue),
            Attributes.Ints("tree_roots", _roots),
            Attributes.Ints("leaf_targetids", _leafTargets),
            Attributes.Tensor("leaf_weights", Attributes.Vector(_leafWeights.ToArray())),
            Attributes.Int("n_targets", targets),
            Attributes.Int("aggregate_function", 1),   // SUM
            Attributes.Int("post_transform", 0),       // NONE
        };
        if (_members.Count > 0) attributes.Add(Attributes.Tensor("membership_values", Attributes.Vector(_members.ToArray())));
        return graph.Node("TreeEnsemble", [matrix], 1, OnnxGraph.MLDomain, attributes.ToArray())[0];
    }
}
