using MLPipelines.Deep.Networks;
using MLPipelines.Deep.Options;
using MLPipelines.Deep.Training;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;
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

    /// <summary>Predicting, the scale and bias go onto the product in place: the values are BatchEnsemble's formula all the same.</summary>
    [Fact]
    public void A_BatchEnsemble_layer_computes_x_r_W_s_plus_b_with_gradients_on_and_off()
    {
        TorchRuntime.ManualSeed(5);
        using var layer = new LinearEnsemble(3, 2, 4);
        using (TorchRuntime.NoGrad())
        {
            layer.InputScale.CopyFrom(Tensors.Randn([4L, 3L]));
            layer.OutputScale.CopyFrom(Tensors.Randn([4L, 2L]));
        }
        using var scope = TorchRuntime.NewDisposeScope();
        var x = Tensors.Randn([5L, 4L, 3L]);
        var (w, r, s, b) = (layer.Weight.ToArray<float>(), layer.InputScale.ToArray<float>(), layer.OutputScale.ToArray<float>(), layer.Bias.ToArray<float>());
        var input = x.ToArray<float>();
        var expected = new float[5 * 4 * 2];
        for (var row = 0; row < 5; row++)
            for (var k = 0; k < 4; k++)
                for (var o = 0; o < 2; o++)
                {
                    var sum = 0.0;
                    for (var i = 0; i < 3; i++) sum += input[(row * 4 + k) * 3 + i] * r[k * 3 + i] * w[o * 3 + i];
                    expected[(row * 4 + k) * 2 + o] = (float)(sum * s[k * 2 + o] + b[k * 2 + o]);
                }
        var training = layer.Forward(x).ToArray<float>();
        float[] predicting;
        using (TorchRuntime.NoGrad()) predicting = layer.Forward(x).ToArray<float>();
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], training[i], 1e-5f);
            Assert.Equal(expected[i], predicting[i], 1e-5f);
        }
        Assert.Equal(input, x.ToArray<float>());
    }

    /// <summary>
    /// The FT-Transformer's attention (the shim's kernel, predicting with gradients off and in evaluation with them on)
    /// gives what the same attention written in libtorch's ops gives from the module's own weights — queries of every token
    /// and of [CLS] alone (the last block's) — so the wiring of queries, keys, values and output is checked, not only the kernel.
    /// </summary>
    [Fact]
    public void Attention_predicting_in_one_kernel_gives_what_its_ops_give()
    {
        TorchRuntime.ManualSeed(6);
        const int d = 16, heads = 4, head = d / heads;
        using var attention = new MultiHeadAttention(d, heads, dropout: 0.2);
        attention.Eval();
        var weights = attention.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        Tensor Project(string layer, Tensor x) => Functional.Linear(x, weights[$"{layer}.weight"], weights[$"{layer}.bias"]);
        var context = Tensors.Randn([5L, 7, d]);
        foreach (var queries in new[] { context, context.Narrow(1, 6, 1) })
        {
            Tensor Split(Tensor x) => x.Reshape(5, x.Size(1), heads, head).Transpose(1, 2);   // [B, h, T, d/h]
            var scores = Split(Project("query", queries)).MatMul(Split(Project("key", context)).Transpose(-2, -1)) * (1 / Math.Sqrt(head));
            var mixed = scores.Softmax(-1).MatMul(Split(Project("value", context))).Transpose(1, 2).Reshape(5, queries.Size(1), d);
            var ops = Project("output", mixed).ToArray<float>();
            var withGradients = attention.Forward(queries, context).ToArray<float>();
            float[] predicting;
            using (TorchRuntime.NoGrad()) predicting = attention.Forward(queries, context).ToArray<float>();
            Assert.Equal(ops.Length, predicting.Length);
            for (var i = 0; i < ops.Length; i++)
            {
                Assert.Equal(ops[i], predicting[i], 1e-5f);
                Assert.Equal(ops[i], withGradients[i], 1e-5f);
            }
        }
    }

    [Fact]
    public void PBLD_embeds_each_feature_as_a_linear_map_of_phased_cosines_beside_the_value()
    {
        using var pbld = new PbldEmbeddings(features: 2);
        var parameters = pbld.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        Assert.Equal([2L, 16L], parameters["frequencies"].Shape);
        Assert.Equal([2L, 16L, 3L], parameters["linear.weight"].Shape);
        // Initialization: phases within ±π, frequencies N(0, 0.1²), linear weights U(±¼).
        Assert.All(parameters["phases"].ToArray<float>(), v => Assert.InRange(v, -Math.PI, Math.PI));
        Assert.InRange(parameters["frequencies"].Abs().Max().ToDouble(), 0.01, 0.5);
        Assert.All(parameters["linear.weight"].ToArray<float>(), v => Assert.InRange(v, -0.25, 0.25));
        using (TorchRuntime.NoGrad())
        {
            // Feature 0: frequency 0.25 and phase 0 in slot 0 only; feature 1: frequency 0.5, phase π/2 in slot 1 only.
            var frequencies = new float[32];
            var phases = new float[32];
            frequencies[0] = 0.25f;
            frequencies[16 + 1] = 0.5f;
            phases[16 + 1] = (float)(Math.PI / 2);
            parameters["frequencies"].CopyFrom(Tensors.FromArray(frequencies, 2, 16));
            parameters["phases"].CopyFrom(Tensors.FromArray(phases, 2, 16));
            var weights = new float[2 * 16 * 3];
            weights[0 * 48 + 0 * 3 + 0] = 2;    // feature 0: output 0 = 2·h₀
            weights[1 * 48 + 1 * 3 + 2] = -1;   // feature 1: output 2 = −h₁
            parameters["linear.weight"].CopyFrom(Tensors.FromArray(weights, 2, 16, 3));
            parameters["linear.bias"].CopyFrom(Tensors.FromArray([0f, 0.5f, 0f, 0f, 0f, 1f], 2, 3));
        }
        using var scope = TorchRuntime.NewDisposeScope();
        using var _ = TorchRuntime.NoGrad();
        var output = pbld.Forward(Tensors.FromArray([1f, 2f], 1, 2));
        Assert.Equal([1L, 2L, 4L], output.Shape);
        var values = output.ToArray<float>();
        // Unused slots still add cos(0) = 1 times a zero weight: nothing.
        var h0 = Math.Cos(2 * Math.PI * 0.25 * 1);           // = 0
        var h1 = Math.Cos(2 * Math.PI * 0.5 * 2 + Math.PI / 2);   // = cos(2.5π) = 0
        double[] expected = [2 * h0, 0.5, 0, 1, 0, 0, -h1 + 1, 2];
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], values[i], 1e-5);
        var shifted = pbld.Forward(Tensors.FromArray([0.5f, 0f], 1, 2)).ToArray<float>();
        Assert.Equal(2 * Math.Cos(2 * Math.PI * 0.25 * 0.5), shifted[0], 1e-5);          // 2·cos(π/4)
        Assert.Equal(-Math.Cos(Math.PI / 2) + 1, shifted[6], 1e-5);
    }

    [Fact]
    public void Data_dependent_initialization_gives_unit_preactivations_and_kinks_inside_the_data()
    {
        TorchRuntime.ManualSeed(1);
        using var layer = new NtkLinear(inputs: 6, outputs: 40);
        using var scope = TorchRuntime.NewDisposeScope();
        var rows = Tensors.Randn([500L, 6L]) * 3 + 2;
        var activations = layer.InitializeFromData(rows);
        using var _ = TorchRuntime.NoGrad();
        var preactivations = activations - layer.Bias;
        // "std": every output's pre-activation (without bias) has standard deviation 1 on the rows.
        Assert.All(preactivations.Std(0, unbiased: false).ToArray<float>(), s => Assert.Equal(1f, s, 1e-4f));
        // "he+5": −bias is a convex combination of 5 rows' pre-activations, so it lies within their range.
        var minimum = preactivations.Amin(0).ToArray<float>();
        var maximum = preactivations.Amax(0).ToArray<float>();
        var bias = layer.Bias.ToArray<float>();
        for (var j = 0; j < bias.Length; j++) Assert.InRange(-bias[j], minimum[j], maximum[j]);
        Assert.True(bias.Distinct().Count() > 30, "each neuron draws its own rows and weights");
        // And the returned activations are the layer's output on the rows.
        Assert.True((layer.Forward(rows) - activations).Abs().Max().ToDouble() < 1e-4);
    }

    [Fact]
    public void A_parametric_activation_starts_as_the_activation_and_moves_toward_the_identity()
    {
        using var activation = new ParametricActivation(width: 3, selu: true);
        using var scope = TorchRuntime.NewDisposeScope();
        using var _ = TorchRuntime.NoGrad();
        var x = Tensors.FromArray([-2f, 0.5f, 3f, -0.1f, -1f, 1f], 2, 3);
        Assert.Equal(x.Selu().ToArray<float>(), activation.Forward(x).ToArray<float>());
        activation.Alpha.CopyFrom(Tensors.FromArray([0f, 0.5f, 1f]));
        var values = activation.Forward(x).ToArray<float>();
        var selu = x.Selu().ToArray<float>();
        var inputs = x.ToArray<float>();
        for (var i = 0; i < 6; i++)
        {
            var alpha = new[] { 0f, 0.5f, 1f }[i % 3];
            Assert.Equal(inputs[i] + alpha * (selu[i] - inputs[i]), values[i], 1e-6f);
        }
    }

    [Fact]
    public void RealMLP_parameter_groups_have_the_references_learning_rates_and_decays()
    {
        var shape = new NetworkShape([FeatureKind.Numeric, FeatureKind.Numeric, FeatureKind.OneHot], [12], 1, null);
        using var network = new MlpNetwork(shape, new MlpOptions(), classification: false);
        using var optimizer = Recipes.Optimizer(new MlpOptions(), network, classification: false);
        var names = network.NamedParameters().ToDictionary(p => (object)p.Parameter, p => p.Name, ReferenceEqualityComparer.Instance);
        var groups = optimizer.Groups.Select(g => (g.LearningRate, g.WeightDecay, Names: g.Parameters.Select(p => names[p]).ToHashSet())).ToList();
        // Weights (and the categorical embedding table): lr 0.2, decay 0.02.
        var weights = groups.Single(g => g.Names.Contains("hidden0.weight"));
        Assert.Equal((0.2, 0.02), (weights.LearningRate, weights.WeightDecay));
        Assert.Contains("input.categorical_embedding.table.weight", weights.Names);
        // Biases: 0.1×, no decay.
        var biases = groups.Single(g => g.Names.Contains("hidden0.bias"));
        Assert.Equal(0.02, biases.LearningRate, 12);
        Assert.Equal(0.0, biases.WeightDecay);
        // The front scale: 6×, decay 6 × 0.02 (pytabkit's effective lr·wd·6²).
        var scale = groups.Single(g => g.Names.Contains("front_scale"));
        Assert.Equal(1.2, scale.LearningRate, 12);
        Assert.Equal(0.12, scale.WeightDecay, 12);
        // Parametric activations and PBLD embeddings (its bias too): 0.1×, decay 0.1 × 0.02.
        var slow = groups.Single(g => g.Names.Contains("activation0.alpha"));
        Assert.Equal(0.02, slow.LearningRate, 12);
        Assert.Equal(0.002, slow.WeightDecay, 12);
        Assert.Superset(new HashSet<string> { "input.numeric_embedding.frequencies", "input.numeric_embedding.phases", "input.numeric_embedding.linear.weight", "input.numeric_embedding.linear.bias" }, slow.Names);
        Assert.Equal(network.NamedParameters().Count(), groups.Sum(g => g.Names.Count));
    }
}
