using Microsoft.ML;
using MLPipelines.Data;
using MLPipelines.Data.Csv;
using MLPipelines.Data.DataViews;
using MLPipelines.Trainers;

namespace MLPipelines.Tests;

/// <summary>The real datasets the project ships under datasets/, and scratch folders. Linked into every test project.</summary>
internal static class TestData
{
    public static readonly string Root = FindRoot();

    public static string PathOf(string dataset) => System.IO.Path.Combine(Root, "datasets", dataset + ".csv");

    /// <summary>A dataset read with the declarations its numeric-looking categorical columns need.</summary>
    public static DataTable Load(string dataset) => CsvReader.Read(PathOf(dataset), dataset == "sklearn_digits"
        ? new CsvOptions { ColumnTypes = new Dictionary<string, ColumnType> { ["label"] = ColumnType.Categorical } }
        : null);

    /// <summary>A dataset as an ML.NET view.</summary>
    public static DataTableView View(string dataset) => new(Load(dataset));

    /// <summary>A dataset with its label given the type its task's trainers read (<see cref="LabelPreparation"/>), and the label's name and task.</summary>
    public static (IDataView Data, string Label, PredictionTask Task) Prepared(MLContext ml, string dataset)
    {
        var (_, label, task) = Manifest()[dataset];
        var kind = task switch { "regression" => PredictionTask.Regression, "binary" => PredictionTask.BinaryClassification, _ => PredictionTask.MulticlassClassification };
        return (LabelPreparation.Prepare(ml, View(dataset), label, kind), label, kind);
    }

    /// <summary>The datasets' MANIFEST.tsv rows: name → (rows, target, task).</summary>
    public static IReadOnlyDictionary<string, (int Rows, string Target, string Task)> Manifest() =>
        File.ReadAllLines(System.IO.Path.Combine(Root, "datasets", "MANIFEST.tsv")).Skip(1).Select(l => l.Split('\t'))
            .ToDictionary(f => f[0], f => (int.Parse(f[2]), f[4], f[5]));

    public static string TemporaryDirectory() => Directory.CreateTempSubdirectory("mlpipelines-tests").FullName;

    /// <summary>
    /// A copy of a shipped dataset's CSV, as a user's file, in a new temporary folder: each line (the header is 0) replaced by
    /// what <paramref name="edit"/> gives, left out where it gives null.
    /// </summary>
    public static string EditedCopy(string dataset, string fileName, Func<string, int, string?> edit)
    {
        var path = System.IO.Path.Combine(TemporaryDirectory(), fileName);
        File.WriteAllLines(path, File.ReadAllLines(PathOf(dataset)).Select(edit).OfType<string>());
        return path;
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "MLPipelines.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("the repository root (MLPipelines.sln) was not found above " + AppContext.BaseDirectory);
    }
}
