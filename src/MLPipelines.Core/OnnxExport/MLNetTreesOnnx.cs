using System.Reflection;
using Microsoft.ML.Trainers.FastTree;
using MLPipelines.Onnx.Protobuf;

namespace MLPipelines.Onnx;

/// <summary>
/// ML.NET's tree ensembles (FastTree, FastForest and LightGbm: <see cref="TreeEnsembleModelParameters"/>)
/// as one ai.onnx.ml TreeEnsemble, computed as ML.NET's InternalRegressionTree computes them: a
/// numeric node sends x ≤ threshold to its left child; a missing value is first replaced by the
/// node's value for missing features where the tree has them (LightGbm's learned directions), else
/// it compares false (right). A category node (LightGbm's splits on category sets, over one-hot
/// slots) sends the row right when any of its slots is above 0: an OR over features, which a
/// TreeEnsemble node cannot test, so each distinct slot set becomes one column in front of the
/// features, counting its slots above 0, and the node tests count ≤ 0.5. A placeholder tree (left
/// child of the root 0) adds 0. The output is the sum of the trees' leaf values; FastForest
/// regression divides it by the number of trees. FastTree's Tweedie regression (an exponential of
/// the sum) is not written.
/// </summary>
internal static class MLNetTreesOnnx
{
    /// <summary>Whether the model's output is the sum (or FastForest's mean) of its trees, which is what is written here.</summary>
    public static bool Handles(object model) => model is TreeEnsembleModelParameters and not FastTreeTweedieModelParameters;

    /// <summary>The models' outputs on the feature vector [N, length], one column per model: [N, models].</summary>
    public static string Outputs(OnnxGraph graph, string vector, IReadOnlyList<TreeEnsembleModelParameters> models)
    {
        using var _ = graph.Scope("mlnet_trees");
        var trees = models.Select(m => Trees(m).Where(t => t.NumberOfNodes > 0 && t.LeftChild[0] != 0).Select(t => (Tree: t, Missing: DefaultValuesForMissing(t))).ToList()).ToList();
        var categories = new CategorySets();
        foreach (var (tree, missing) in trees.SelectMany(t => t))
            for (var n = 0; n < tree.NumberOfNodes; n++)
                if (tree.CategoricalSplitFlags[n]) categories.Column(tree.GetCategoricalSplitFeaturesAt(n), MissingIsAboveZero(missing, n));

        var ensemble = new TreeEnsembleBuilder();
        for (var target = 0; target < trees.Count; target++)
            foreach (var (tree, missing) in trees[target])
                Add(ensemble, tree, missing, target, categories);
        // Every tree a placeholder: the node still needs one, and it adds 0.
        if (ensemble.TreeCount == 0) ensemble.ConstantTree(0, 0f);
        var matrix = categories.Count == 0 ? vector : graph.Concat([categories.Counts(graph, vector), vector], axis: 1);
        var sums = ensemble.Write(graph, matrix, models.Count);
        if (models is not [FastForestRegressionModelParameters forest]) return sums;
        return graph.Div(sums, graph.ScalarFloat(Trees(forest).Count));
    }

    private static IReadOnlyList<RegressionTreeBase> Trees(TreeEnsembleModelParameters model) => model switch
    {
        TreeEnsembleModelParametersBasedOnRegressionTree boosted => boosted.TrainedTreeEnsemble.Trees,
        TreeEnsembleModelParametersBasedOnQuantileRegressionTree forest => forest.TrainedTreeEnsemble.Trees,
        _ => throw new OnnxExportException($"the tree ensemble {model.GetType().Name}", "its trees are not of a kind ML.NET makes public"),
    };

