using MLPipelines.Deep.Networks;
using MLPipelines.Deep.Options;
using MLPipelines.Torch;
using MLPipelines.Torch.Optim;

namespace MLPipelines.Deep.Training;

/// <summary>What each model's options mean for building and training its network.</summary>
internal static class Recipes
{
    public static TabularNetwork CreateNetwork(DeepModelOptions options, NetworkShape shape, bool classification) => options switch
    {
        MlpOptions mlp => new MlpNetwork(shape, mlp, classification),
        ResNetOptions resnet => new ResNetNetwork(shape, resnet),
        FTTransformerOptions ftt => new FTTransformerNetwork(shape, ftt),
        TabMOptions tabm => new TabMNetwork(shape, tabm),
        _ => throw new NotSupportedException($"no network for {options.GetType().Name}"),
    };

    /// <summary>
    /// AdamW over parameter groups. The MLP follows RealMLP: the front scaling layer at 6× the
    /// learning rate, biases at 0.1×, no decay on either, Adam's β₂ = 0.95. The other models
    /// follow rtdl: no decay on biases, normalizations, embeddings and tokenizers.
    /// </summary>
    public static AdamW Optimizer(DeepModelOptions options, TabularNetwork network, bool classification)
    {
        var lr = options.LearningRateFor(classification);
        var named = network.NamedParameters().ToList();
        if (options is MlpOptions mlp)
        {
            var scale = named.Where(p => p.Name.EndsWith(MlpNetwork.FrontScale, StringComparison.Ordinal)).Select(p => p.Parameter).ToList();
            var biases = named.Where(p => p.Name.EndsWith("bias", StringComparison.Ordinal)).Select(p => p.Parameter).ToList();
            var weights = named.Select(p => p.Parameter).Except(scale).Except(biases).ToList();
            List<ParameterGroup> groups = [new(weights, lr, options.WeightDecay), new(biases, lr * mlp.BiasLearningRateFactor), new(scale, lr * mlp.ScaleLearningRateFactor)];
            return new AdamW(groups.Where(g => g.Parameters.Count > 0).ToList(), beta2: mlp.Beta2);
        }
        var decayed = named.Where(p => network.DecaysWeight(p.Name)).Select(p => p.Parameter).ToList();
        var plain = named.Where(p => !network.DecaysWeight(p.Name)).Select(p => p.Parameter).ToList();
        List<ParameterGroup> rtdl = [new(decayed, lr, options.WeightDecay), new(plain, lr)];
        return new AdamW(rtdl.Where(g => g.Parameters.Count > 0).ToList());
    }

    /// <summary>RealMLP's coslog4 over all steps for the MLP; a constant rate for the others (as published).</summary>
    public static ILearningRateSchedule Schedule(DeepModelOptions options, long totalSteps) =>
        options is MlpOptions ? new CoslogSchedule(totalSteps) : new ConstantSchedule();
}
