using MLPipelines.AutoML;
using MLPipelines.AutoML.Experiments;
using MLPipelines.Cli.Shared;
using MLPipelines.Data;
using MLPipelines.Data.Csv;
using MLPipelines.Trainers;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using static System.FormattableString;

namespace MLPipelines.Cli.Experiments;

/// <summary>
/// Reads a pipeline file (<c>mlpipelines run pipelines/diamonds.yaml</c>) into an
/// <see cref="ExperimentJob"/>; pipelines/README.md documents the format. Every key is checked
/// here, before any data loads, and a mistake is one message with the file, the line and the key
/// (that the label is a column of the data is checked when the data loads). That is why the
/// file is read through YamlDotNet's representation model, whose nodes know their line, rather
/// than deserialized into an object, which would lose it.
/// <para>
/// Paths: <c>data</c> (or <c>images</c>), <c>pretrained</c> and <c>unlabeled</c> are relative to the file's folder, so that a file and the data it names
/// move together and the file runs from any directory; what the run writes (<c>output</c>,
/// <c>store</c>, <c>model</c>, <c>report</c>, <c>finalists</c>) is relative to the current
/// directory, as with <c>mlpipelines automl</c>, so that results never land among the files
/// that describe experiments.
/// </para>
/// </summary>
internal static class PipelineFile
{
    /// <summary>The keys a pipeline file may have, in the order pipelines/README.md lists them.</summary>
    public static IReadOnlyList<string> Keys { get; } =
        ["data", "label", "task", "exclude", "separator", "decimal_marker", "column_types", "images", "image_size", "budget", "trials", "folds", "repeats", "seed", "threads", "candidates", "search_spaces", "successive_halving", "alpha", "margin",
         "output", "store", "model", "report", "finalists", "pretrained", "unlabeled"];

    private static readonly string[] Required = ["data", "label"];

    /// <summary>What a file of labeled images has instead of <see cref="Required"/>.</summary>
    private const string Images = "images";

