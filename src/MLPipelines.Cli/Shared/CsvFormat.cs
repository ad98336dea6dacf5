using System.CommandLine;
using System.CommandLine.Parsing;
using MLPipelines.Data;
using MLPipelines.Data.Csv;

namespace MLPipelines.Cli.Shared;

/// <summary>
/// <c>--separator</c> and <c>--decimal-marker</c>: how the command's CSV files are written, for a file the reader's
/// detection reads wrongly (say, a file separated by semicolons whose first thousand rows hold whole numbers and later
/// ones decimal commas), and <c>--column-types</c> for a column whose type the first rows do not show. Options of every
/// command; they apply to every CSV file the command reads. Predict writes its
/// output as it read its input (<see cref="MLPipelines.Data.RowOrigins.Layout"/>), image scores as <see cref="Written"/>.
/// </summary>
internal static class CsvFormat
{
    public static readonly Option<string?> Separator = new("--separator")
    {
        Description = "The CSV files' field separator, one character (\"tab\" or \\t for a tab); default: detected from the header. Predict writes its output as it read its input",
        Recursive = true,
    };

    public static readonly Option<string?> DecimalMarker = new("--decimal-marker")
    {
        Description = "What separates a number's fraction in the CSV files: . or , (default: a comma where the file is not comma-separated and its first rows write decimal commas)",
        Recursive = true,
    };

    public static readonly Option<string?> ColumnTypes = new("--column-types")
    {
        Description = "Column types that replace inference, as name=type pairs separated by commas (numeric, categorical, text or boolean), " +
                      "e.g. zip=categorical,notes=text: for a column whose first rows look like numbers and later ones do not. " +
                      "predict reads the types the model was trained on",
        Recursive = true,
    };

    static CsvFormat()
    {
        Separator.Validators.Add(result =>
        {
            var (separator, error) = ParseSeparator(result.GetValueOrDefault<string?>());
            if (error is not null) result.AddError($"--separator {error}");
            else if (result.GetValue(DecimalMarker) is [var marker] && marker == separator)
                result.AddError($"--separator and --decimal-marker are both '{marker}': a number's fraction would read as another field");
        });
        DecimalMarker.AcceptOnlyFromAmong(".", ",");
        ColumnTypes.Validators.Add(result =>
        {
            if (ParseColumnTypes(result.GetValueOrDefault<string?>()).Error is { } error) result.AddError(error);
        });
    }

    /// <summary>How the CSV files of this run are read (set from the command line before the command runs).</summary>
    public static CsvOptions Given { get; private set; } = new();

    /// <summary>
    /// How a file the command writes from scratch (image scores) is laid out: as given, else commas and decimal points —
    /// semicolons where only a decimal comma was given, as a spreadsheet in such a locale writes them.
    /// </summary>
    public static CsvLayout Written => new(Given.Separator ?? (Given.DecimalMarker == ',' ? ';' : ','), Given.DecimalMarker ?? '.');

    public static void Add(RootCommand root)
    {
        root.Options.Add(Separator);
        root.Options.Add(DecimalMarker);
        root.Options.Add(ColumnTypes);
    }

    public static void Read(ParseResult parsed)
    {
        if (parsed.Errors.Count > 0) return;
        Given = new CsvOptions
        {
            Separator = ParseSeparator(parsed.GetValue(Separator)).Value,
            DecimalMarker = parsed.GetValue(DecimalMarker) is { } marker ? marker[0] : null,
            ColumnTypes = ParseColumnTypes(parsed.GetValue(ColumnTypes)).Value,
        };
    }

    private static (Dictionary<string, ColumnType> Value, string? Error) ParseColumnTypes(string? text)
    {
        var types = new Dictionary<string, ColumnType>(StringComparer.Ordinal);
        foreach (var pair in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.LastIndexOf('=');
            if (equals <= 0) return (types, $"--column-types '{pair}': give a column and its type as name=type, e.g. zip=categorical");
            var (name, type) = (pair[..equals].Trim(), pair[(equals + 1)..].Trim());
            if (TypeNamed(type) is not { } parsed) return (types, $"--column-types {pair}: {NotAType(type)}");
            if (!types.TryAdd(name, parsed)) return (types, $"--column-types names '{name}' twice");
        }
        return (types, null);
    }

    /// <summary>A column type by its name, any case (numeric, categorical, text, boolean); null for another word.</summary>
    public static ColumnType? TypeNamed(string name) =>
        Enum.GetValues<ColumnType>().Where(t => t.ToString().Equals(name, StringComparison.OrdinalIgnoreCase)).ToList() is [var type] ? type : null;

    public static string NotAType(string name) => $"'{name}' is not a type: numeric, categorical, text or boolean";

    /// <summary>A separator as given ("tab" or \t for a tab), or why it cannot be one.</summary>
    public static (char? Value, string? Error) ParseSeparator(string? text) => text switch
    {
        null => (null, null),
        "tab" or "\\t" => ('\t', null),
        { Length: 1 } => (text[0], CsvOptions.SeparatorProblem(text[0])),
        _ => (null, $"'{text}' is not a separator: give one character, or \"tab\""),
    };

    /// <summary>
    /// The command line's options (<paramref name="given"/>) over a pipeline file's (<see cref="Experiments.PipelineFile"/>): each
    /// one the command line gives replaces the file's; the declared column types of both, the command line's where both name a column.
    /// </summary>
    public static CsvOptions Over(CsvOptions file, CsvOptions given)
    {
        var types = new Dictionary<string, ColumnType>(file.ColumnTypes);
        foreach (var (name, type) in given.ColumnTypes) types[name] = type;
        return file with { Separator = given.Separator ?? file.Separator, DecimalMarker = given.DecimalMarker ?? file.DecimalMarker, ColumnTypes = types };
    }
}
