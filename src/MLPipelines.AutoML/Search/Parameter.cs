using static System.FormattableString;

namespace MLPipelines.AutoML.Search;

/// <summary>
/// One named hyperparameter of a search space. Plain data: a definition is checked when it is
/// put into a <see cref="SearchSpace"/>, so that <c>with</c> can still derive one from another.
/// </summary>
public abstract record Parameter(string Name)
{
    /// <summary>What is wrong with the definition itself, or null when it can be searched.</summary>
    internal abstract string? DefinitionProblem();

    /// <summary>What is wrong with a value of this parameter, or null when it is one of the parameter's values.</summary>
    internal abstract string? ValueProblem(object? value);

    private protected static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => Invariant($"{value} ({value.GetType().Name})"),
    };
}

/// <summary>A real number in [<paramref name="Low"/>, <paramref name="High"/>]; searched on a log scale where <paramref name="Log"/> (then Low must be positive).</summary>
public sealed record FloatParameter(string Name, double Low, double High, bool Log = false) : Parameter(Name)
{
    internal override string? DefinitionProblem() =>
        !double.IsFinite(Low) || !double.IsFinite(High) ? Invariant($"its bounds [{Low}, {High}] must be finite")
        : Low >= High ? Invariant($"its low bound {Low} must be below its high bound {High} (a fixed value is not a search parameter)")
        : Log && Low <= 0 ? Invariant($"it is searched on a log scale, so its low bound {Low} must be positive")
        : null;

    internal override string? ValueProblem(object? value) =>
        value is not double d ? $"must be a float (double), got {Describe(value)}"
        : !(d >= Low && d <= High) ? Invariant($"= {Describe(d)} is outside its range [{Low}, {High}]")
        : null;
}

/// <summary>An integer in [<paramref name="Low"/>, <paramref name="High"/>], both inclusive; searched on a log scale where <paramref name="Log"/> (then Low must be at least 1).</summary>
public sealed record IntParameter(string Name, int Low, int High, bool Log = false) : Parameter(Name)
{
    internal override string? DefinitionProblem() =>
        Low > High ? Invariant($"its low bound {Low} must not be above its high bound {High}")
        : Log && Low < 1 ? Invariant($"it is searched on a log scale, so its low bound {Low} must be at least 1")
        : null;

    internal override string? ValueProblem(object? value) =>
        value is not int i ? $"must be an integer (int), got {Describe(value)}"
        : i < Low || i > High ? Invariant($"= {i} is outside its range [{Low}, {High}]")
        : null;
}

/// <summary>One of a list of named choices; their order carries no meaning to the samplers.</summary>
public sealed record ChoiceParameter(string Name, IReadOnlyList<string> Choices) : Parameter(Name)
{
    /// <summary>A copy, so that the caller's list changing later does not change the space.</summary>
    public IReadOnlyList<string> Choices { get; } = Choices is null ? null! : [.. Choices];

    internal override string? DefinitionProblem() =>
        Choices is null || Choices.Count == 0 ? "it needs at least one choice"
        : Choices.Any(c => c is null) ? "its choices must not be null"
        : Choices.Distinct(StringComparer.Ordinal).Count() != Choices.Count ? $"its choices must be distinct, got {string.Join(", ", Choices)}"
        : null;

    internal override string? ValueProblem(object? value) =>
        value is not string s ? $"must be a choice (string), got {Describe(value)}"
        : !Choices.Contains(s, StringComparer.Ordinal) ? $"= {Describe(s)} is not one of its choices: {string.Join(", ", Choices)}"
        : null;

    /// <summary>The position of a choice, or -1.</summary>
    internal int IndexOf(string choice)
    {
        for (var i = 0; i < Choices.Count; i++)
            if (string.Equals(Choices[i], choice, StringComparison.Ordinal)) return i;
        return -1;
    }

    // Records compare lists by reference; two spaces written out the same way should be equal.
    public bool Equals(ChoiceParameter? other) =>
        other is not null && Name == other.Name && Choices.SequenceEqual(other.Choices, StringComparer.Ordinal);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Name);
        foreach (var choice in Choices) hash.Add(choice);
        return hash.ToHashCode();
    }

    protected override bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Name = {Name}, Choices = [{string.Join(", ", Choices)}]");
        return true;
    }
}