    /// <summary>
    /// The job the file describes, or a <see cref="PipelineFileException"/> naming the file, line and key of the first mistake.
    /// Its CSV is read as the file's keys say, and as <paramref name="commandLine"/> says where both do (<see cref="CsvFormat.Over"/>);
    /// without a <c>task</c>, the label's values decide it (so the data file is read here), as on the command line.
    /// </summary>
    public static ExperimentJob Read(string path, CsvOptions? commandLine = null)
    {
        var values = new YamlValues(path);
        var entries = new Dictionary<string, YamlNode>();
        foreach (var (key, keyNode, value) in values.Entries(Root(path, values)))
        {
            if (!Keys.Contains(key)) throw values.Error(keyNode, $"unknown key '{key}' (the keys are: {string.Join(", ", Keys)})");
            entries[key] = value;   // YamlDotNet has already refused a key given twice
        }
        var images = entries.ContainsKey(Images);
        foreach (var key in Required.Append("task"))
            if (images && entries.TryGetValue(key, out var extra))
                throw values.Error(extra, key, $"is for a CSV ('data'): with '{Images}' the label is the images' class and the task multiclass");
        foreach (var key in Required)
            if (!images && !entries.ContainsKey(key))
                throw new PipelineFileException($"{path}: the key '{key}' is missing; every pipeline file needs {string.Join(", ", Required)} (or '{Images}')");
        if (!images && entries.TryGetValue("image_size", out var size)) throw values.Error(size, "image_size", $"is for '{Images}'");
        if (images && entries.TryGetValue("exclude", out var excluded)) throw values.Error(excluded, "exclude", "is for a CSV ('data'): images have no columns to leave out");
        foreach (var key in CsvKeys)
            if (images && entries.TryGetValue(key, out var csvKey)) throw values.Error(csvKey, key, "is for a CSV ('data'): images are not read as one");

        string? Text(string key) => entries.TryGetValue(key, out var node) ? values.Text(node, key) : null;
        int? Int(string key, int min) => entries.TryGetValue(key, out var node) ? values.Int(node, key, min) : null;
        double? Double(string key) => entries.TryGetValue(key, out var node) ? values.Double(node, key) : null;
        // Outputs resolve against the current directory, like the automl command's options.
        string? Written(string key) => Text(key) is { } text ? Path.GetFullPath(text) : null;

        // Inputs resolve against the file's folder, so that a file and what it reads move together.
        string? Read(string key)
        {
            if (Text(key) is not { } text) return null;
            var full = Path.GetFullPath(text, Path.GetDirectoryName(Path.GetFullPath(path))!);
            // Images may be a folder (of class folders, or of IDX files).
            return File.Exists(full) || (key == Images && Directory.Exists(full)) ? full
                : throw values.Error(entries[key], key, $"{full} does not exist (a relative path is read from the folder of {path})");
        }
        var data = images ? Read(Images)! : Read("data")!;
        var label = images ? ImageInput.Label : Text("label")!;
        var csv = CsvFormat.Over(Csv(entries, values), commandLine ?? new CsvOptions());
        var inferred = images || entries.ContainsKey("task") ? null : InferTask(data, label, csv, entries["label"], values);
        var task = images ? Trainers.PredictionTask.MulticlassClassification : inferred?.Task ?? Task(entries["task"], values);
        var known = images ? ImageInput.AllCandidates : Candidate.Known;
        var portfolio = images ? ImageInput.PortfolioCandidates : Candidate.Portfolio;

        TimeSpan? budget = entries.TryGetValue("budget", out var budgetNode) ? Budget(budgetNode, values) : null;
        var trials = Int("trials", 1);
        var models = entries.TryGetValue("candidates", out var candidatesNode) ? Candidates(candidatesNode, known, values) : null;
        var alpha = Double("alpha");
        if (alpha is <= 0 or >= 1) throw values.Error(entries["alpha"], "alpha", Invariant($"must lie between 0 and 1 (exclusive), got {alpha}"));
        var margin = Double("margin");
        if (margin < 0) throw values.Error(entries["margin"], "margin", Invariant($"must be 0 or more (percent of the classical score), got {margin}"));

        return new ExperimentJob(data, label, task)
        {
            Images = images,
            Csv = csv,
            InferredTask = inferred,
            TaskChooser = "a 'task' key",
            ImageSize = Int("image_size", 1),
            // As on the command line: without a budget or a trial limit, five minutes.
            Budget = budget ?? (trials is null ? TimeSpan.FromMinutes(5) : null),
            Trials = trials,
            Folds = Int("folds", 2) ?? 5,
            Repeats = Int("repeats", 1) ?? ExperimentSettings.DefaultRepeats,
            Seed = Int("seed", int.MinValue) ?? 42,
            Threads = Int("threads", 1),
            Models = models,
            Exclude = entries.TryGetValue("exclude", out var excludeNode) ? values.TextList(excludeNode, "exclude").Select(e => e.Text).ToList() : [],
            SearchSpaces = entries.TryGetValue("search_spaces", out var spaces)
                ? SearchSpaceOverrides.Read(spaces, models?.Select(Candidate.Key).ToList() ?? portfolio.Select(c => Candidate.Key(c.Name)).ToList(), known, values)
                : new Dictionary<string, IReadOnlyList<AutoML.Search.Parameter>>(),
            SuccessiveHalving = !entries.TryGetValue("successive_halving", out var halving) || values.Bool(halving, "successive_halving"),
            Alpha = alpha ?? 0.05,
            Margin = (margin ?? 0.5) / 100,
            Output = Written("output"),
            Store = Written("store"),
            Model = Written("model"),
            Report = Written("report"),
            Finalists = Written("finalists"),
            Pretrained = Read("pretrained"),
            Unlabeled = Read("unlabeled"),
        };
    }