    private static void Add(TreeEnsembleBuilder ensemble, RegressionTreeBase tree, float[]? missing, int target, CategorySets categories)
    {
        // ML.NET's interior node n becomes node first + n; leaf l (child ~l) one leaf each.
        var first = ensemble.NodeCount;
        var leaves = tree.LeafValues.Select(value => ensemble.Leaf(target, (float)value)).ToArray();
        (long Id, bool Leaf) Child(int child) => child < 0 ? (leaves[~child], true) : (first + child, false);

        ensemble.Root(first);
        for (var n = 0; n < tree.NumberOfNodes; n++)
        {
            var (left, right) = (Child(tree.LeftChild[n]), Child(tree.RightChild[n]));
            if (tree.CategoricalSplitFlags[n])
            {
                var column = categories.Column(tree.GetCategoricalSplitFeaturesAt(n), MissingIsAboveZero(missing, n));
                ensemble.Node(column, 0.5f, TreeBranch.LessOrEqual, left, right, missingGoesTrue: false);
                continue;
            }
            var threshold = tree.NumericalSplitThresholds[n];
            // What ML.NET compares in place of a missing value: the node's value for it, or NaN itself (false).
            var whenMissing = missing?[n] ?? float.NaN;
            ensemble.Node(categories.Count + tree.NumericalSplitFeatureIndexes[n], threshold, TreeBranch.LessOrEqual, left, right, whenMissing <= threshold);
        }
    }

    /// <summary>Whether a missing slot counts as above 0 at a category node: only where its value for missing features is.</summary>
    private static bool MissingIsAboveZero(float[]? missing, int node) => missing is not null && missing[node] > 0;

    /// <summary>
    /// The tree's values for a missing feature per node (LightGbm's converted trees), or null
    /// when NaN is compared as it is. Internal to ML.NET's InternalRegressionTree (under the
    /// public tree's <c>_tree</c>): read by reflection.
    /// </summary>
    private static float[]? DefaultValuesForMissing(RegressionTreeBase tree)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        var inner = typeof(RegressionTreeBase).GetField("_tree", flags)?.GetValue(tree)
                    ?? throw new OnnxExportException("an ML.NET tree", "its inner tree was not found (another ML.NET version?)");
        var field = inner.GetType().GetField("DefaultValueForMissing", flags)
                    ?? throw new OnnxExportException("an ML.NET tree", "its values for missing features were not found (another ML.NET version?)");
        return (float[]?)field.GetValue(inner);
    }

    /// <summary>The distinct slot sets of the category nodes, numbered in order of first use, and the columns that count their slots above 0.</summary>
    private sealed class CategorySets
    {
        private readonly Dictionary<string, int> _numbers = [];
        private readonly List<(IReadOnlyList<int> Slots, bool MissingAboveZero)> _sets = [];

        public int Count => _sets.Count;

        /// <summary>The set's column (its number).</summary>
        public int Column(IReadOnlyList<int> slots, bool missingAboveZero)
        {
            var key = $"{missingAboveZero}:{string.Join(',', slots)}";
            if (_numbers.TryGetValue(key, out var number)) return number;
            _sets.Add((slots, missingAboveZero));
            return _numbers[key] = _sets.Count - 1;
        }

        /// <summary>[N, sets]: per row, how many slots of each set are above 0 (a missing one where the set says so), from one gather and a 0/1 matrix product.</summary>
        public string Counts(OnnxGraph graph, string vector)
        {
            var used = _sets.SelectMany(s => s.Slots).Distinct().Order().ToList();
            var position = used.Select((slot, i) => (slot, i)).ToDictionary(p => p.slot, p => p.i);
            var slots = graph.Columns(vector, used.Select(s => (long)s).ToList());
            var aboveZero = graph.Greater(slots, graph.ScalarFloat(0));
            string? counts = null;
            foreach (var missingAboveZero in new[] { false, true })
            {
                if (!_sets.Any(s => s.MissingAboveZero == missingAboveZero)) continue;
                var membership = new float[used.Count * _sets.Count];
                for (var c = 0; c < _sets.Count; c++)
                    if (_sets[c].MissingAboveZero == missingAboveZero)
                        foreach (var slot in _sets[c].Slots) membership[position[slot] * _sets.Count + c] = 1;
                var hot = missingAboveZero ? graph.Or(aboveZero, graph.IsNaN(slots)) : aboveZero;
                var part = graph.MatMul(graph.Cast(hot, TensorProto.Types.DataType.Float), graph.Constant("membership", membership, used.Count, _sets.Count));
                counts = counts is null ? part : graph.Add(counts, part);
            }
            return counts!;
        }
    }
}
