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
/// the rows with their predictions (<see cref="ScoredRows"/>). The CSV is read with the column types the model was trained
/// on (from the model file); a column the file lacks is read as missing (the label, say). With
/// <c>--images</c> it scores images with an image model instead (<see cref="ImageScoring"/>).
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "A model file written by ml.Model.Save, or an ONNX file written by mlpipelines export", Required = true };
        var input = new Option<FileInfo>("--input") { Description = "The CSV of rows to score" };
        var images = new Option<string>("--images")
        {
            Description = "Images to score instead of a CSV, with a model that reads pixels: an image file, a folder of image files " +
                          "(its subfolders too; a subfolder's name is the image's label), or an IDX images file with its labels",
        };
        var output = new Option<FileInfo>("--output") { Description = "The CSV to write: the input's columns and the predictions", Required = true };
        var command = new Command("predict", "Score the rows of a CSV, or images, with a saved model") { model, input, images, output };
        command.SetAction(parse => Run(parse.GetValue(model)!, parse.GetValue(input), parse.GetValue(images), parse.GetValue(output)!));
        return command;
    }

    private static int Run(FileInfo modelFile, FileInfo? input, string? images, FileInfo output)
    {
        if ((input is null) == (images is null))
        {
            Console.Error.WriteLine("error: give the rows to score: --input (a CSV) or --images (image files), one of them");
            return 2;
        }
        if (images is not null)
        {
            if (modelFile.Exists && ModelLoading.IsOnnx(modelFile))
            {
                Console.Error.WriteLine($"error: --images scores with a model file (zip); {modelFile.Name} is ONNX: score its pixel input with ml.Transforms.ApplyOnnxModel");
                return 2;
            }
            return ImageScoring.Run(modelFile, images, output);
        }
        if (!input!.Exists)
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
            var rows = Read(input.FullName, schema, ModelLoading.FeatureColumns(model), out var absent);
            var scored = model.Transform(rows);
            // Not the columns the file lacked (the label, read as missing): the output has the file's columns and the predictions.
            var written = WrittenColumns(scored).Where(c => c.Index >= rows.Schema.Count || !absent.Contains(c.Name)).ToList();
            var table = ColumnReaders.ToTable(scored, written, new ScoringProgress(rows.RowCount, Console.Out).Report);
            // The input's columns as the file has them (as ONNX scoring writes them): the view passes numbers on as
            // ML.NET's Single, which would print 39.1 as 39.099998474121094. A column the model replaced comes after them.
            foreach (var column in written.Where(c => c.Index < rows.Schema.Count)) table = table.WithColumn(rows.Table[column.Name]);
            CsvWriter.Write(ScoredRows.Arrange(SingleScores.Shortest(table, rows.Table.Schema), rows.Table), output.FullName, rows.Table.Origins?.Layout);
            Console.WriteLine($"scored {rows.RowCount:N0} rows of {input.Name} into {output.Name}");
            return 0;
        }
        catch (Exception e) when (ModelLoading.Cause(e) is CsvFormatException or DataValidationException or ModelFileException)
        {
            Console.Error.WriteLine($"error: {ModelLoading.Cause(e).Message}");
            return 2;
        }
    }

    /// <summary>What predict writes of a scored view: the input's columns and what the pipeline added, without its intermediate vectors (the features, the pixels).</summary>
    internal static List<DataViewSchema.Column> WrittenColumns(IDataView scored) =>
        scored.Schema.Where(c => !c.IsHidden && (ColumnReaders.KindOf(c.Type) is not null || c.Name == "Score")).ToList();

    /// <summary>The rows, with each column typed as the model's input schema says; <paramref name="absent"/> columns are all missing, unless <paramref name="required"/>.</summary>
    private static DataTableView Read(string path, DataViewSchema schema, IReadOnlySet<string> required, out IReadOnlySet<string> absent)
    {
        // As the featurizer reads each type (a CSV's ISO dates are day counts, as a DateTime column's values are); anything else as text.
        var types = schema.Where(c => !c.IsHidden).ToDictionary(c => c.Name, c => ColumnReaders.KindOf(c.Type) ?? ColumnType.Categorical);
        return new DataTableView(TypedCsv.Read(path, types, required, out absent));
    }
}
