using MLPipelines.Cli.Demo;

namespace MLPipelines.Torch.Tests;

/// <summary>The README's training demo, on a real dataset, end to end through the bindings.</summary>
public sealed class TrainingTests
{
    private static readonly string BreastCancer = Path.Combine(RepositoryRoot(), "datasets", "sklearn_breast_cancer.csv");

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MLPipelines.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("the repository root (MLPipelines.sln) was not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Wisconsin breast cancer, 20% held out: a two-layer network reaches at least 95% accuracy (the majority class is 63%).</summary>
    [Fact]
    public void A_two_layer_network_learns_breast_cancer_to_95_percent_held_out_accuracy()
    {
        var progress = new List<string>();
        var result = TwoLayerNetworkDemo.Run(BreastCancer, "diagnosis", new DemoOptions(), progress.Add);
        Assert.Equal(114, result.TestRows);
        Assert.Equal(455, result.TrainRows);
        Assert.True(result.TestAccuracy >= 0.95, $"held-out accuracy {result.TestAccuracy:F4}");
        Assert.NotEmpty(progress);
    }

    [Fact]
    public void The_same_seed_gives_the_same_result()
    {
        var options = new DemoOptions { Epochs = 5 };
        var first = TwoLayerNetworkDemo.Run(BreastCancer, "diagnosis", options);
        var second = TwoLayerNetworkDemo.Run(BreastCancer, "diagnosis", options);
        Assert.Equal(first.TestAccuracy, second.TestAccuracy);
    }

    [Fact]
    public void A_missing_label_column_is_named_in_the_error()
    {
        var error = Assert.Throws<MLPipelines.Data.DataValidationException>(() => TwoLayerNetworkDemo.Run(BreastCancer, "no_such_column", new DemoOptions()));
        Assert.Contains("no_such_column", error.Message);
    }
}
