using System.Globalization;
using System.Text.Json;

namespace MLPipelines.XGBoost.Inference;

/// <summary>One tree of an XGBoost model as its JSON stores it: node arrays indexed by node id (a leaf has left child −1 and its value in <see cref="Conditions"/>).</summary>
public sealed record XGBoostTree(int[] Left, int[] Right, int[] Features, float[] Conditions, bool[] DefaultLeft, bool[] Categorical,
    IReadOnlyDictionary<int, int[]> CategoriesRight)
{
    public bool IsLeaf(int node) => Left[node] == -1;
}

/// <summary>
/// An XGBoost model read from its own JSON (<c>Booster.Save("json")</c>): the objective, the
/// base score, and either the trees with their output groups (gbtree, random forests) or the
/// linear weights (gblinear). Read once by every consumer (compiled prediction, ONNX export).
/// </summary>
public sealed record XGBoostJson(string Objective, float BaseScore, int FeatureCount, int Classes, XGBoostTree[] Trees, int[] Groups, float[]? LinearWeights)
{
    /// <summary>Values per row: 1, or the class count for multiclass models.</summary>
    public int OutputCount => Math.Max(1, Classes);

    public static XGBoostJson Parse(ReadOnlySpan<byte> modelJson)
    {
        using var document = JsonDocument.Parse(QuoteNonFiniteNumbers(modelJson));
        var learner = document.RootElement.GetProperty("learner");
        var parameters = learner.GetProperty("learner_model_param");
        var featureCount = int.Parse(parameters.GetProperty("num_feature").GetString()!, CultureInfo.InvariantCulture);
        var classes = int.Parse(parameters.GetProperty("num_class").GetString()!, CultureInfo.InvariantCulture);
        var baseScore = float.Parse(parameters.GetProperty("base_score").GetString()!, CultureInfo.InvariantCulture);
        var objective = learner.GetProperty("objective").GetProperty("name").GetString()!;
        var booster = learner.GetProperty("gradient_booster");
        var name = booster.GetProperty("name").GetString();
        if (name == "gblinear")
        {
            var weights = booster.GetProperty("model").GetProperty("weights").EnumerateArray().Select(w => w.GetSingle()).ToArray();
            return new XGBoostJson(objective, baseScore, featureCount, classes, [], [], weights);
        }
        if (name != "gbtree") throw new NotSupportedException($"the booster {name} is not supported");
        var model = booster.GetProperty("model");
        var groups = model.GetProperty("tree_info").EnumerateArray().Select(g => g.GetInt32()).ToArray();
        var trees = model.GetProperty("trees").EnumerateArray().Select(ParseTree).ToArray();
        return new XGBoostJson(objective, baseScore, featureCount, classes, trees, groups, null);
    }

    private static XGBoostTree ParseTree(JsonElement tree)
    {
        var categoryNodes = Ints(tree, "categories_nodes");
        var segments = Ints(tree, "categories_segments");
        var sizes = Ints(tree, "categories_sizes");
        var categories = Ints(tree, "categories");
        var right = new Dictionary<int, int[]>();
        for (var i = 0; i < categoryNodes.Length; i++) right[categoryNodes[i]] = categories.AsSpan(segments[i], sizes[i]).ToArray();
        var left = Ints(tree, "left_children");
        var splitTypes = Ints(tree, "split_type");
        return new XGBoostTree(left, Ints(tree, "right_children"), Ints(tree, "split_indices"),
            tree.GetProperty("split_conditions").EnumerateArray().Select(ReadFloat).ToArray(),
            Ints(tree, "default_left").Select(d => d != 0).ToArray(),
            Enumerable.Range(0, left.Length).Select(n => n < splitTypes.Length && splitTypes[n] == 1).ToArray(),
            right);
    }

    private static int[] Ints(JsonElement tree, string name) =>
        tree.TryGetProperty(name, out var array) ? array.EnumerateArray().Select(v => v.GetInt32()).ToArray() : [];

    /// <summary>JSON numbers, and the non-finite values XGBoost writes (quoted by <see cref="QuoteNonFiniteNumbers"/>).</summary>
    private static float ReadFloat(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? value.GetSingle() : float.Parse(value.GetString()!, CultureInfo.InvariantCulture);

    /// <summary>
    /// XGBoost writes non-finite numbers as bare NaN, Infinity and -Infinity, which JSON does not
    /// allow; this turns those tokens (outside strings) into strings, which <see cref="ReadFloat"/> parses.
    /// </summary>
    private static byte[] QuoteNonFiniteNumbers(ReadOnlySpan<byte> json)
    {
        var output = new List<byte>(json.Length + 256);
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var b = json[i];
            if (inString)
            {
                output.Add(b);
                if (b == (byte)'\\' && i + 1 < json.Length) output.Add(json[++i]);
                else if (b == (byte)'"') inString = false;
                continue;
            }
            if (b == (byte)'"') inString = true;
            else if (Token(json, i, "NaN"u8) || Token(json, i, "Infinity"u8) || Token(json, i, "-Infinity"u8))
            {
                var length = json[i] == (byte)'N' ? 3 : json[i] == (byte)'I' ? 8 : 9;
                output.Add((byte)'"');
                output.AddRange(json.Slice(i, length));
                output.Add((byte)'"');
                i += length - 1;
                continue;
            }
            output.Add(b);
        }
        return output.ToArray();
    }

    private static bool Token(ReadOnlySpan<byte> json, int at, ReadOnlySpan<byte> token) => json[at..].StartsWith(token);
}
