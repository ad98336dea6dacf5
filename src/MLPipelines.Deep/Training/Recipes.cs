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

    /// <summary>The network a trained model holds: one, or one per bag side by side (<see cref="BaggedNetwork"/>).</summary>
    public static TabularNetwork CreateTrainedNetwork(DeepModelOptions options, NetworkShape shape, bool classification) =>
        options.BaggingFolds < 2
            ? CreateNetwork(options, shape, classification)
            : new BaggedNetwork(Enumerable.Range(0, options.BaggingFolds).Select(_ => CreateNetwork(options, shape, classification)).ToList());

    /// <summary>
    /// AdamW over parameter groups. The MLP follows RealMLP: the front scaling layer at 6× the
    /// learning rate, biases at 0.1× without decay, parametric activations and numeric
    /// embeddings at 0.1×, Adam's β₂ = 0.95. Each group's decay is the base decay times its
    /// learning-rate factor: pytabkit multiplies a parameter's decay by its learning-rate and
    /// decay factors twice, so the effective per-step decay is lr·wd·factor², which decoupled
    /// AdamW (decay lr_g·wd_g) gives with wd_g = factor·wd. The other models follow rtdl: no
    /// decay on biases, normalizations, embeddings and tokenizers.
    /// </summary>
    /// <remarks>
    /// <paramref name="learningRateFactor"/> scales each parameter's learning rate by name (fine-tuning's
    /// discriminative rates); a group whose parameters have different factors is split.
    /// </remarks>
    public static AdamW Optimizer(DeepModelOptions options, TabularNetwork network, bool classification, Func<string, double>? learningRateFactor = null)
    {
        var lr = options.LearningRateFor(classification);
        var wd = options.WeightDecay;
        var named = network.NamedParameters().ToList();
        List<(List<(string Name, Tensor Parameter)> Members, double LearningRate, double WeightDecay)> groups;
        var beta2 = 0.999;   // Adam's default; RealMLP sets its own
        if (options is MlpOptions mlp)
        {
            var slow = mlp.ActivationAndEmbeddingLearningRateFactor;
            var assigned = new HashSet<string>(StringComparer.Ordinal);
            List<(string, Tensor)> Take(Func<string, bool> belongs)
            {
                var taken = named.Where(p => !assigned.Contains(p.Name) && belongs(p.Name)).ToList();
                assigned.UnionWith(taken.Select(p => p.Name));
                return taken;
            }
            var embeddingsAndActivations = Take(n => n.Contains("numeric_embedding", StringComparison.Ordinal) || n.EndsWith(".alpha", StringComparison.Ordinal));
            var scale = Take(n => n == MlpNetwork.FrontScale);
            var biases = Take(n => n.EndsWith("bias", StringComparison.Ordinal));
            var weights = Take(_ => true);
            groups =
            [
                (weights, lr, wd), (biases, lr * mlp.BiasLearningRateFactor, 0),
                (scale, lr * mlp.ScaleLearningRateFactor, wd * mlp.ScaleLearningRateFactor),
                (embeddingsAndActivations, lr * slow, wd * slow),
            ];
            beta2 = mlp.Beta2;
        }
        else
            groups =
            [
                (named.Where(p => network.DecaysWeight(p.Name)).ToList(), lr, wd),
                (named.Where(p => !network.DecaysWeight(p.Name)).ToList(), lr, 0),
            ];
        var factor = learningRateFactor ?? (_ => 1.0);
        var split = groups.SelectMany(g => g.Members.GroupBy(m => factor(m.Name))
                .Select(part => new ParameterGroup(part.Select(m => m.Parameter).ToList(), g.LearningRate * part.Key, g.WeightDecay)))
            .Where(g => g.Parameters.Count > 0).ToList();
        return new AdamW(split, beta2: beta2);
    }

    /// <summary>RealMLP's coslog4 over all steps for the MLP; a constant rate for the others (as published).</summary>
    public static ILearningRateSchedule Schedule(DeepModelOptions options, long totalSteps) =>
        options is MlpOptions ? new CoslogSchedule(totalSteps) : new ConstantSchedule();

    /// <summary>Whether the schedules depend on how many steps are planned (the MLP's), so that planning fewer changes them.</summary>
    public static bool ScheduleDependsOnLength(DeepModelOptions options) => options is MlpOptions;

    /// <summary>RealMLP's flat-cos weight decay for the MLP; a constant decay (null) for the others.</summary>
    public static ILearningRateSchedule? WeightDecaySchedule(DeepModelOptions options, long totalSteps) =>
        options is MlpOptions ? new FlatCosineSchedule(totalSteps) : null;
}
