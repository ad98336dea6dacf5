using MLPipelines.Deep.Networks;
using MLPipelines.Deep.Options;
using MLPipelines.Torch;
using MLPipelines.Trainers;

namespace MLPipelines.Deep.Tests;

/// <summary>Networks checked against their definitions, on hand-made inputs.</summary>
public sealed class NetworkTests
{
    private static readonly NetworkShape Shape = new([FeatureKind.Numeric, FeatureKind.Numeric, FeatureKind.Binary, FeatureKind.Numeric], [], 2, null);

    [Fact]
    public void TabM_mini_is_TabM_with_every_adapter_but_the_first_fixed_to_one_and_shared_biases()
    {
        TorchRuntime.ManualSeed(4);
        var options = new TabMOptions { EnsembleSize = 5, Blocks = 2, BlockWidth = 16 };
        using var full = new TabMNetwork(Shape, options with { Architecture = TabMArchitecture.Full });
        using var mini = new TabMNetwork(Shape, options with { Architecture = TabMArchitecture.Mini });
        var fullParameters = full.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        var miniParameters = mini.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        Assert.Equal(["adapter.r", "block0.weight", "block0.bias", "block1.weight", "block1.bias", "heads.weight", "heads.bias"], miniParameters.Keys);
        using (TorchRuntime.NoGrad())
        {
            // Give the full design the mini one's weights: its first adapter, its shared biases
            // (one row per member), and every other adapter at 1.
            fullParameters["block0.r"].CopyFrom(miniParameters["adapter.r"]);
            fullParameters["block1.r"].Fill(1);
            foreach (var block in new[] { "block0", "block1" })
            {
                fullParameters[$"{block}.s"].Fill(1);
                fullParameters[$"{block}.weight"].CopyFrom(miniParameters[$"{block}.weight"]);
                fullParameters[$"{block}.bias"].CopyFrom(miniParameters[$"{block}.bias"].Unsqueeze(0).Expand(5, 16));
            }
            fullParameters["heads.weight"].CopyFrom(miniParameters["heads.weight"]);
            fullParameters["heads.bias"].CopyFrom(miniParameters["heads.bias"]);
        }
        // The members start different: the first adapter has a random sign per member and feature.
        var signs = miniParameters["adapter.r"].ToArray<float>();
        Assert.All(signs, v => Assert.True(v is 1f or -1f));
        Assert.True(signs.Distinct().Count() == 2);
        full.Eval();
        mini.Eval();
        using var scope = TorchRuntime.NewDisposeScope();
        using var _ = TorchRuntime.NoGrad();
        var rows = new NetworkInput(Tensors.Randn([7L, 4L]), null);
        var expected = full.Forward(rows);
        var actual = mini.Forward(rows);
        Assert.Equal([7L, 5L, 2L], actual.Shape);
        var difference = (expected - actual).Abs().Max().ToDouble();
        Assert.True(difference < 1e-5, $"max difference {difference}");
        // And the members do predict differently.
        Assert.True((actual.Select(1, 0) - actual.Select(1, 1)).Abs().Max().ToDouble() > 1e-3);
    }
}
