using MLPipelines.Onnx;
using MLPipelines.Torch;

namespace MLPipelines.Deep.Networks;

/// <summary>
/// The networks of a bagged fit (<see cref="Options.DeepModelOptions.BaggingFolds"/>), each trained on
/// its own folds, as one network: their outputs side by side, [B, Σk, outputs], so that the model's
/// mean over the ensemble axis averages them (each bag's TabM members count once each, as in one
/// TabM). Registered as bag0, bag1, …: its state dictionary holds every bag's weights under its prefix.
/// It is only built from trained networks, never trained as one.
/// </summary>
public sealed class BaggedNetwork : TabularNetwork
{
    private readonly IReadOnlyList<TabularNetwork> _bags;

    public BaggedNetwork(IReadOnlyList<TabularNetwork> bags)
    {
        if (bags.Count < 2) throw new ArgumentException($"a bagged network needs at least 2 networks, got {bags.Count}", nameof(bags));
        _bags = bags.Select((bag, i) => RegisterModule(BagName(i), bag)).ToList();
    }

    /// <summary>The bags' networks, in order.</summary>
    public IReadOnlyList<TabularNetwork> Bags => _bags;

    public override int EnsembleSize => _bags.Sum(b => b.EnsembleSize);

    /// <summary>The widest bag's: a pass runs one bag after the other.</summary>
    public override long WidestActivation => _bags.Max(b => b.WidestActivation);

    public override Tensor Forward(NetworkInput input)
    {
        var outputs = _bags.Select(b => b.Forward(input)).ToList();
        return Tensor.Cat(outputs, 1);
    }

    public override string WriteOnnx(OnnxGraph graph, string features, string? categories) =>
        graph.Concat(_bags.Select((bag, i) =>
        {
            using var _ = graph.Scope(BagName(i));
            return bag.WriteOnnx(graph, features, categories);
        }).ToList(), axis: 1);

    public override bool IsHead(string name)
    {
        var (bag, inside) = Bag(name);
        return bag.IsHead(inside);
    }

    private static string BagName(int index) => $"bag{index}";

    /// <summary>The bag a dotted name belongs to, and the name inside it.</summary>
    private (TabularNetwork Bag, string Inside) Bag(string name)
    {
        var dot = name.IndexOf('.');
        if (dot > 3 && name.StartsWith("bag", StringComparison.Ordinal) && int.TryParse(name.AsSpan(3, dot - 3), out var index) && index < _bags.Count)
            return (_bags[index], name[(dot + 1)..]);
        throw new ArgumentException($"'{name}' is not a name inside a bag (bag0. … bag{_bags.Count - 1}.)", nameof(name));
    }
}
