using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MLPipelines.AutoML.Search;

// A configuration as JSON: what a trial store keeps and a report shows. The text is stable
// (keys in ordinal order, no whitespace, invariant culture) so that equal configurations are
// equal strings, and floats are written round-trip ("R") so that reading gives back the same double.
public sealed partial class Configuration
{
    /// <summary>{"learning_rate":0.031,"max_depth":6,"booster":"gbtree"}, keys in ordinal order. Throws for a NaN or infinite float, which JSON cannot hold.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        // Choices stay readable ("é", not "\u00E9"); the text is data for files and reports, not for an HTML page.
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in _values)
            {
                writer.WritePropertyName(name);
                switch (value)
                {
                    case double d when !double.IsFinite(d):
                        throw new ConfigurationException(name, $"Parameter '{name}' is {d}, which JSON cannot hold.");
                    case double d:
                        writer.WriteRawValue(d.ToString("R", CultureInfo.InvariantCulture));
                        break;
                    case int i:
                        writer.WriteNumberValue(i);
                        break;
                    default:
                        writer.WriteStringValue((string)value);
                        break;
                }
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// Reads a configuration of <paramref name="space"/>. Throws a <see cref="ConfigurationException"/>
    /// naming the parameter when one is missing, not in the space, given twice, of the wrong JSON type
    /// (floats are numbers, integers whole numbers, choices strings) or out of range.
    /// </summary>
    public static Configuration FromJson(string json, SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(space);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ConfigurationException(null, $"A configuration must be a JSON object of parameter values; this text is not JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new ConfigurationException(null, $"A configuration must be a JSON object of parameter values, not a JSON {root.ValueKind.ToString().ToLowerInvariant()}.");

            var elements = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!space.Contains(property.Name))
                    throw new ConfigurationException(property.Name,
                        $"Parameter '{property.Name}' is not in the search space, which has {string.Join(", ", space.Parameters.Select(p => $"'{p.Name}'"))}.");
                if (!elements.TryAdd(property.Name, property.Value))
                    throw new ConfigurationException(property.Name, $"Parameter '{property.Name}' is given twice.");
            }

            var values = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var parameter in space.Parameters)
            {
                if (!elements.TryGetValue(parameter.Name, out var element))
                    throw new ConfigurationException(parameter.Name, $"Parameter '{parameter.Name}' is missing from the configuration JSON.");
                var value = Read(parameter, element);
                if (parameter.ValueProblem(value) is { } problem)
                    throw new ConfigurationException(parameter.Name, $"Parameter '{parameter.Name}' {problem}.");
                values.Add(parameter.Name, value);
            }
            return new Configuration(values);
        }
    }

    private static object Read(Parameter parameter, JsonElement element)
    {
        object? value = parameter switch
        {
            FloatParameter when element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var d) => d,
            IntParameter when element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var i) => i,
            ChoiceParameter when element.ValueKind == JsonValueKind.String => element.GetString(),
            _ => null,
        };
        if (value is not null) return value;

        var expected = parameter switch
        {
            FloatParameter => "a number",
            IntParameter => "a whole number within the range of int",
            _ => "a string",
        };
        throw new ConfigurationException(parameter.Name, $"Parameter '{parameter.Name}' must be {expected} in the configuration JSON, got {element.GetRawText()}.");
    }
}
