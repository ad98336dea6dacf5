using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using MLPipelines.AutoML.Search;
using MLPipelines.Deep.Options;
using MLPipelines.Deep.Training;
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

    /// <summary>A weighted ensemble of models of both families.</summary>
    Ensemble,
}

/// <summary>
/// What a candidate's pipeline is built for, on one fold: the task, the label column (already
/// of the task's type), the seed, the threads every engine may use, the deep models' time
/// limit, where epochs (deep models) and boosting rounds (XGBoost's boosted trees) are
/// reported, the cancellation, and the configuration to build (a point of the candidate's
/// <see cref="Candidate.SearchSpace"/>; null: its defaults).
/// </summary>
public sealed record CandidateSettings(MLContext Context, PredictionTask Task, string LabelColumnName, int Seed, int Threads, TimeSpan? TimeLimit,
    IProgress<EpochProgress>? Epochs, CancellationToken Cancellation)
{
    public Configuration? Configuration { get; init; }

    /// <summary>
    /// Where a boosted-tree candidate reports each round (its validation metric): the trees'
    /// counterpart of <see cref="Epochs"/>, which an experiment's successive halving reads.
    /// </summary>
    public IProgress<BoostingProgress>? Rounds { get; init; }
}

/// <summary>
/// One pipeline of a comparison: any ML.NET estimator from the raw columns to ML.NET's
/// prediction columns. A factory, so that every fold gets a fresh one. A candidate with a
/// <see cref="SearchSpace"/> is tuned by an experiment: its factory reads
/// <see cref="CandidateSettings.Configuration"/>.
/// </summary>
public sealed record Candidate(string Name, ModelFamily Family, Func<CandidateSettings, IEstimator<ITransformer>> CreatePipeline)
{
    /// <summary>The hyperparameters an experiment may tune; null: the candidate runs with its defaults only.</summary>
    public SearchSpace? SearchSpace { get; init; }

    /// <summary>A pipeline of the user's as a candidate; it reads the label column the comparison prepared.</summary>
    public static Candidate FromEstimator(string name, ModelFamily family, IEstimator<ITransformer> pipeline) => new(name, family, _ => pipeline);

