using System.CommandLine;
using MLPipelines.Cli.Demo;
using MLPipelines.Torch;

namespace MLPipelines.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("MLPipelines: deep tabular models beside gradient-boosted trees, with evidence.");
        root.Subcommands.Add(Compare.CompareCommand.Create());
        root.Subcommands.Add(DemoCommand());
        return root.Parse(args).Invoke();
    }

    private static Command DemoCommand()
    {
        var data = new Option<FileInfo>("--data") { Description = "A CSV with numeric features and a binary label", DefaultValueFactory = _ => new FileInfo("datasets/sklearn_breast_cancer.csv") };
        var label = new Option<string>("--label") { Description = "The label column", DefaultValueFactory = _ => "diagnosis" };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => new DemoOptions().Epochs };
        var seed = new Option<int>("--seed") { Description = "Seed for the split, the initial weights and the shuffles", DefaultValueFactory = _ => 42 };
        var command = new Command("demo", "Train a two-layer network with the libtorch bindings and report held-out accuracy") { data, label, epochs, seed };
        command.SetAction(parse =>
        {
            var file = parse.GetValue(data)!;
            if (!file.Exists)
            {
                Console.Error.WriteLine($"error: {file.FullName} does not exist");
                return 2;
            }
            Console.WriteLine($"libtorch {TorchRuntime.Version}, {TorchRuntime.NumThreads} intra-op threads, BLAS threads {TorchRuntime.BlasThreads?.ToString() ?? "n/a"}");
            Console.WriteLine($"training a two-layer network on {file.Name} (label '{parse.GetValue(label)}')");
            var options = new DemoOptions { Epochs = parse.GetValue(epochs), Seed = parse.GetValue(seed) };
            var result = TwoLayerNetworkDemo.Run(file.FullName, parse.GetValue(label)!, options, Console.WriteLine);
            Console.WriteLine($"held-out accuracy {result.TestAccuracy:F4} on {result.TestRows} rows (trained on {result.TrainRows}; positive class '{result.PositiveClass}') in {result.Elapsed.TotalSeconds:F1} s");
            return 0;
        });
        return command;
    }
}
