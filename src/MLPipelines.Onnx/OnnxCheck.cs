using MLPipelines.Onnx.Protobuf;

namespace MLPipelines.Onnx;

/// <summary>
/// The structural check an exported graph passes before it is written (what ONNX's checker
/// checks of a graph's wiring): every value is defined once, every node reads only values
/// defined before it (graph inputs, constants, earlier nodes' outputs), and every graph output
/// is defined.
/// </summary>
public static class OnnxCheck
{
    /// <summary>Throws <see cref="InvalidOperationException"/> naming the first problem.</summary>
    public static void Graph(GraphProto graph)
    {
        var defined = new HashSet<string>(StringComparer.Ordinal);
        void Define(string name, string what)
        {
            if (string.IsNullOrEmpty(name)) throw new InvalidOperationException($"the graph '{graph.Name}' has {what} without a name");
            if (!defined.Add(name)) throw new InvalidOperationException($"the graph '{graph.Name}' defines '{name}' twice ({what})");
        }
        foreach (var input in graph.Input) Define(input.Name, "an input");
        foreach (var constant in graph.Initializer) Define(constant.Name, "a constant");
        foreach (var node in graph.Node)
        {
            foreach (var input in node.Input)
                if (input.Length > 0 && !defined.Contains(input))
                    throw new InvalidOperationException($"node '{node.Name}' ({node.OpType}) reads '{input}', which nothing before it defines");
            foreach (var output in node.Output) Define(output, $"an output of node '{node.Name}'");
        }
        foreach (var output in graph.Output)
            if (!defined.Contains(output.Name)) throw new InvalidOperationException($"the graph's output '{output.Name}' is not defined by any node");
    }
}
