using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data.DataViews;
using MLPipelines.ModelFiles;
using MLPipelines.Trainers;

namespace MLPipelines.Ensembles;

/// <summary>
/// Models of any kind — each a whole pipeline from the raw columns to ML.NET's prediction
/// columns — whose predictions are averaged with fixed weights: what an AutoML experiment
/// ships when its verdict chooses an ensemble. It adds ML.NET's prediction columns for the
/// task (<see cref="EnsembleMapping"/> says how each is blended), so ML.NET's evaluators and
/// PredictionEngine read it like any single model, and <c>ml.Model.Save</c> writes it with
/// every member inside.
/// </summary>
public sealed class WeightedEnsembleTransformer : IModelFileTransformer, IDisposable
{
    private sealed record State(PredictionTask Task, double[] Weights);

    private const string StateFile = "ensemble.json";

    public WeightedEnsembleTransformer(PredictionTask task, IReadOnlyList<ITransformer> members, IReadOnlyList<double> weights)
    {
        if (members.Count == 0) throw new ArgumentException("an ensemble needs at least one member", nameof(members));
        if (members.Count != weights.Count) throw new ArgumentException($"{members.Count} members but {weights.Count} weights", nameof(weights));
        if (weights.Any(w => w < 0 || !double.IsFinite(w)) || Math.Abs(weights.Sum() - 1) > 1e-6)
            throw new ArgumentException($"the weights must be 0 or more and sum to 1, got {string.Join(", ", weights)}", nameof(weights));
        Task = task;
        Members = members;
        Weights = weights;
    }

    public PredictionTask Task { get; }

    public IReadOnlyList<ITransformer> Members { get; }

    public IReadOnlyList<double> Weights { get; }

    public bool IsRowToRowMapper => Members.All(m => m.IsRowToRowMapper);

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => MappedDataView.SchemaOf(inputSchema, Mapping(inputSchema));

    public IDataView Transform(IDataView input) => new MappedDataView(input, Mapping(input.Schema));

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new MappedRowMapper(inputSchema, Mapping(inputSchema));

    private EnsembleMapping Mapping(DataViewSchema input) => new(Task, Members, Weights, input);

    void ICanSaveModel.Save(ModelSaveContext context) => LoadableTransformer.Save(this, context);

    public void Save(ModelWriter writer)
    {
        writer.WriteJson(StateFile, new State(Task, Weights.ToArray()));
        for (var i = 0; i < Members.Count; i++) writer.WriteModel(MemberName(i), Members[i]);
    }

    /// <summary>Reads back what <see cref="Save(ModelWriter)"/> wrote.</summary>
    public static WeightedEnsembleTransformer Load(ModelReader reader)
    {
        var state = reader.ReadJson<State>(StateFile);
        var members = Enumerable.Range(0, state.Weights.Length).Select(i => reader.ReadModel(MemberName(i))).ToList();
        return new WeightedEnsembleTransformer(state.Task, members, state.Weights);
    }

    private static string MemberName(int index) => $"Member_{index:000}";

    public void Dispose()
    {
        foreach (var member in Members) Dispose(member);
    }

    private static void Dispose(ITransformer transformer)
    {
        if (transformer is IEnumerable<ITransformer> chain)
            foreach (var step in chain) Dispose(step);
        (transformer as IDisposable)?.Dispose();
    }
}
