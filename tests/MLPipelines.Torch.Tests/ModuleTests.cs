using MLPipelines.Torch;
using MLPipelines.Torch.NN;

namespace MLPipelines.Torch.Tests;

public sealed class ModuleTests : ScopedTest
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mlp-module-tests").FullName;

    public override void Dispose()
    {
        base.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A body shared by two heads, to test loading a checkpoint into a differently-headed model.</summary>
    private sealed class Network : Module<Tensor, Tensor>
    {
        private readonly Sequential _body;
        private readonly Linear _head;

        public Network(int outputs)
        {
            _body = RegisterModule("body", new Sequential(new Linear(4, 8), new BatchNorm1d(8), new ReLU(), new Dropout(0.1)));
            _head = RegisterModule("head", new Linear(8, outputs));
        }

        public override Tensor Forward(Tensor input) => _head.Forward(_body.Forward(input));
    }

    [Fact]
    public void Parameters_buffers_and_submodules_are_reachable_by_dotted_name()
    {
        using var network = new Network(outputs: 3);
        Assert.Equal(["body.0.weight", "body.0.bias", "body.1.weight", "body.1.bias", "head.weight", "head.bias"],
            network.NamedParameters().Select(p => p.Name));
        Assert.Equal(["body.1.running_mean", "body.1.running_var", "body.1.num_batches_tracked"], network.NamedBuffers().Select(b => b.Name));
        Assert.Equal(["", "body", "body.0", "body.1", "body.2", "body.3", "head"], network.NamedModules().Select(m => m.Name));
        Assert.Equal(4 * 8 + 8 + 8 + 8 + 8 * 3 + 3, network.ParameterCount);
        Assert.All(network.Parameters(), p => Assert.True(p.RequiresGrad));
        Assert.Equal([8L, 4L], network.NamedParameters().First().Parameter.Shape);
    }

    [Fact]
    public void Train_and_eval_reach_every_submodule()
    {
        using var network = new Network(outputs: 1);
        Assert.All(network.NamedModules(), m => Assert.True(m.Module.IsTraining));
        network.Eval();
        Assert.All(network.NamedModules(), m => Assert.False(m.Module.IsTraining));
        network.Train();
        Assert.All(network.NamedModules(), m => Assert.True(m.Module.IsTraining));
    }

    [Fact]
    public void Duplicate_or_dotted_names_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new BadlyNamed("a.b"));
        Assert.Throws<ArgumentException>(() => new BadlyNamed("twice", twice: true));
    }

    private sealed class BadlyNamed : Module
    {
        public BadlyNamed(string name, bool twice = false)
        {
            RegisterParameter(name, Tensors.Zeros([1]));
            if (twice) RegisterBuffer(name, Tensors.Zeros([1]));
        }
    }

    [Fact]
    public void Linear_initialization_is_bounded_by_one_over_root_fan_in()
    {
        TorchRuntime.ManualSeed(1);
        using var linear = new Linear(100, 50);
        var bound = 1 / Math.Sqrt(100);
        Assert.All(linear.Weight.ToArray<float>(), w => Assert.InRange(w, -bound, bound));
        Assert.All(linear.Bias!.ToArray<float>(), b => Assert.InRange(b, -bound, bound));
        Assert.InRange(linear.Weight.Std().ToDouble(), 0.9 * bound / Math.Sqrt(3), 1.1 * bound / Math.Sqrt(3));
    }

    [Fact]
    public void State_dictionary_save_and_load_gives_bit_identical_outputs()
    {
        TorchRuntime.ManualSeed(7);
        var input = Tensors.Randn([16, 4]);
        var path = Path.Combine(_directory, "network.state");
        float[] expected;
        using (var original = new Network(outputs: 2))
        {
            // A few training-mode passes so batch norm's running statistics are not the defaults.
            for (var i = 0; i < 3; i++) original.Forward(Tensors.Randn([32, 4]));
            original.Eval();
            expected = original.Forward(input).ToArray<float>();
            using var state = original.StateDict();
            state.Save(path);
        }
        TorchRuntime.ManualSeed(99);
        using var restored = new Network(outputs: 2);
        restored.Eval();
        Assert.NotEqual(expected, restored.Forward(input).ToArray<float>());
        using (var loaded = StateDict.Load(path)) restored.LoadStateDict(loaded);
        Assert.Equal(expected, restored.Forward(input).ToArray<float>());
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }

    [Fact]
    public void A_checkpoint_loads_into_a_model_with_another_head()
    {
        using var pretrained = new Network(outputs: 5);
        using var fineTuned = new Network(outputs: 2);
        using var state = pretrained.StateDict();
        foreach (var name in new[] { "head.weight", "head.bias" }) state.Remove(name).Dispose();

        Assert.Throws<InvalidOperationException>(() => fineTuned.LoadStateDict(state, strict: true));
        var result = fineTuned.LoadStateDict(state, strict: false);
        Assert.Equal(["head.weight", "head.bias"], result.MissingKeys);
        Assert.Empty(result.UnexpectedKeys);
        var body = fineTuned.NamedParameters().First(p => p.Name == "body.0.weight").Parameter;
        Assert.Equal(state["body.0.weight"].ToArray<float>(), body.ToArray<float>());
    }

    [Fact]
    public void A_shape_mismatch_names_the_tensor_and_both_shapes()
    {
        using var five = new Network(outputs: 5);
        using var two = new Network(outputs: 2);
        using var state = five.StateDict();
        var error = Assert.Throws<InvalidOperationException>(() => two.LoadStateDict(state, strict: false));
        Assert.Contains("head.weight", error.Message);
        Assert.Contains("[5, 8]", error.Message);
        Assert.Contains("[2, 8]", error.Message);
    }

    [Fact]
    public void Truncated_foreign_and_future_files_are_clear_errors()
    {
        using var network = new Network(outputs: 1);
        var path = Path.Combine(_directory, "good.state");
        using (var state = network.StateDict()) state.Save(path);
        var bytes = File.ReadAllBytes(path);

        var truncated = Path.Combine(_directory, "truncated.state");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<InvalidDataException>(() => StateDict.Load(truncated));
        Assert.Contains("truncated", error.Message);
        Assert.Contains(truncated, error.Message);

        var foreign = Path.Combine(_directory, "foreign.state");
        File.WriteAllText(foreign, "name,value\na,1\n");
        Assert.Contains("not an MLPipelines state dictionary", Assert.Throws<InvalidDataException>(() => StateDict.Load(foreign)).Message);

        var future = Path.Combine(_directory, "future.state");
        var newer = (byte[])bytes.Clone();
        BitConverter.GetBytes(StateDictFile.FormatVersion + 1).CopyTo(newer, 6);
        File.WriteAllBytes(future, newer);
        Assert.Contains("format version 2", Assert.Throws<InvalidDataException>(() => StateDict.Load(future)).Message);
    }

    [Fact]
    public void Conversion_to_float64_keeps_parameter_identity()
    {
        using var linear = new Linear(3, 2);
        var weight = linear.Weight;
        linear.To(DType.Float64);
        Assert.Same(weight, linear.Weight);
        Assert.Equal(DType.Float64, linear.Weight.DType);
        Assert.True(linear.Weight.RequiresGrad);
        Assert.Equal(DType.Float64, linear.Forward(Tensors.Ones([1, 3], DType.Float64)).DType);
    }

    [Fact]
    public void Disposing_a_module_releases_its_tensors()
    {
        var linear = new Linear(3, 2);
        var weight = linear.Weight;
        linear.Dispose();
        Assert.True(weight.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => weight.Sum());
    }
}
