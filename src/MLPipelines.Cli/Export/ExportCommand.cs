using System.CommandLine;
using System.Diagnostics;
using Microsoft.ML;
using MLPipelines.Cli.Shared;
using MLPipelines.Onnx;

namespace MLPipelines.Cli.Export;

/// <summary>
/// <c>mlpipelines export</c>: writes a saved pipeline (the featurizer and a model of the project)
/// as one ONNX file that takes the raw columns and returns ML.NET's prediction columns
/// (<see cref="OnnxExporter"/>).
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "A model file written by ml.Model.Save (or by automl / compare)", Required = true };
        var onnx = new Option<FileInfo>("--onnx") { Description = "The ONNX file to write", Required = true };
        var command = new Command("export", "Export a saved model as an ONNX file (score it with ApplyOnnxModel or ONNX Runtime)") { model, onnx };
        command.SetAction(parse => Run(parse.GetValue(model)!, parse.GetValue(onnx)!));
        return command;
    }

    private static int Run(FileInfo modelFile, FileInfo onnxFile)
    {
        var ml = new MLContext();
        var model = ModelLoading.Load(ml, modelFile, out var schema);
        if (model is null) return 2;
        var clock = Stopwatch.StartNew();
        try
        {
            OnnxExporter.Save(model, schema, onnxFile.FullName);
        }
        catch (OnnxExportException e)
        {
            Console.Error.WriteLine($"error: {modelFile.Name} cannot be exported: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {onnxFile.FullName} cannot be written: {e.Message}");
            return 2;
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
        onnxFile.Refresh();
        Console.WriteLine($"exported {modelFile.Name} to {onnxFile.Name} ({onnxFile.Length:N0} bytes) in {clock.Elapsed.TotalSeconds:F2} s");
        return 0;
    }
}