    /// <summary>The file's top-level mapping; a YAML syntax error is reported at its line.</summary>
    private static YamlMappingNode Root(string path, YamlValues values)
    {
        if (!File.Exists(path)) throw new PipelineFileException($"{path} does not exist");
        var stream = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            var scanner = new Scanner(reader);
            try
            {
                stream.Load(new Parser(scanner));
            }
            catch (YamlException e)
            {
                // YamlDotNet marks a span: a quote left open starts it, a tab ends it; both lines, when they differ, point at the mistake.
                var lines = e.End.Line > e.Start.Line ? $"lines {e.Start.Line}-{e.End.Line}" : $"line {e.Start.Line}";
                throw new PipelineFileException($"{path} {lines}: {SyntaxProblem(e)}");
            }
            catch (InvalidOperationException)
            {
                // YamlDotNet 18.1 fails this way on some broken files (a "[" never closed): the scanner's position is the line it reached.
                throw new PipelineFileException($"{path} line {scanner.CurrentPosition.Line}: not valid YAML (is a bracket or a quote left open?)");
            }
        }
        if (stream.Documents.Count == 0) throw new PipelineFileException($"{path} is empty; a pipeline file needs at least {string.Join(", ", Required)}");
        if (stream.Documents.Count > 1) throw values.Error(stream.Documents[1].RootNode, "a pipeline file is one YAML document, but a second one starts here");
        return stream.Documents[0].RootNode as YamlMappingNode
            ?? throw values.Error(stream.Documents[0].RootNode, "a pipeline file is a mapping of keys to values, such as 'data: ../datasets/concrete.csv'");
    }

    /// <summary>YamlDotNet's message, without the position it may put in front (the line is already said).</summary>
    private static string SyntaxProblem(YamlException e)
    {
        var message = e.Message;
        var position = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line: ", StringComparison.Ordinal) && position >= 0) message = message[(position + 3)..];
        if (message.StartsWith("Duplicate key ", StringComparison.Ordinal)) return $"the key '{message["Duplicate key ".Length..]}' is given twice";
        return $"not valid YAML ({char.ToLowerInvariant(message[0])}{message[1..].TrimEnd('.')})";
    }

    private static TimeSpan Budget(YamlNode node, YamlValues values)
    {
        var text = values.Text(node, "budget");
        try
        {
            return Durations.Parse(text, "'budget':");
        }
        catch (ArgumentException e)
        {
            throw values.Error(node, e.Message);
        }
    }

    private static readonly string[] CsvKeys = ["separator", "decimal_marker", "column_types"];

    /// <summary>How the file's keys say its CSV files are read: <c>separator</c>, <c>decimal_marker</c>, <c>column_types</c> (a mapping of columns to types).</summary>
    private static CsvOptions Csv(Dictionary<string, YamlNode> entries, YamlValues values)
    {
        char? separator = null;
        if (entries.TryGetValue("separator", out var separatorNode))
        {
            var (value, error) = CsvFormat.ParseSeparator(values.Text(separatorNode, "separator"));
            separator = error is null ? value : throw values.Error(separatorNode, "separator", error);
        }
        char? marker = null;
        if (entries.TryGetValue("decimal_marker", out var markerNode))
        {
            var text = values.Text(markerNode, "decimal_marker");
            marker = text is "." or "," ? text[0] : throw values.Error(markerNode, "decimal_marker", $"must be . or , (quoted: ','), got '{text}'");
            if (marker == separator) throw values.Error(markerNode, "decimal_marker", $"is '{marker}', the separator too: a number's fraction would read as another field");
        }
        var types = new Dictionary<string, ColumnType>(StringComparer.Ordinal);
        if (entries.TryGetValue("column_types", out var typesNode))
        {
            if (typesNode is not YamlMappingNode mapping || mapping.Children.Count == 0)
                throw values.Error(typesNode, "column_types", $"must be a mapping of columns to types, e.g. {{zip: categorical}}, not a {YamlValues.Describe(typesNode)}");
            foreach (var (column, _, typeNode) in values.Entries(mapping))
                types[column] = CsvFormat.TypeNamed(values.Text(typeNode, "column_types")) is { } type ? type
                    : throw values.Error(typeNode, "column_types", $"{column}: {CsvFormat.NotAType(values.Text(typeNode, "column_types"))}");
        }
        return new CsvOptions { Separator = separator, DecimalMarker = marker, ColumnTypes = types };
    }

    /// <summary>The task the label's values suggest, as automl without --task reads it; a data file that cannot say is an error at the label's line.</summary>
    private static InferredTask InferTask(string data, string label, CsvOptions csv, YamlNode labelNode, YamlValues values)
    {
        try
        {
            return DataLoading.InferTask(data, label, csv);
        }
        catch (Exception e) when (e is DataValidationException or CsvFormatException)
        {
            throw values.Error(labelNode, $"no 'task' is given and the label's values cannot decide it: {e.Message}");
        }
    }

    private static Trainers.PredictionTask Task(YamlNode node, YamlValues values)
    {
        var text = values.Text(node, "task");
        try
        {
            return DataLoading.ParseTask(text);
        }
        catch (ArgumentException)
        {
            throw values.Error(node, "task", $"must be one of regression, binary, multiclass, got '{text}'");
        }
    }

    private static List<string> Candidates(YamlNode node, IReadOnlyList<Candidate> known, YamlValues values)
    {
        var listed = values.TextList(node, "candidates");
        foreach (var (name, item) in listed)
            if (!known.Any(c => Candidate.Key(c.Name) == Candidate.Key(name)))
                throw values.Error(item, "candidates", $"there is no model '{name}'; the models are: {string.Join(", ", known.Select(c => Candidate.Key(c.Name)))}");
        return listed.Select(c => c.Text).ToList();
    }
}
