using System.CommandLine;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data;
using MLPipelines.Data.Csv;
using MLPipelines.Data.DataViews;
using MLPipelines.ModelFiles;

namespace MLPipelines.Cli.Predict;

/// <summary>
/// <c>mlpipelines predict</c>: scores a CSV with a model saved by <c>ml.Model.Save</c> and writes
/// the rows with their predictions. The CSV is read with the column types the model was trained
/// on (from the model file); a column the file lacks is read as missing (the label, say).
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "A model file written by ml.Model.Save", Required = true };
        var input = new Option<FileInfo>("--input") { Description = "The CSV of rows to score", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "The CSV to write: the input's columns and the predictions", Required = true };
        var command = new Command("predict", "Score the rows of a CSV with a saved model") { model, input, output };
        command.SetAction(parse => Run(parse.GetValue(model)!, parse.GetValue(input)!, parse.GetValue(output)!));
        return command;
    }

    private static int Run(FileInfo modelFile, FileInfo input, FileInfo output)
    {
        foreach (var file in new[] { modelFile, input })
            if (!file.Exists)
            {
                Console.Error.WriteLine($"error: {file.FullName} does not exist");
                return 2;
            }
        var ml = new MLContext();
        ITransformer model;
        DataViewSchema schema;
        try
        {
            model = ml.Model.Load(modelFile.FullName, out schema);
        }
        catch (Exception e)
        {
            // ML.NET calls loaders through reflection and wraps what they throw: show the cause.
            Console.Error.WriteLine($"error: {modelFile.Name} cannot be loaded: {Cause(e).Message}");
            return 2;
        }
        try
        {
            var rows = Read(input.FullName, schema);
            var scored = model.Transform(rows);
            // The input's columns and what the pipeline added, without its intermediate vectors (the features).
            var columns = scored.Schema.Where(c => !c.IsHidden && (ColumnReaders.KindOf(c.Type) is not null || c.Name == "Score")).ToList();
            CsvWriter.Write(ColumnReaders.ToTable(scored, columns), output.FullName);
            Console.WriteLine($"scored {rows.RowCount:N0} rows of {input.Name} into {output.Name}");
            return 0;
        }
        catch (Exception e) when (Cause(e) is CsvFormatException or DataValidationException or ModelFileException)
        {
            Console.Error.WriteLine($"error: {Cause(e).Message}");
            return 2;
        }
    }

    /// <summary>The rows, with each column typed as the model's input schema says; absent columns are all missing.</summary>
    private static DataTableView Read(string path, DataViewSchema schema)
    {
        var types = schema.Where(c => !c.IsHidden).ToDictionary(c => c.Name, c => c.Type switch
        {
            BooleanDataViewType => ColumnType.Boolean,
            NumberDataViewType => ColumnType.Numeric,
            _ => ColumnType.Categorical,
        });
        var table = CsvReader.Read(path, new CsvOptions { ColumnTypes = types, AllowAbsentDeclaredColumns = true });
        foreach (var (name, type) in types)
        {
            if (table.Schema.Contains(name)) continue;
            var rows = table.RowCount;
            table = table.WithColumn(type switch
            {
                ColumnType.Numeric => new NumericColumn(name, Enumerable.Repeat(double.NaN, rows).ToArray()),
                ColumnType.Boolean => new BooleanColumn(name, new sbyte[rows]),   // ML.NET's Boolean has no missing value: false
                _ => new CategoricalColumn(name, [], Enumerable.Repeat(CategoricalColumn.Missing, rows).ToArray()),
            });
        }
        return new DataTableView(table);
    }

    private static Exception Cause(Exception e)
    {
        while (e is TargetInvocationException or TypeInitializationException or AggregateException && e.InnerException is not null) e = e.InnerException!;
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner is ModelFileException or DataValidationException or CsvFormatException or DllNotFoundException) return inner;
        return e;
    }
}
