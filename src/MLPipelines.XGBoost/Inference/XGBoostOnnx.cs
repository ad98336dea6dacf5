using MLPipelines.Onnx;
using MLPipelines.Onnx.Protobuf;

namespace MLPipelines.XGBoost.Inference;

/// <summary>
/// An XGBoost model as ONNX nodes: the trees as one ai.onnx.ml TreeEnsemble (opset 5; numeric
/// splits x &lt; threshold go left, category splits send the listed categories right, a missing
/// value takes the node's default side), leaf values summed per output group, plus the base
/// margin; gblinear as a weighted sum over the present features. Writes margins (binary: the
/// log-odds, as ML.NET's Score), probabilities for multiclass.
/// </summary>
public static class XGBoostOnnx
{
    private const byte BranchLessThan = 1, BranchMember = 6;

    public static string Write(OnnxGraph graph, XGBoostJson model, string matrix)
    {
        using var _ = graph.Scope("xgboost");
        var baseMargin = model.Objective is "binary:logistic" or "reg:logistic" ? -MathF.Log(1.0f / model.BaseScore - 1.0f) : model.BaseScore;
        var sums = model.LinearWeights is { } weights ? Linear(graph, model, weights, matrix) : Trees(graph, model, matrix);
        var margins = graph.Add(sums, graph.ScalarFloat(baseMargin));
        return model.Objective switch
        {
            "multi:softprob" => graph.Softmax(margins, 1),
            "reg:squarederror" or "binary:logistic" or "binary:logitraw" => margins,
            _ => throw new OnnxExportException($"an XGBoost model with objective {model.Objective}", "only reg:squarederror, binary:logistic, binary:logitraw and multi:softprob are exported"),
        };
    }

    private static string Trees(OnnxGraph graph, XGBoostJson model, string matrix)
    {
        var features = new List<long>();
        var splits = new List<float>();
        var modes = new List<byte>();
        var trueIds = new List<long>();
        var falseIds = new List<long>();
        var trueLeaves = new List<long>();
        var falseLeaves = new List<long>();
        var missingTrue = new List<long>();
        var members = new List<float>();
        var roots = new List<long>();
        var leafTargets = new List<long>();
        var leafWeights = new List<float>();
        for (var t = 0; t < model.Trees.Length; t++)
        {
            var tree = model.Trees[t];
            var group = model.Groups[t];
            // Interior nodes and leaves are numbered separately, each in one global list.
            var interior = new Dictionary<int, long>();
            var leaves = new Dictionary<int, long>();
            for (var node = 0; node < tree.Left.Length; node++)
            {
                if (tree.IsLeaf(node))
                {
                    leaves[node] = leafWeights.Count;
                    leafWeights.Add(tree.Conditions[node]);
                    leafTargets.Add(group);
                }
                else interior[node] = features.Count + interior.Count;
            }
            if (interior.Count == 0)
            {
                // A tree that is one leaf: one node whose both branches reach it.
                roots.Add(features.Count);
                AddNode(0, 0f, BranchLessThan, leaves[0], true, leaves[0], true, false);
                continue;
            }
            roots.Add(interior[0]);
            foreach (var node in interior.Keys.Order())
            {
                var (left, right) = (tree.Left[node], tree.Right[node]);
                (long Id, bool Leaf) Target(int child) => tree.IsLeaf(child) ? (leaves[child], true) : (interior[child], false);
                if (tree.Categorical[node])
                {
                    members.AddRange(tree.CategoriesRight.GetValueOrDefault(node, []).Select(c => (float)c));
                    members.Add(float.NaN);
                    var (r, rLeaf) = Target(right);
                    var (l, lLeaf) = Target(left);
                    AddNode(tree.Features[node], 0f, BranchMember, r, rLeaf, l, lLeaf, !tree.DefaultLeft[node]);
                }
                else
                {
                    var (l, lLeaf) = Target(left);
                    var (r, rLeaf) = Target(right);
                    AddNode(tree.Features[node], tree.Conditions[node], BranchLessThan, l, lLeaf, r, rLeaf, tree.DefaultLeft[node]);
                }
            }
        }

        void AddNode(long feature, float split, byte mode, long whenTrue, bool trueIsLeaf, long whenFalse, bool falseIsLeaf, bool missingGoesTrue)
        {
            features.Add(feature);
            splits.Add(split);
            modes.Add(mode);
            trueIds.Add(whenTrue);
            trueLeaves.Add(trueIsLeaf ? 1 : 0);
            falseIds.Add(whenFalse);
            falseLeaves.Add(falseIsLeaf ? 1 : 0);
            missingTrue.Add(missingGoesTrue ? 1 : 0);
        }

        var attributes = new List<AttributeProto>
        {
            Attributes.Ints("nodes_featureids", features),
            Attributes.Tensor("nodes_splits", Attributes.Vector(splits.ToArray())),
            Attributes.Tensor("nodes_modes", Attributes.Bytes(modes.ToArray())),
            Attributes.Ints("nodes_truenodeids", trueIds),
            Attributes.Ints("nodes_trueleafs", trueLeaves),
            Attributes.Ints("nodes_falsenodeids", falseIds),
            Attributes.Ints("nodes_falseleafs", falseLeaves),
            Attributes.Ints("nodes_missing_value_tracks_true", missingTrue),
            Attributes.Ints("tree_roots", roots),
            Attributes.Ints("leaf_targetids", leafTargets),
            Attributes.Tensor("leaf_weights", Attributes.Vector(leafWeights.ToArray())),
            Attributes.Int("n_targets", model.OutputCount),
            Attributes.Int("aggregate_function", 1),   // SUM
            Attributes.Int("post_transform", 0),       // NONE: the base margin is added after
        };
        if (members.Count > 0) attributes.Add(Attributes.Tensor("membership_values", Attributes.Vector(members.ToArray())));
        return graph.Node("TreeEnsemble", [matrix], 1, OnnxGraph.MLDomain, attributes.ToArray())[0];
    }

    /// <summary>gblinear: Σ weight · feature over the features that are present (NaN counts as 0), plus the bias; weights are [features + 1] × outputs, the bias last.</summary>
    private static string Linear(OnnxGraph graph, XGBoostJson model, float[] weights, string matrix)
    {
        var outputs = model.OutputCount;
        var present = graph.Where(graph.IsNaN(matrix), graph.ScalarFloat(0), matrix);
        var w = graph.Constant("weights", weights.AsSpan(0, model.FeatureCount * outputs), model.FeatureCount, outputs);
        var bias = graph.Constant("bias", weights.AsSpan(model.FeatureCount * outputs, outputs), outputs);
        return graph.Add(graph.MatMul(present, w), bias);
    }
}
