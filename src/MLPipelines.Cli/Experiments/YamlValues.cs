using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace MLPipelines.Cli.Experiments;

/// <summary>
/// Typed values out of the nodes of one pipeline file. YAML gives every scalar as text; each
/// method converts one and, when it cannot, throws a <see cref="PipelineFileException"/> that
/// names the file, the node's line and the key it belongs to — the three things a user needs
/// to find the mistake.
/// </summary>
internal sealed class YamlValues(string file)
{
    public string File { get; } = file;

    /// <summary>An error at a node: "file line N: message".</summary>
    public PipelineFileException Error(YamlNode node, string message) => new($"{File} line {node.Start.Line}: {message}");

    /// <summary>An error about a key's value: "file line N: 'key': message".</summary>
    public PipelineFileException Error(YamlNode node, string key, string message) => Error(node, $"'{key}': {message}");

    /// <summary>The text of a scalar; a list, a mapping or an empty value is an error.</summary>
    public string Text(YamlNode node, string key)
    {
        if (node is not YamlScalarNode scalar)
            throw Error(node, key, $"must be a single value, not a {Describe(node)}");
        // An empty value ("budget:") and YAML's null are the same mistake: the key is there, its value is not.
        if (string.IsNullOrWhiteSpace(scalar.Value) || (scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is "~" or "null"))
            throw Error(node, key, "has no value");
        return scalar.Value!;
    }

    public int Int(YamlNode node, string key, int min)
    {
        var text = Text(node, key);
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw Error(node, key, $"'{text}' is not a whole number");
        if (value < min) throw Error(node, key, $"must be {min} or more, got {value}");
        return value;
    }

    public double Double(YamlNode node, string key)
    {
        var text = Text(node, key);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            throw Error(node, key, $"'{text}' is not a number");
        return value;
    }

    public bool Bool(YamlNode node, string key) => Text(node, key) switch
    {
        "true" or "True" => true,
        "false" or "False" => false,
        var text => throw Error(node, key, $"'{text}' is not true or false"),
    };

    /// <summary>A list of distinct texts, at least one: `[a, b]` or one "- a" per line.</summary>
    public IReadOnlyList<(string Text, YamlNode Node)> TextList(YamlNode node, string key)
    {
        if (node is not YamlSequenceNode sequence)
            throw Error(node, key, $"must be a list, e.g. [a, b], not a {Describe(node)}");
        if (sequence.Children.Count == 0) throw Error(node, key, "must list at least one value");
        var items = sequence.Children.Select(child => (Text: Text(child, key), Node: child)).ToList();
        foreach (var item in items)
            if (items.Count(i => i.Text == item.Text) > 1)
                throw Error(item.Node, key, $"'{item.Text}' is listed twice");
        return items;
    }

    /// <summary>The mapping's keys as texts, each with its key node (for the line) and value; the key must be plain text.</summary>
    public IEnumerable<(string Key, YamlNode KeyNode, YamlNode Value)> Entries(YamlMappingNode mapping) =>
        mapping.Children.Select(entry => entry.Key switch
        {
            YamlScalarNode { Value: { Length: > 0 } name } => (name, entry.Key, entry.Value),
            YamlScalarNode => throw Error(entry.Key, "a key is empty"),
            _ => throw Error(entry.Key, $"a key must be a name, not a {Describe(entry.Key)}"),
        });

    public static string Describe(YamlNode node) => node switch
    {
        YamlSequenceNode => "list",
        YamlMappingNode => "mapping",
        _ => "value",
    };
}
