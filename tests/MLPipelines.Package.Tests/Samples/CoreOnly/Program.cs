// An app that references MLPipelines.Core but not MLPipelines.Deep, loading a model with a deep model in it.
using Microsoft.ML;

var ml = new MLContext();
try
{
    ml.Model.Load(args[0], out _);
    Console.WriteLine("loaded");
}
catch (Exception e)
{
    // ML.NET calls loaders through reflection; the cause is inside.
    while (e.InnerException is not null && e is not MLPipelines.ModelFiles.ModelFileException) e = e.InnerException;
    Console.WriteLine($"{e.GetType().Name}: {e.Message}");
}
