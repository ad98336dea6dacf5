using System.Text.Json.Serialization;

namespace MLPipelines.Trainers;

/// <summary>
/// What every trainer's options class has, named as ML.NET's options name them. Options are
/// plain data: comparable, printable, serializable.
/// </summary>
public abstract record TrainerOptions
{
    /// <summary>The label column. Default "Label".</summary>
    public string LabelColumnName { get; init; } = "Label";

    /// <summary>The feature column: a known-size vector of Single. Default "Features".</summary>
    public string FeatureColumnName { get; init; } = "Features";

    /// <summary>A column of example weights (numbers, not negative); null (the default) weighs every row 1.</summary>
    public string? ExampleWeightColumnName { get; init; }

    /// <summary>The seed of everything random in training. Default: the MLContext's seed.</summary>
    public int? Seed { get; init; }

    [JsonIgnore]
    public TrainerColumns Columns => new(LabelColumnName, FeatureColumnName, ExampleWeightColumnName);
}

/// <summary>Setting the columns of any options object.</summary>
public static class TrainerOptionsExtensions
{
    /// <summary>The options with these label, feature and example weight columns.</summary>
    public static T WithColumns<T>(this T options, string labelColumnName, string featureColumnName, string? exampleWeightColumnName) where T : TrainerOptions =>
        options with { LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, ExampleWeightColumnName = exampleWeightColumnName };
}
