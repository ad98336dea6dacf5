using System.Globalization;

namespace MLPipelines.AutoML.Search;

/// <summary>
/// One point of a search space: parameter name → value, a <see cref="double"/> for a
/// <see cref="FloatParameter"/>, an <see cref="int"/> for an <see cref="IntParameter"/>, a
/// <see cref="string"/> for a <see cref="ChoiceParameter"/>. Immutable; compared by value;
/// keys are kept in ordinal order so that printing, JSON and hashing do not depend on how
/// the dictionary was built. Whether it fits a space is <see cref="SearchSpace.Validate"/>'s
/// question, not the constructor's.
/// </summary>
public sealed partial class Configuration : IEquatable<Configuration>
{
    private readonly SortedDictionary<string, object> _values;

    /// <summary>Copies the values; only double, int and string values are taken, so that equality is exact.</summary>
    public Configuration(IReadOnlyDictionary<string, object> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            if (value is not (double or int or string))
                throw new ArgumentException(
                    $"Parameter '{name}' has a value of type {value?.GetType().Name ?? "null"}; a configuration holds double (float), int or string (choice) values.",
                    nameof(values));
            _values.Add(name, value);
        }
        Values = _values.AsReadOnly();
    }

    /// <summary>The values, keys in ordinal order.</summary>
    public IReadOnlyDictionary<string, object> Values { get; }

    /// <summary>The value of a <see cref="FloatParameter"/>.</summary>
    public double Float(string name) => Get<double>(name, "a float");

    /// <summary>The value of an <see cref="IntParameter"/>.</summary>
    public int Int(string name) => Get<int>(name, "an integer");

    /// <summary>The value of a <see cref="ChoiceParameter"/>.</summary>
    public string Choice(string name) => Get<string>(name, "a choice");

    private T Get<T>(string name, string kind)
    {
        if (!_values.TryGetValue(name, out var value))
            throw new KeyNotFoundException($"The configuration has no parameter '{name}'; it has {(_values.Count == 0 ? "none" : string.Join(", ", _values.Keys))}.");
        return value is T typed
            ? typed
            : throw new InvalidCastException($"Parameter '{name}' is {Format(value)} ({value.GetType().Name}), not {kind}.");
    }

    /// <summary>"learning_rate=0.031, max_depth=6": floats to 4 significant digits, for people; <see cref="ToJson"/> is the exact form.</summary>
    public override string ToString() => string.Join(", ", _values.Select(v => $"{v.Key}={Format(v.Value)}"));

    private static string Format(object value) => value switch
    {
        double d => d.ToString("G4", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        _ => (string)value,
    };

    public bool Equals(Configuration? other) =>
        other is not null && _values.Count == other._values.Count
        && _values.All(v => other._values.TryGetValue(v.Key, out var value) && v.Value.Equals(value));

    public override bool Equals(object? obj) => Equals(obj as Configuration);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (name, value) in _values)
        {
            hash.Add(name);
            hash.Add(value);
        }
        return hash.ToHashCode();
    }
}