    /// <summary>
    /// Every estimator with its defaults: the baseline; a linear model on the default
    /// featurization (imputed, standardized numbers, one-hot categories) — ridge regression
    /// solved directly (Cholesky of the normal equations: one read of the rows, where SDCA
    /// iterates over them) and ML.NET's L-BFGS logistic regression and maximum entropy for
    /// classification; LightGbm, FastTree and FastForest; XGBoost's boosted trees and random
    /// forest; the four deep models.
    /// </summary>
    public static IReadOnlyList<Candidate> Defaults { get; } =
    [
        new("Baseline", ModelFamily.Baseline, s => Ours(s, new BaselineTrainer(s.Task, new TrainerColumns(s.LabelColumnName)))),
        new("Linear", ModelFamily.Classical, s => MLNet(s, new FeaturizerOptions(), s.Task switch
        {
            PredictionTask.Regression => s.Context.Regression.Trainers.Ridge(new RidgeRegressionOptions { LabelColumnName = s.LabelColumnName }),
            PredictionTask.BinaryClassification => s.Context.BinaryClassification.Trainers.LbfgsLogisticRegression(
                new LbfgsLogisticRegressionBinaryTrainer.Options { LabelColumnName = s.LabelColumnName, NumberOfThreads = s.Threads }),
            _ => s.Context.MulticlassClassification.Trainers.LbfgsMaximumEntropy(
                new LbfgsMaximumEntropyMulticlassTrainer.Options { LabelColumnName = s.LabelColumnName, NumberOfThreads = s.Threads }),
        })),
        new("LightGbm", ModelFamily.Classical, s =>
        {
            var g = PublishedSearchSpaces.LightGbm(s.Configuration);
            return MLNet(s, FeaturizerOptions.ForTrees, s.Task switch
            {
                PredictionTask.Regression => s.Context.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
                {
                    LabelColumnName = s.LabelColumnName, NumberOfThreads = s.Threads, Seed = s.Seed,
                    NumberOfLeaves = g.Leaves, NumberOfIterations = g.Rounds, LearningRate = g.LearningRate, Booster = g.Booster,
                }),
                PredictionTask.BinaryClassification => s.Context.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
                {
                    LabelColumnName = s.LabelColumnName, NumberOfThreads = s.Threads, Seed = s.Seed,
                    NumberOfLeaves = g.Leaves, NumberOfIterations = g.Rounds, LearningRate = g.LearningRate, Booster = g.Booster,
                }),
                _ => s.Context.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
                {
                    LabelColumnName = s.LabelColumnName, NumberOfThreads = s.Threads, Seed = s.Seed,
                    NumberOfLeaves = g.Leaves, NumberOfIterations = g.Rounds, LearningRate = g.LearningRate, Booster = g.Booster,
                }),
            });
        }) { SearchSpace = PublishedSearchSpaces.LightGbmSpace },
        new("FastTree", ModelFamily.Classical, s => MLNet(s, FeaturizerOptions.ForTrees, s.Task switch
        {
            PredictionTask.Regression => s.Context.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options { LabelColumnName = s.LabelColumnName, NumberOfThreads = s.Threads, Seed = s.Seed }),
            PredictionTask.BinaryClassification => s.Context.BinaryClassification.Trainers.FastTree(
                new FastTreeBinaryTrainer.Options { LabelColumnName = s.LabelColumnName, NumberOfThreads = s.Threads, Seed = s.Seed }),
            // ML.NET has no multiclass FastTree: one-versus-all over its binary trees.
            _ => s.Context.MulticlassClassification.Trainers.OneVersusAll(s.Context.BinaryClassification.Trainers.FastTree(
                new FastTreeBinaryTrainer.Options { LabelColumnName = s.LabelColumnName, NumberOfThreads = s.Threads, Seed = s.Seed }), labelColumnName: s.LabelColumnName),
        })),
        new("FastForest", ModelFamily.Classical, s => MLNet(s, FeaturizerOptions.ForTrees, s.Task switch
        {
            PredictionTask.Regression => s.Context.Regression.Trainers.FastForest(new FastForestRegressionTrainer.Options { LabelColumnName = s.LabelColumnName, NumberOfThreads = s.Threads, Seed = s.Seed }),
            // ML.NET's binary forest gives a score and no probability; Platt's calibrator adds one, as FastTree's own has,
            // so that log-loss can score it and an ensemble blends it with the other members' probabilities.
            PredictionTask.BinaryClassification => s.Context.BinaryClassification.Trainers.FastForest(
                    new FastForestBinaryTrainer.Options { LabelColumnName = s.LabelColumnName, NumberOfThreads = s.Threads, Seed = s.Seed })
                .Append(s.Context.BinaryClassification.Calibrators.Platt(s.LabelColumnName)),
            _ => s.Context.MulticlassClassification.Trainers.OneVersusAll(s.Context.BinaryClassification.Trainers.FastForest(
                new FastForestBinaryTrainer.Options { LabelColumnName = s.LabelColumnName, NumberOfThreads = s.Threads, Seed = s.Seed }), labelColumnName: s.LabelColumnName, useProbabilities: false),
        })),
        new("XGBoost", ModelFamily.Classical, s => Ours(s,
            new GradientBoostedTreesTrainer(s.Task, PublishedSearchSpaces.XGBoost(XGBoostOptions<GradientBoostedTreesOptions>(s), s.Configuration), s.Seed)
                { CancellationToken = s.Cancellation, Progress = s.Rounds })) { SearchSpace = PublishedSearchSpaces.XGBoostSpace },
        // The forest is one round of many trees: nothing to report between rounds.
        new("XGBoost forest", ModelFamily.Classical, s => Ours(s,
            new RandomForestTrainer(s.Task, XGBoostOptions<RandomForestOptions>(s), s.Seed) { CancellationToken = s.Cancellation })),
        Deep(new MlpOptions()) with { SearchSpace = PublishedSearchSpaces.MlpSpace },
        Deep(new ResNetOptions()) with { SearchSpace = PublishedSearchSpaces.ResNetSpace },
        Deep(new FTTransformerOptions()) with { SearchSpace = PublishedSearchSpaces.FTTransformerSpace },
        Deep(new TabMOptions()) with { SearchSpace = PublishedSearchSpaces.TabMSpace },
    ];

    /// <summary>
    /// Configurations run only when named: the MLP bagged over 5 validation folds ("mlp-bagged",
    /// <see cref="DeepModelOptions.BaggingFolds"/>; pytabkit's example of its n_cv). It is five
    /// fits in one, so neither a comparison's default nor an experiment's portfolio.
    /// </summary>
    public static IReadOnlyList<Candidate> Variants { get; } = [Deep(new MlpOptions { BaggingFolds = 5 }) with { Name = "MLP bagged" }];

    /// <summary>Every candidate a name chooses: <see cref="Defaults"/> and <see cref="Variants"/>.</summary>
    public static IReadOnlyList<Candidate> Known { get; } = [.. Defaults, .. Variants];

    /// <summary>
    /// What an experiment runs by default, cheapest first: the baseline, the linear model,
    /// LightGbm, XGBoost, XGBoost's random forest, then MLP, ResNet, TabM and FT-Transformer.
    /// (ML.NET's FastTree and FastForest stay available by name: XGBoost and its forest cover
    /// the same ground; a user can add them to the list.)
    /// </summary>
    public static IReadOnlyList<Candidate> Portfolio { get; } =
        Named(["baseline", "linear", "lightgbm", "xgboost", "xgboost-forest", "mlp", "resnet", "tabm", "ft-transformer"]);

    /// <summary>A deep model as a candidate; the fit's time limit, progress and cancellation reach its trainer.</summary>
    public static Candidate Deep(DeepModelOptions options) =>
        new(options.Name, ModelFamily.Deep, s =>
        {
            var configured = PublishedSearchSpaces.Deep(options, s.Configuration) with { LabelColumnName = s.LabelColumnName, TimeLimit = s.TimeLimit ?? options.TimeLimit };
            return Ours(s, new DeepTrainer(s.Task, configured, options.Seed ?? s.Seed) { Progress = s.Epochs, CancellationToken = s.Cancellation });
        });

    /// <summary>
    /// A deep model fine-tuned from a pretrained checkpoint (<see cref="DeepModelOptions.Pretrained"/>): the
    /// checkpoint's architecture with its published training defaults, bagged over
    /// <see cref="FineTunedBaggingFolds"/> validation folds, named "&lt;model&gt; (fine-tuned)", in the deep family
    /// like the others. The checkpoint is read here, so that a bad file is an error before anything trains.
    /// <para>Bagged because a checkpoint is for few labels: one network would early-stop on a fifth of them and
    /// never train on it, while five bags train on every row and validate on every row, and their mean is steadier
    /// (on letters N–Z with 5–50 labeled rows per class, 5 seeds, `scripts/benchmark.sh transfer`: +0.020 to +0.039
    /// accuracy on held-out rows over one network, the spread over seeds halved); on few rows five fits cost seconds,
    /// and a time limit covers all five.</para>
    /// <para>It has no search space on purpose: tuned over its training and fine-tuning (learning rate, dropout,
    /// weight decay, mode, the encoder's rate) on letters with 5–20 labeled rows per class, the configuration best
    /// on the folds scored 1.3–5.1 points worse on held-out rows than these defaults (the folds' noise chose it;
    /// see the README's transfer section).</para>
    /// </summary>
    public static Candidate FineTuned(string checkpointPath)
    {
        using var checkpoint = MLPipelines.Deep.Transfer.PretrainedCheckpoint.Load(checkpointPath);
        var architecture = checkpoint.Options with
        {
            Pretrained = Path.GetFullPath(checkpointPath), TimeLimit = null, Seed = null, BaggingFolds = FineTunedBaggingFolds,
        };
        return Deep(architecture) with { Name = $"{architecture.Name} (fine-tuned)" };
    }

    /// <summary>The validation folds a fine-tuned candidate is bagged over (<see cref="FineTuned"/>); pytabkit's example of its n_cv.</summary>
    public const int FineTunedBaggingFolds = 5;

    /// <summary>The known candidates (<see cref="Known"/>) whose names are listed (case-insensitively); an unknown name is an error that lists them.</summary>
    public static IReadOnlyList<Candidate> Named(IEnumerable<string> names) => Named(names, Known);

    /// <summary>The candidates of <paramref name="known"/> whose names are listed (case-insensitively, as <see cref="Key"/> writes them); an unknown name is an error that lists the known ones.</summary>
    public static IReadOnlyList<Candidate> Named(IEnumerable<string> names, IReadOnlyList<Candidate> known) =>
        names.Select(name => known.FirstOrDefault(c => string.Equals(Key(c.Name), Key(name), StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"there is no model '{name}'; the models are: {string.Join(", ", known.Select(c => Key(c.Name)))}")).ToList();

    /// <summary>A candidate's name as typed on a command line: "xgboost-forest", "ft-transformer".</summary>
    public static string Key(string name) => name.ToLowerInvariant().Replace(' ', '-');

    /// <summary>One of the project's trainers behind the featurization it is published with.</summary>
    private static IEstimator<ITransformer> Ours<TModel>(CandidateSettings settings, TabularTrainer<TModel> trainer)
        where TModel : TabularModelParameters, ILoadableModel<TModel> =>
        settings.Context.Transforms.FeaturizeFor(trainer).Append(trainer);

    /// <summary>One of ML.NET's trainers behind the project's featurizer, reading the default "Features" column.</summary>
    private static IEstimator<ITransformer> MLNet(CandidateSettings settings, FeaturizerOptions featurization, IEstimator<ITransformer> trainer) =>
        settings.Context.Transforms.Featurize(settings.LabelColumnName, featurization).Append(trainer);

    private static T XGBoostOptions<T>(CandidateSettings settings) where T : XGBoostOptions, new() =>
        new T() with { LabelColumnName = settings.LabelColumnName, Threads = settings.Threads };
}
