using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MLPipelines.Data;
using MLPipelines.Data.Csv;
using MLPipelines.Deep;
using MLPipelines.Deep.Options;
using MLPipelines.Deep.Training;
using MLPipelines.Tests;
using MLPipelines.Trainers;
using MLPipelines.XGBoost;
using MLPipelines.XGBoost.Training;

namespace MLPipelines.AutoML.Tests;

/// <summary>
/// Every trainer, for every task it has, in a pipeline from raw CSV columns: saved with
/// <c>ml.Model.Save</c>, loaded by <c>mlpipelines predict</c> in a new process, which must
/// predict exactly what the training process predicted.
/// </summary>
public sealed class ModelRoundTripTests : IDisposable
{
    private readonly MLContext _ml = new(seed: 8);
    private readonly string _directory = TestData.TemporaryDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string, PredictionTask> Cases()
    {
        var cases = new TheoryData<string, PredictionTask>();
        foreach (var trainer in new[] { "baseline", "xgboost", "xgboost-forest", "xgboost-linear", "mlp", "resnet", "ft-transformer", "tabm" })
            foreach (var task in Enum.GetValues<PredictionTask>()) cases.Add(trainer, task);
        cases.Add("ridge", PredictionTask.Regression);   // ML.NET's own linear model, fitted by the project's ridge trainer
        return cases;
    }

    /// <summary>ames (regression), credit_data (binary) and penguins (multiclass): categories and missing values; a few hundred rows each.</summary>
    private static (string Dataset, string Label) DatasetFor(PredictionTask task) => task switch
    {
        PredictionTask.Regression => ("ames", "Sale_Price"),
        PredictionTask.BinaryClassification => ("credit_data", "Status"),
        _ => ("penguins", "species"),
    };

    private IEstimator<ITransformer> Trainer(string name, PredictionTask task, string label)
    {
        DeepTrainer Deep(DeepModelOptions options) => new(task, options with { LabelColumnName = label, MaxOneHotLevels = Math.Min(options.MaxOneHotLevels, 4) }, 1);
        IEstimator<ITransformer> Ours<TModel>(TabularTrainer<TModel> trainer) where TModel : TabularModelParameters, ILoadableModel<TModel> =>
            _ml.Transforms.FeaturizeFor(trainer).Append(trainer);
        return name switch
        {
            "baseline" => Ours(new BaselineTrainer(task, new TrainerColumns(label))),
            "ridge" => _ml.Transforms.Featurize(label).Append(_ml.Regression.Trainers.Ridge(label)),
            "xgboost" => Ours(new GradientBoostedTreesTrainer(task, new GradientBoostedTreesOptions { LabelColumnName = label, MaxRounds = 30 }, 1)),
            "xgboost-forest" => Ours(new RandomForestTrainer(task, new RandomForestOptions { LabelColumnName = label, Trees = 20 }, 1)),
            "xgboost-linear" => Ours(new LinearModelTrainer(task, new LinearModelOptions { LabelColumnName = label, MaxRounds = 20 }, 1)),
            "mlp" => Ours(Deep(new MlpOptions { MaxEpochs = 2 })),
            "resnet" => Ours(Deep(new ResNetOptions { MaxEpochs = 2 })),
            "ft-transformer" => Ours(Deep(new FTTransformerOptions { MaxEpochs = 1, Blocks = 1 })),
            _ => Ours(Deep(new TabMOptions { MaxEpochs = 1, EnsembleSize = 4, BlockWidth = 64 })),
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_saved_pipeline_predicts_bit_identically_in_a_new_process(string trainer, PredictionTask task)
    {
        var (dataset, label) = DatasetFor(task);
        // The rows the model scores: a slice of the file, written as a user's CSV.
        var rows = Path.Combine(_directory, "rows.csv");
        var table = TestData.Load(dataset);
        CsvWriter.Write(table.Select(Enumerable.Range(0, 300).ToArray()), rows);
        var data = _ml.Data.LoadCsv(TestData.PathOf(dataset));

        // From the raw columns: the label given its task's type inside the pipeline, as a user would.
        IEstimator<ITransformer> pipeline = task switch
        {
            PredictionTask.Regression => Trainer(trainer, task, label),
            PredictionTask.BinaryClassification => _ml.Transforms.Conversion.MapValue(label, new Dictionary<string, bool> { ["good"] = false, ["bad"] = true }, label)
                .Append(Trainer(trainer, task, label)),
            _ => _ml.Transforms.Conversion.MapValueToKey(label).Append(Trainer(trainer, task, label))
                .Append(_ml.Transforms.Conversion.MapKeyToValue("PredictedSpecies", "PredictedLabel")),
        };
        var model = pipeline.Fit(data);
        var path = Path.Combine(_directory, "model.zip");
        _ml.Model.Save(model, data.Schema, path);
        var expected = ColumnReadersTable(model.Transform(_ml.Data.LoadCsv(rows)));

        var scored = Path.Combine(_directory, "scored.csv");
        var run = Cli.Run("predict", "--model", path, "--input", rows, "--output", scored);
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var actual = CsvReader.Read(scored);
        var columns = expected.Columns.Where(c => c.Name.StartsWith("Score") || c.Name is "Probability" or "PredictedLabel" or "PredictedSpecies").ToList();
        Assert.NotEmpty(columns);
        foreach (var column in columns)
            for (var row = 0; row < expected.RowCount; row++)
            {
                Assert.Equal(Normalize(column.Format(row)), Normalize(actual[column.Name].Format(row)));
                // Written in the Single's shortest form (75.50217), not widened (75.50216674804688).
                Assert.Equal(Normalize(actual[column.Name].Format(row)), actual[column.Name].Format(row));
            }
        // The input's columns are written as the file has them (39.1 stays 39.1, not the Single 39.099998474121094); the label, which
        // the pipeline replaces, is written as the pipeline left it.
        var input = CsvReader.Read(rows);
        foreach (var column in input.Columns.Where(c => c.Name != label))
            for (var row = 0; row < input.RowCount; row++)
                Assert.Equal(column.Format(row), actual[column.Name].Format(row));
    }

    private static DataTable ColumnReadersTable(IDataView scored) =>
        Data.DataViews.ColumnReaders.ToTable(scored, scored.Schema.Where(c => !c.IsHidden && (Data.DataViews.ColumnReaders.KindOf(c.Type) is not null || c.Name == "Score")).ToList());

    /// <summary>A value as text, numbers as the float the model computed (the CSV holds them round-trippably).</summary>
    private static string? Normalize(string? value) =>
        value is not null && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? ((float)number).ToString("R", CultureInfo.InvariantCulture) : value;
}

/// <summary>The built <c>mlpipelines</c> tool run as a user runs it, in its own process.</summary>
internal static class Cli
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Result Run(params string[] arguments) => Run(new Dictionary<string, string?>(), arguments);

    /// <summary>The tool run with these environment variables changed (null: removed).</summary>
    public static Result Run(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        using var process = Start(environment, arguments);
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) process.Kill(entireProcessTree: true);
        return new Result(process.ExitCode, output, error.Result);
    }

    /// <summary>The tool started in the repository root, its output redirected (so it prints plain lines, no live panel).</summary>
    public static Process Start(params string[] arguments) => Start(new Dictionary<string, string?>(), arguments);

    private static Process Start(IReadOnlyDictionary<string, string?> environment, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = TestData.Root };
        foreach (var (name, value) in environment)
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mlpipelines.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return Process.Start(start)!;
    }
}
