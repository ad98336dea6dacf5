using MLPipelines.Data;
using MLPipelines.Deep.Options;
using MLPipelines.Deep.Training;
using MLPipelines.Pipelines;
using MLPipelines.Trainers;
using MLPipelines.Transforms;
using MLPipelines.XGBoost.Training;

namespace MLPipelines.AutoML;

/// <summary>Which family a candidate belongs to: the question the comparison answers is deep against classical.</summary>
public enum ModelFamily
{
    Baseline,
    Classical,
    Deep,
}

/// <summary>What a candidate's trainer receives for one fit.</summary>
public sealed record FitSettings(PredictionTask Task, int Seed, TimeSpan? TimeLimit, IProgress<EpochProgress>? Epochs, CancellationToken Cancellation);

/// <summary>
/// One estimator of a comparison, with the featurization it is published with. Plain data plus
/// a factory, so that every fold gets a fresh trainer.
/// </summary>
public sealed record Candidate(string Name, ModelFamily Family, Func<PredictionTask, FeaturizerOptions> Featurization,
    Func<FitSettings, IEstimator<FeaturizedData, DataTable>> CreateTrainer)
{
    /// <summary>Every estimator with its defaults: the baseline, the classical trainers on XGBoost, the four deep models.</summary>
    public static IReadOnlyList<Candidate> Defaults { get; } =
    [
        new("Baseline", ModelFamily.Baseline, _ => new FeaturizerOptions(), s => new BaselineTrainer(s.Task)),
        new("Linear", ModelFamily.Classical, _ => new FeaturizerOptions(), s => new LinearModelTrainer(s.Task, new LinearModelOptions(), s.Seed) { CancellationToken = s.Cancellation }),
        new("Random forest", ModelFamily.Classical, _ => FeaturizerOptions.ForTrees, s => new RandomForestTrainer(s.Task, new RandomForestOptions(), s.Seed) { CancellationToken = s.Cancellation }),
        new("XGBoost", ModelFamily.Classical, _ => FeaturizerOptions.ForTrees, s => new GradientBoostedTreesTrainer(s.Task, new GradientBoostedTreesOptions(), s.Seed) { CancellationToken = s.Cancellation }),
        Deep(new MlpOptions()),
        Deep(new ResNetOptions()),
        Deep(new FTTransformerOptions()),
        Deep(new TabMOptions()),
    ];

    /// <summary>A deep model as a candidate; the fit's time limit, progress and cancellation reach its trainer.</summary>
    public static Candidate Deep(DeepModelOptions options) =>
        new(options.Name, ModelFamily.Deep, _ => options.RecommendedFeaturization,
            s => new DeepTrainer(s.Task, options with { TimeLimit = s.TimeLimit ?? options.TimeLimit }, s.Seed) { Progress = s.Epochs, CancellationToken = s.Cancellation });

    /// <summary>The default candidates whose names are listed (case-insensitively); an unknown name is an error that lists the known ones.</summary>
    public static IReadOnlyList<Candidate> Named(IEnumerable<string> names) =>
        names.Select(name => Defaults.FirstOrDefault(c => string.Equals(Key(c.Name), Key(name), StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"there is no model '{name}'; the models are: {string.Join(", ", Defaults.Select(c => Key(c.Name)))}")).ToList();

    /// <summary>A candidate's name as typed on a command line: "random-forest", "ft-transformer".</summary>
    public static string Key(string name) => name.ToLowerInvariant().Replace(' ', '-');
}
