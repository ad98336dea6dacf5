using MLPipelines.Data;
using MLPipelines.Deep.Networks;
using MLPipelines.Deep.Options;
using MLPipelines.Torch;

namespace MLPipelines.Deep.Transfer;

/// <summary>
/// Puts a checkpoint's body into a network built for the fit (on the columns of an
/// <see cref="InputMap"/>: the checkpoint's first, then new ones) and starts the new head at zero.
/// A parameter of the same shape is copied; one that grew because columns were added keeps the
/// checkpoint's values for the checkpoint's columns and its fresh initialization for the new ones:
/// along the flat input run by run (<see cref="TabularNetwork.FlatInputParameters"/>), and along a
/// per-feature first axis (<see cref="TabularNetwork.IsPerFeature"/>: embeddings, tokens) as the leading entries. The head starts at zero, so that
/// the first steps do not push the pretrained body with a random head's gradients (as in LP-FT,
/// Kumar et al. 2022); buffers that describe the input's shape (column indices, offsets) stay the
/// network's own.
/// </summary>
internal static class WeightTransfer
{
    public static void Load(TabularNetwork network, NetworkShape shape, DeepModelOptions options, PretrainedCheckpoint checkpoint, string trainer)
    {
        if (checkpoint.Options.GetType() != options.GetType())
            throw new DataValidationException($"{trainer} cannot fine-tune the checkpoint: it holds a {checkpoint.Options.Name} network; " +
                                              $"fine-tune it with the {checkpoint.Options.Name} trainer");
        var parameters = network.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        var buffers = network.NamedBuffers().ToDictionary(b => b.Name, b => b.Buffer);
        var flatAxes = network.FlatInputParameters.ToDictionary(p => p.Name, p => p.Axis);
        var flatOffsets = FlatOffsets(FlatInput.Runs(checkpoint.Shape, checkpoint.Options), FlatInput.Runs(shape, options));

        using var scope = TorchRuntime.NewDisposeScope();
        using var _ = TorchRuntime.NoGrad();
        foreach (var (name, value) in checkpoint.Weights)
        {
            if (network.IsHead(name)) continue;
            if (buffers.TryGetValue(name, out var buffer))
            {
                if (buffer.Shape.AsSpan().SequenceEqual(value.Shape)) buffer.CopyFrom(value);
                continue;
            }
            if (!parameters.TryGetValue(name, out var parameter))
                throw Differs(trainer, checkpoint, $"its network has the parameter '{name}', which this trainer's network does not");
            if (parameter.Shape.AsSpan().SequenceEqual(value.Shape)) parameter.CopyFrom(value);
            else if (flatAxes.TryGetValue(name, out var axis) && SameExcept(parameter.Shape, value.Shape, axis))
                foreach (var (from, to, width) in flatOffsets)
                    parameter.Narrow(axis, to, width).CopyFrom(value.Narrow(axis, from, width));
            else if (network.IsPerFeature(name) && GrewAlongFirstAxis(parameter.Shape, value.Shape))
                parameter.Narrow(0, 0, value.Shape[0]).CopyFrom(value);
            else
                throw Differs(trainer, checkpoint, $"'{name}' is {ShapeText(value.Shape)} there and {ShapeText(parameter.Shape)} here");
        }
        var absent = parameters.Keys.Where(n => !network.IsHead(n) && !checkpoint.Weights.ContainsKey(n)).ToList();
        if (absent.Count > 0) throw Differs(trainer, checkpoint, $"this trainer's network has {string.Join(", ", absent.Take(5).Select(n => $"'{n}'"))}, which the checkpoint's does not");
        foreach (var (name, parameter) in parameters)
            if (network.IsHead(name)) parameter.MulInPlace(0.0);
    }

    /// <summary>For each run of the checkpoint's flat input: its offset there, its offset in the new network's, and its width.</summary>
    private static List<(long From, long To, long Width)> FlatOffsets((string Part, int Rank, int Width)[] checkpoint, (string Part, int Rank, int Width)[] network)
    {
        var offsets = new Dictionary<(string, int), long>();
        long at = 0;
        foreach (var run in network)
        {
            offsets[(run.Part, run.Rank)] = at;
            at += run.Width;
        }
        var result = new List<(long, long, long)>();
        at = 0;
        foreach (var run in checkpoint)
        {
            if (offsets.TryGetValue((run.Part, run.Rank), out var to)) result.Add((at, to, run.Width));
            at += run.Width;
        }
        return result;
    }

    private static bool SameExcept(long[] a, long[] b, int axis) =>
        a.Length == b.Length && Enumerable.Range(0, a.Length).All(i => i == axis || a[i] == b[i]);

    /// <summary>Whether the network's parameter has more entries than the checkpoint's along the first axis, and the same shape otherwise.</summary>
    private static bool GrewAlongFirstAxis(long[] network, long[] checkpoint) =>
        network.Length == checkpoint.Length && network[0] > checkpoint[0] && network.AsSpan(1).SequenceEqual(checkpoint.AsSpan(1));

    private static string ShapeText(long[] shape) => $"[{string.Join(", ", shape)}]";

    private static DataValidationException Differs(string trainer, PretrainedCheckpoint checkpoint, string detail) =>
        new($"{trainer} cannot fine-tune the checkpoint: its {checkpoint.Options.Name} network differs from this trainer's ({detail}); " +
            "give the trainer the architecture options the checkpoint was trained with");
}
