using System.CommandLine;

namespace MLPipelines.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("MLPipelines: deep tabular models beside gradient-boosted trees, with evidence.");
        root.Subcommands.Add(Experiments.AutoMLCommand.Create());
        root.Subcommands.Add(Experiments.RunCommand.Create());
        root.Subcommands.Add(Compare.CompareCommand.Create());
        root.Subcommands.Add(Predict.PredictCommand.Create());
        root.Subcommands.Add(Export.ExportCommand.Create());
        root.Subcommands.Add(Pretrain.PretrainCommand.Create());
        Shared.CsvFormat.Add(root);
        var parsed = root.Parse(args);
        Shared.CsvFormat.Read(parsed);
        return parsed.Invoke();
    }
}
