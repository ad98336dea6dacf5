using System.CommandLine;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Cli.Shared;
using MLPipelines.Data;
using MLPipelines.Data.Csv;
using MLPipelines.Data.DataViews;
using MLPipelines.ModelFiles;

namespace MLPipelines.Cli.Predict;

/// <summary>
/// <c>mlpipelines predict</c>: scores a CSV with a model saved by <c>ml.Model.Save</c> (or an ONNX
/// file written by <c>mlpipelines export</c>, through ONNX Runtime: <see cref="OnnxScoring"/>) and writes
/// the rows with their predictions. The CSV is read with the column types the model was trained
/// on (from the model file); a column the file lacks is read as missing (the label, say).
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "A model file written by ml.Model.Save, or an ONNX file written by mlpipelines export", Required = true };
        var input = new Option<FileInfo>("--input") { Description = "The CSV of rows to score", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "The CSV to write: the input's columns and the predictions", Required = true };
        var command = new Command("predict", "Score the rows of a CSV with a saved model") { model, input, output };
        command.SetAction(parse => Run(parse.GetValue(model)!, parse.GetValue(input)!, parse.GetValue(output)!));
        return command;
    }

    private static int Run(FileInfo modelFile, FileInfo input, FileInfo output)
    {
        if (!input.Exists)
        {
            Console.Error.WriteLine($"error: {input.FullName} does not exist");
            return 2;
        }
        if (modelFile.Exists && ModelLoading.IsOnnx(modelFile)) return OnnxScoring.Run(modelFile, input, output);
        var ml = new MLContext();
        var model = ModelLoading.Load(ml, modelFile, out var schema);
        if (model is null) return 2;
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
        catch (Exception e) when (ModelLoading.Cause(e) is CsvFormatException or DataValidationException or ModelFileException)
        {
            Console.Error.WriteLine($"error: {ModelLoading.Cause(e).Message}");
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
        return new DataTableView(TypedCsv.Read(path, types));
    }
}
