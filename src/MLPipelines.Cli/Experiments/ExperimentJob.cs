using MLPipelines.AutoML;
using MLPipelines.AutoML.Search;
using MLPipelines.Data.Csv;
using MLPipelines.Trainers;

namespace MLPipelines.Cli.Experiments;

/// <summary>
/// One AutoML run as the command line or a pipeline file describes it: the data and label,
/// the budget, folds and seed, the candidates (with search-space overrides), the verdict's α and
/// margin, and where the trial store, champion model, finalists and report go (by default
/// inside <see cref="Output"/>).
/// </summary>
internal sealed record ExperimentJob(string Data, string Label, PredictionTask Task)
{
    /// <summary>Whether <see cref="Data"/> holds labeled images (<c>--images</c>, <see cref="Shared.ImageInput"/>) rather than a CSV; then the candidates are the image candidates.</summary>
    public bool Images { get; init; }

    /// <summary>With <see cref="Images"/>: the side image files are decoded to, or the networks resize IDX images to; null: the defaults (<see cref="Shared.ImageInput"/>).</summary>
    public int? ImageSize { get; init; }

    /// <summary>How the CSV files (<see cref="Data"/>, <see cref="Unlabeled"/>) are read: separator, decimal marker, declared column types.</summary>
    public CsvOptions Csv { get; init; } = new();

    /// <summary>How <see cref="Task"/> was read off the label where no task was given; null where it was.</summary>
    public InferredTask? InferredTask { get; init; }

    /// <summary>What chooses another task than the inferred one: <c>--task</c> on the command line, a pipeline file's 'task' key.</summary>
    public string TaskChooser { get; init; } = "--task";

    public TimeSpan? Budget { get; init; }
    public int? Trials { get; init; }
    public int Folds { get; init; } = 5;
    public int Seed { get; init; } = 42;
    public int? Threads { get; init; }

    /// <summary>Candidate names (<see cref="Candidate.Key"/>); null: the portfolio.</summary>
    public IReadOnlyList<string>? Models { get; init; }

    /// <summary>Columns the models must not see: identifiers stored as numbers, columns that leak the label.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Per candidate name, parameters that replace those of its published search space.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Parameter>> SearchSpaces { get; init; } = new Dictionary<string, IReadOnlyList<Parameter>>();

    /// <summary>Repetitions of k-fold for the verdict at most (<see cref="AutoML.Experiments.ExperimentSettings.Repeats"/>).</summary>
    public int Repeats { get; init; } = AutoML.Experiments.ExperimentSettings.DefaultRepeats;

    /// <summary>Whether tuned trials are stopped by successive halving in their first fold (<c>--no-halving</c> switches it off).</summary>
    public bool SuccessiveHalving { get; init; } = true;

    public double Alpha { get; init; } = 0.05;

    /// <summary>The margin of practical equivalence, relative (0.005 = 0.5%).</summary>
    public double Margin { get; init; } = 0.005;

    /// <summary>The folder of everything the run writes; default "automl-&lt;data file name&gt;".</summary>
    public string? Output { get; init; }

    public string? Store { get; init; }
    public string? Model { get; init; }
    public string? Report { get; init; }

    /// <summary>Where the best model of each family is saved, refitted on all rows; null: not refitted.</summary>
    public string? Finalists { get; init; }

    /// <summary>A checkpoint to fine-tune as one more deep candidate (<c>--pretrained</c>).</summary>
    public string? Pretrained { get; init; }

    /// <summary>Unlabeled rows to pretrain the MLP on before the search, fine-tuned as one more deep candidate (<c>--unlabeled</c>).</summary>
    public string? Unlabeled { get; init; }

    /// <summary>Where the checkpoint pretrained on <see cref="Unlabeled"/> is written.</summary>
    public string PretrainedCheckpointPath => Path.Combine(OutputFolder, "pretrained.ckpt");

    public string OutputFolder => Output ?? $"automl-{Path.GetFileNameWithoutExtension(Data)}";
    public string StorePath => Store ?? Path.Combine(OutputFolder, "trials.db");
    public string ModelPath => Model ?? Path.Combine(OutputFolder, "champion.zip");
    public string ReportPath => Report ?? Path.Combine(OutputFolder, "report.html");

    /// <summary>The verdict and the budget's use as JSON, for scripts: <c>&lt;output&gt;/result.json</c>.</summary>
    public string ResultPath => Path.Combine(OutputFolder, "result.json");

    /// <summary>
    /// The candidates (of <paramref name="images"/> when the job reads images), each with its search space overridden
    /// where the job says so; unknown names are an error that lists the known ones.
    /// </summary>
    public IReadOnlyList<Candidate> Candidates(Shared.ImageInput? images = null)
    {
        var chosen = images?.Candidates(Models) ?? (Models is null ? Candidate.Portfolio : Candidate.Named(Models));
        foreach (var name in SearchSpaces.Keys)
            if (!chosen.Any(c => Candidate.Key(c.Name) == Candidate.Key(name)))
                throw new ArgumentException($"a search space is given for '{name}', which is not among the candidates ({string.Join(", ", chosen.Select(c => Candidate.Key(c.Name)))})");
        return chosen.Select(c => SearchSpaces.FirstOrDefault(s => Candidate.Key(s.Key) == Candidate.Key(c.Name)).Value is { } overrides ? Override(c, overrides) : c).ToList();
    }

    private static Candidate Override(Candidate candidate, IReadOnlyList<Parameter> overrides)
    {
        var space = candidate.SearchSpace ?? throw new ArgumentException($"{candidate.Name} has no search space to override");
        foreach (var parameter in overrides)
            if (!space.Contains(parameter.Name))
                throw new ArgumentException($"{candidate.Name} has no parameter '{parameter.Name}' (its parameters: {string.Join(", ", space.Parameters.Select(p => p.Name))})");
        var replaced = space.Parameters.Select(p => overrides.FirstOrDefault(o => o.Name == p.Name) ?? p).ToList();
        return candidate with { SearchSpace = new SearchSpace(replaced) };
    }
}
