namespace MLPipelines.AutoML.Search;

/// <summary>
/// The hyperparameters a sampler searches, in a fixed order (samplers draw them in this order,
/// which is what makes a seeded search repeatable). Names are distinct; every definition is
/// checked here, so a sampler can trust its bounds.
/// </summary>
public sealed record SearchSpace(IReadOnlyList<Parameter> Parameters)
{
    /// <summary>A checked copy of the parameters.</summary>
    public IReadOnlyList<Parameter> Parameters { get; } = Checked(Parameters);

    private Dictionary<string, Parameter> ByName => field ??= Parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);

    /// <summary>The parameter of that name; the error lists the names there are.</summary>
    public Parameter this[string name] => ByName.TryGetValue(name, out var parameter)
        ? parameter
        : throw new KeyNotFoundException($"The search space has no parameter '{name}'; it has {NameList}.");

    /// <summary>Whether the space has a parameter of that name.</summary>
    public bool Contains(string name) => ByName.ContainsKey(name);

    /// <summary>Whether the configuration holds exactly this space's parameters, each with one of its values.</summary>
    public bool Contains(Configuration configuration) => Problem(configuration) is null;

    /// <summary>
    /// Throws a <see cref="ConfigurationException"/> naming the first parameter (in the space's
    /// order, then any the space does not have) that is missing, unknown, of the wrong type or out of range.
    /// </summary>
    public void Validate(Configuration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (Problem(configuration) is { } problem) throw new ConfigurationException(problem.Name, problem.Message);
    }

    private (string Name, string Message)? Problem(Configuration configuration)
    {
        foreach (var parameter in Parameters)
        {
            if (!configuration.Values.TryGetValue(parameter.Name, out var value))
                return (parameter.Name, $"Parameter '{parameter.Name}' is missing from the configuration; the search space has {NameList}.");
            if (parameter.ValueProblem(value) is { } problem)
                return (parameter.Name, $"Parameter '{parameter.Name}' {problem}.");
        }
        foreach (var name in configuration.Values.Keys)
            if (!ByName.ContainsKey(name))
                return (name, $"Parameter '{name}' is not in the search space, which has {NameList}.");
        return null;
    }

    private string NameList => Parameters.Count == 0 ? "no parameters" : string.Join(", ", Parameters.Select(p => $"'{p.Name}'"));

    private static IReadOnlyList<Parameter> Checked(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            if (parameter is null) throw new ArgumentException("A search space's parameters must not be null.", nameof(parameters));
            if (string.IsNullOrWhiteSpace(parameter.Name)) throw new ArgumentException("Every parameter needs a name.", nameof(parameters));
            if (!names.Add(parameter.Name)) throw new ArgumentException($"Parameter '{parameter.Name}' appears twice in the search space.", nameof(parameters));
            if (parameter.DefinitionProblem() is { } problem) throw new ArgumentException($"Parameter '{parameter.Name}' cannot be searched: {problem}.", nameof(parameters));
        }
        return [.. parameters];
    }

    // Records compare lists by reference; two spaces written out the same way should be equal.
    public bool Equals(SearchSpace? other) => other is not null && Parameters.SequenceEqual(other.Parameters);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var parameter in Parameters) hash.Add(parameter);
        return hash.ToHashCode();
    }

    public override string ToString() => $"SearchSpace {{ {string.Join(", ", Parameters)} }}";
}
