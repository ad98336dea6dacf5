using MLPipelines.Data;
using MLPipelines.Onnx;
using MLPipelines.Onnx.Protobuf;
using MLPipelines.Trainers;

namespace MLPipelines.Deep.Transfer;

/// <summary>A column of a network's input matrix: its feature slot's name and kind.</summary>
public sealed record NetworkColumn(string Name, FeatureKind Kind);

/// <summary>A categorical index column of a network's input (embedded): its name and its levels plus "none".</summary>
public sealed record NetworkIndexColumn(string Name, int Cardinality);

/// <summary>
/// How a fit's feature matrix becomes the input of a network pretrained on other columns,
/// matched by slot name: the checkpoint's columns first, in its order (a column the fit lacks is
/// imputed with 0, the centre of the scaled values and "absent" for flags and one-hot levels),
/// then the fit's columns the checkpoint lacks (they get fresh input weights). A numeric column
/// may be a flag on one side (only 0 and 1 in those rows); any other change of kind, and a
/// categorical index column with another number of levels, is an error. Plain data: saved with
/// the model and applied to every row it predicts.
/// </summary>
public sealed record InputMap(NetworkColumn[] Columns, int[] Sources, NetworkIndexColumn[] Indices, int[] IndexSources)
{
    /// <summary>Matches <paramref name="target"/>'s columns to the checkpoint's; <paramref name="trainer"/> names the trainer in errors.</summary>
    public static InputMap Match(NetworkColumn[] checkpoint, NetworkIndexColumn[] checkpointIndices, FeatureLayout target, string trainer)
    {
        var targetColumns = target.Columns.Select(c => c.Name).ToArray();
        RequireUnique(targetColumns.Concat(target.Indices.Select(i => i.Name)), "this fit's feature slots", trainer);
        RequireUnique(checkpoint.Select(c => c.Name).Concat(checkpointIndices.Select(i => i.Name)), "the checkpoint's columns", trainer);
        var byName = targetColumns.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var indexByName = target.Indices.Select((c, i) => (c.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);

        var columns = new List<NetworkColumn>();
        var sources = new List<int>();
        foreach (var column in checkpoint)
        {
            if (indexByName.ContainsKey(column.Name))
                throw Retyped(trainer, column.Name, Describe(column.Kind), "an embedded category");
            var source = byName.GetValueOrDefault(column.Name, -1);
            if (source >= 0 && !Compatible(column.Kind, target.Columns[source].Kind))
                throw Retyped(trainer, column.Name, Describe(column.Kind), Describe(target.Columns[source].Kind));
            columns.Add(column);
            sources.Add(source);
        }
        var indices = new List<NetworkIndexColumn>();
        var indexSources = new List<int>();
        foreach (var index in checkpointIndices)
        {
            if (byName.ContainsKey(index.Name)) throw Retyped(trainer, index.Name, "an embedded category", Describe(target.Columns[byName[index.Name]].Kind));
            var source = indexByName.GetValueOrDefault(index.Name, -1);
            if (source >= 0 && target.Indices[source].Cardinality != index.Cardinality)
                throw new DataValidationException($"{trainer} cannot fine-tune the checkpoint: its category '{index.Name}' has {index.Cardinality - 1} levels, " +
                                                  $"here it has {target.Indices[source].Cardinality - 1}; the levels' embeddings cannot be matched: give both tables the same levels, or leave the column out");
            indices.Add(index);
            indexSources.Add(source);
        }
        if (sources.All(s => s < 0) && indexSources.All(s => s < 0))
            throw new DataValidationException($"{trainer} cannot fine-tune the checkpoint: none of its {checkpoint.Length + checkpointIndices.Length} columns " +
                                              $"({Preview(checkpoint.Select(c => c.Name).Concat(checkpointIndices.Select(i => i.Name)))}) is among this fit's feature slots ({Preview(targetColumns)})");

        var matched = sources.Where(s => s >= 0).ToHashSet();
        for (var i = 0; i < target.Columns.Length; i++)
            if (!matched.Contains(i))
            {
                columns.Add(new NetworkColumn(target.Columns[i].Name, target.Columns[i].Kind));
                sources.Add(i);
            }
        var matchedIndices = indexSources.Where(s => s >= 0).ToHashSet();
        for (var i = 0; i < target.Indices.Length; i++)
            if (!matchedIndices.Contains(i))
            {
                indices.Add(new NetworkIndexColumn(target.Indices[i].Name, target.Indices[i].Cardinality));
                indexSources.Add(i);
            }
        return new InputMap(columns.ToArray(), sources.ToArray(), indices.ToArray(), indexSources.ToArray());
    }

    /// <summary>The checkpoint's columns this fit lacks (imputed).</summary>
    public IEnumerable<string> Imputed => Columns.Where((_, i) => Sources[i] < 0).Select(c => c.Name)
        .Concat(Indices.Where((_, i) => IndexSources[i] < 0).Select(c => c.Name));

    /// <summary>The network's columns as a layout (its slots are the network's columns; nothing reads vectors through it).</summary>
    public FeatureLayout NetworkLayout =>
        new(Columns.Length, Columns.Select((c, i) => new LayoutColumn(c.Name, c.Kind, i, i)).ToArray(),
            Indices.Select(c => new LayoutIndex(c.Name, 0, c.Cardinality - 2)).ToArray());

    /// <summary>The rows as the network takes them: matched columns copied, imputed ones 0 (index 0: none).</summary>
    public FeatureMatrix Apply(FeatureMatrix rows)
    {
        var layout = NetworkLayout;
        var mapped = new FeatureMatrix(layout, rows.Rows) { Rows = rows.Rows };
        for (var row = 0; row < rows.Rows; row++)
        {
            var from = rows.Row(row);
            var to = mapped.Values.AsSpan(row * Columns.Length, Columns.Length);
            for (var j = 0; j < Sources.Length; j++) to[j] = Sources[j] >= 0 ? from[Sources[j]] : 0f;
            var fromIndices = rows.IndexRow(row);
            var toIndices = mapped.Indices.AsSpan(row * Indices.Length, Indices.Length);
            for (var j = 0; j < IndexSources.Length; j++) toIndices[j] = IndexSources[j] >= 0 ? fromIndices[IndexSources[j]] : 0;
        }
        return mapped;
    }

    /// <summary><see cref="Apply"/> as ONNX nodes: the features [N, F] (float32) and indices [N, C] (int64, or null) to the network's.</summary>
    public (string Features, string? Indices) WriteOnnx(OnnxGraph graph, string features, string? indices)
    {
        using var _ = graph.Scope("input_map");
        // Imputed columns read an appended column of zeros.
        var width = Sources.Max() + 1;
        var withZero = graph.Concat([features, graph.RepeatRows([0f], features)], axis: 1);
        var mapped = graph.Columns(withZero, Sources.Select(s => (long)(s >= 0 ? s : width)).ToArray());
        if (Indices.Length == 0) return (mapped, null);
        var indexWidth = IndexSources.Max() + 1;
        var zeros = graph.Cast(graph.RepeatRows([0f], features), TensorProto.Types.DataType.Int64);
        var withNone = indices is null ? zeros : graph.Concat([indices, zeros], axis: 1);
        return (mapped, graph.Columns(withNone, IndexSources.Select(s => (long)(s >= 0 ? s : indices is null ? 0 : indexWidth)).ToArray()));
    }

    /// <summary>A number may be a flag (0/1 in the rows at hand) on one side; other kinds must agree.</summary>
    private static bool Compatible(FeatureKind checkpoint, FeatureKind target) =>
        checkpoint == target || (checkpoint is FeatureKind.Numeric or FeatureKind.Binary && target is FeatureKind.Numeric or FeatureKind.Binary);

    private static string Describe(FeatureKind kind) => kind switch
    {
        FeatureKind.Numeric or FeatureKind.Binary => "a number",
        FeatureKind.OneHot => "a one-hot level",
        _ => "a category code",
    };

    private static DataValidationException Retyped(string trainer, string name, string was, string now) =>
        new($"{trainer} cannot fine-tune the checkpoint: its column '{name}' is {was}, here it is {now}; give the column the type it had when pretraining, or rename one of them");

    private static void RequireUnique(IEnumerable<string> names, string what, string trainer)
    {
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new DataValidationException($"{trainer} matches a checkpoint's columns by name, but '{duplicate.Key}' names more than one of {what}: give the slots distinct names");
    }

    private static string Preview(IEnumerable<string> names)
    {
        var list = names.ToList();
        return string.Join(", ", list.Take(8).Select(n => $"'{n}'")) + (list.Count > 8 ? $", … ({list.Count} in all)" : "");
    }
}
