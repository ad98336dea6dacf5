namespace MLPipelines.AutoML.Search;

/// <summary>
/// Draws every parameter independently and uniformly, on a log scale where the parameter says
/// so; ignores the history. The baseline any other sampler must beat, and the TPE's start.
/// </summary>
public sealed class RandomSampler : ISampler
{
    public Configuration Propose(SearchSpace space, IReadOnlyList<Observation> history, Random random)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(random);
        return Draw(space, random);
    }

    /// <summary>One uniform draw of every parameter, in the space's order.</summary>
    internal static Configuration Draw(SearchSpace space, Random random) =>
        new(space.Parameters.ToDictionary(p => p.Name, p => Draw(p, random), StringComparer.Ordinal));

    private static object Draw(Parameter parameter, Random random) => parameter switch
    {
        FloatParameter => Uniform(NumericScale.Of(parameter), random),
        IntParameter => (int)Uniform(NumericScale.Of(parameter), random),
        ChoiceParameter c => c.Choices[random.Next(c.Choices.Count)],
        _ => throw new NotSupportedException($"Parameter '{parameter.Name}' is a {parameter.GetType().Name}, which the random sampler cannot draw."),
    };

    // Uniform on the scale the sampler searches: log-uniform where Log, and an integer's
    // interval widened by half a step each side so that its end values are as likely as the rest.
    private static double Uniform(NumericScale scale, Random random) => scale.ValueAt(scale.Low + random.NextDouble() * (scale.High - scale.Low));
}
