using MLPipelines.AutoML;
using MLPipelines.AutoML.Search;
using YamlDotNet.RepresentationModel;
using static System.FormattableString;

namespace MLPipelines.Cli.Experiments;

/// <summary>
/// A pipeline file's <c>search_spaces</c>: per candidate, parameters that replace those of its
/// published search space (<see cref="PublishedSearchSpaces"/>). An override changes a range,
/// never what a parameter is: a float stays a float and an integer an integer (with the
/// published log scale unless the file says otherwise), and a choice may only narrow the
/// published choices — the candidate's factory reads each parameter by its published type and
/// knows only those choices, so anything else would fail mid-experiment or be silently ignored.
/// </summary>
internal static class SearchSpaceOverrides
{
    private const string Key = "search_spaces";

    /// <summary>
    /// Candidate key → its overriding parameters; <paramref name="candidates"/> are the keys the experiment runs,
    /// of the models <paramref name="known"/> (the tabular or the image candidates).
    /// </summary>
    public static Dictionary<string, IReadOnlyList<Parameter>> Read(YamlNode node, IReadOnlyList<string> candidates, IReadOnlyList<Candidate> known, YamlValues values)
    {
        string Tunable() => string.Join(", ", known.Where(c => c.SearchSpace is not null).Select(c => Candidate.Key(c.Name)));
        if (node is not YamlMappingNode mapping)
            throw values.Error(node, Key, "must map candidate names to their parameters, e.g. 'xgboost: {max_depth: [3, 8]}'");
        var result = new Dictionary<string, IReadOnlyList<Parameter>>();
        foreach (var (name, nameNode, parameters) in values.Entries(mapping))
        {
            var candidate = known.FirstOrDefault(c => Candidate.Key(c.Name) == Candidate.Key(name))
                ?? throw values.Error(nameNode, Key, $"there is no model '{name}'; the models with a search space are: {Tunable()}");
            var key = Candidate.Key(candidate.Name);
            var space = candidate.SearchSpace
                ?? throw values.Error(nameNode, Key, $"{key} has no search space to override (it runs with its defaults); the models with one are: {Tunable()}");
            if (!candidates.Contains(key))
                throw values.Error(nameNode, Key, $"{key} is not among the candidates ({string.Join(", ", candidates)}); add it to 'candidates' or remove its search space");
            if (result.ContainsKey(key)) throw values.Error(nameNode, Key, $"{key} is given twice");
            var where = $"{Key}.{name}";
            if (parameters is not YamlMappingNode parameterMapping)
                throw values.Error(parameters, where, $"must map parameter names to ranges or choices, e.g. '{space.Parameters[0].Name}: {Written(space.Parameters[0])}'");
            var overrides = new List<Parameter>();
            foreach (var (parameterName, parameterNode, value) in values.Entries(parameterMapping))
            {
                if (!space.Contains(parameterName))
                    throw values.Error(parameterNode, where, $"{key} has no parameter '{parameterName}' (its parameters: {string.Join(", ", space.Parameters.Select(p => p.Name))})");
                overrides.Add(Override(space[parameterName], value, $"{where}.{parameterName}", values));
            }
            result[key] = overrides;
        }
        return result;
    }

    private static Parameter Override(Parameter published, YamlNode node, string key, YamlValues values)
    {
        switch (published)
        {
            case ChoiceParameter choice:
                if (node is not YamlSequenceNode)
                    throw values.Error(node, key, $"is a choice: write a list of some of its choices, e.g. [{choice.Choices[0]}] (its choices: {string.Join(", ", choice.Choices)})");
                var chosen = values.TextList(node, key);
                foreach (var (text, item) in chosen)
                    if (!choice.Choices.Contains(text))
                        throw values.Error(item, key, $"'{text}' is not one of its choices: {string.Join(", ", choice.Choices)}");
                return new ChoiceParameter(choice.Name, chosen.Select(c => c.Text).ToList());

            case FloatParameter real:
            {
                var (lowNode, highNode, logNode) = Bounds(node, key, published, values);
                double low = values.Double(lowNode, key), high = values.Double(highNode, key);
                var log = logNode is null ? real.Log : values.Bool(logNode, key);
                if (low >= high) throw values.Error(node, key, Invariant($"its low bound {low} must be below its high bound {high}"));
                if (log && low <= 0) throw values.Error(node, key, Invariant($"it is searched on a log scale, so its low bound {low} must be positive (or say log: false)"));
                return new FloatParameter(real.Name, low, high, log);
            }

            case IntParameter integer:
            {
                var (lowNode, highNode, logNode) = Bounds(node, key, published, values);
                int low = values.Int(lowNode, key, int.MinValue), high = values.Int(highNode, key, int.MinValue);
                var log = logNode is null ? integer.Log : values.Bool(logNode, key);
                if (low > high) throw values.Error(node, key, $"its low bound {low} must not be above its high bound {high}");
                if (log && low < 1) throw values.Error(node, key, $"it is searched on a log scale, so its low bound {low} must be at least 1 (or say log: false)");
                return new IntParameter(integer.Name, low, high, log);
            }

            default:
                throw new InvalidOperationException($"a parameter of type {published.GetType().Name} cannot be overridden yet");
        }
    }

    /// <summary>The nodes of a range: "[low, high]" or "{low: , high: , log: }" (log optional).</summary>
    private static (YamlNode Low, YamlNode High, YamlNode? Log) Bounds(YamlNode node, string key, Parameter published, YamlValues values)
    {
        var shape = $"must be a range, [low, high] or {{low: , high: , log: true}}; published: {Written(published)}";
        if (node is YamlSequenceNode { Children.Count: 2 } pair) return (pair.Children[0], pair.Children[1], null);
        if (node is not YamlMappingNode mapping) throw values.Error(node, key, shape);
        YamlNode? low = null, high = null, log = null;
        foreach (var (name, nameNode, value) in values.Entries(mapping))
        {
            switch (name)
            {
                case "low": low = value; break;
                case "high": high = value; break;
                case "log": log = value; break;
                default: throw values.Error(nameNode, key, $"unknown key '{name}' in a range (the keys are: low, high, log)");
            }
        }
        if (low is null || high is null) throw values.Error(node, key, $"the range needs both 'low' and 'high'; {shape}");
        return (low, high, log);
    }

    /// <summary>A parameter's values as a file writes them: "[1, 11]", "{low: 1E-05, high: 0.7, log: true}", "[selu, mish]".</summary>
    private static string Written(Parameter parameter) => parameter switch
    {
        ChoiceParameter c => $"[{string.Join(", ", c.Choices)}]",
        FloatParameter { Log: true } f => Invariant($"{{low: {f.Low}, high: {f.High}, log: true}}"),
        FloatParameter f => Invariant($"[{f.Low}, {f.High}]"),
        IntParameter { Log: true } i => $"{{low: {i.Low}, high: {i.High}, log: true}}",
        IntParameter i => $"[{i.Low}, {i.High}]",
        _ => "",
    };
}
