using MLPipelines.Onnx;

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
        var ensemble = new TreeEnsembleBuilder();
        for (var t = 0; t < model.Trees.Length; t++)
        {
            var tree = model.Trees[t];
            var group = model.Groups[t];
            if (tree.IsLeaf(0))
            {
                ensemble.ConstantTree(group, tree.Conditions[0]);
                continue;
            }
            var interior = new Dictionary<int, long>();
            var leaves = new Dictionary<int, long>();
            for (var node = 0; node < tree.Left.Length; node++)
            {
                if (tree.IsLeaf(node)) leaves[node] = ensemble.Leaf(group, tree.Conditions[node]);
                else interior[node] = ensemble.NodeCount + interior.Count;
            }
            ensemble.Root(interior[0]);
            foreach (var node in interior.Keys.Order())
            {
                (long Id, bool Leaf) Target(int child) => tree.IsLeaf(child) ? (leaves[child], true) : (interior[child], false);
                if (tree.Categorical[node])
                    ensemble.Node(tree.Features[node], 0f, TreeBranch.Member, Target(tree.Right[node]), Target(tree.Left[node]), !tree.DefaultLeft[node],
                        tree.CategoriesRight.GetValueOrDefault(node, []).Select(c => (float)c));
                else
                    ensemble.Node(tree.Features[node], tree.Conditions[node], TreeBranch.Less, Target(tree.Left[node]), Target(tree.Right[node]), tree.DefaultLeft[node]);
            }
        }
        // The base margin is added after: no post-transform.
        return ensemble.Write(graph, matrix, model.OutputCount);
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
