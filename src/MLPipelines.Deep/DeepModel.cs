using MLPipelines.Data;
using MLPipelines.Deep.Networks;
using MLPipelines.Deep.Options;
using MLPipelines.Deep.Training;
using MLPipelines.ModelFiles;
using MLPipelines.Pipelines;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;
using MLPipelines.Trainers;
using MLPipelines.Transforms;

namespace MLPipelines.Deep;

/// <summary>
/// A fitted deep model in a pipeline: predicts featurized rows (regression values mapped back
/// from the standardized scale; class probabilities averaged over ensemble members), and saves
/// its options, network shape and weights into the model file, from which the same network is
/// rebuilt and predicts bit-identically.
/// </summary>
public sealed class DeepModel : ITransformer<FeaturizedData, DataTable>, ILoadableStage<DeepModel>, IDisposable
{
    /// <summary>What was trained, and how training went.</summary>
    public sealed record Summary(PredictionTask Task, string[] ClassNames, string[] FeatureNames, double TargetMean, double TargetStandardDeviation,
        int Epochs, int BestEpoch, string ValidationMetric, double? BestValidationValue, TimeSpan TrainingTime, string StoppedBy);

    private sealed record State(DeepModelOptions Options, NetworkShape Shape, Summary Info);

    private const string StateFile = "deep.json";
    private const string WeightsFile = "weights.state";
    private const int PredictionBatch = 4096;

    private readonly TabularNetwork _network;
    private readonly Device _device;

    internal DeepModel(TabularNetwork network, DeepModelOptions options, NetworkShape shape, Summary info)
    {
        _network = network;
        Options = options;
        Shape = shape;
        Info = info;
        _device = ResolveDevice(options.Device);
        _network.Eval();
    }

    public DeepModelOptions Options { get; }

    public NetworkShape Shape { get; }

    public Summary Info { get; }

    /// <summary>The trained network (for fine-tuning, inspection or exporting its state dictionary).</summary>
    public TabularNetwork Network => _network;

    public DataTable Transform(FeaturizedData data)
    {
        if (!data.FeatureNames.SequenceEqual(Info.FeatureNames) || data.CategoricalColumns.Count != Shape.CategoricalCardinalities.Length)
            throw new DataValidationException($"the model was trained on {Info.FeatureNames.Length} features and {Shape.CategoricalCardinalities.Length} categorical index columns, but these rows have {data.FeatureCount} and {data.CategoricalColumns.Count}: featurize them with the pipeline's own featurizer");
        var classification = Info.Task != PredictionTask.Regression;
        double[] values;
        using (TorchRuntime.FlushDenormals())   // as in training: the same arithmetic, and no slow path
        using (TorchRuntime.NewDisposeScope())
        {
            var (x, categories) = InputTensors(data, null, _device);
            var prediction = data.RowCount == 0
                ? Tensors.Zeros(classification ? [0, Info.ClassNames.Length] : [0])
                : PredictInBatches(_network, x, categories, classification, PredictionBatch);
            values = prediction.To(DType.Float64, Device.CPU).ToArray<double>();
        }
        if (!classification)
            return PredictionColumns.Regression(data.Source, values.Select(v => v * Info.TargetStandardDeviation + Info.TargetMean).ToArray());
        return PredictionColumns.Classification(data.Source, Info.ClassNames, values);
    }

    /// <summary>Evaluation-mode predictions in batches: [N] standardized values, or [N, classes] probabilities (members' mean).</summary>
    internal static Tensor PredictInBatches(TabularNetwork network, Tensor x, Tensor? categories, bool classification, int batch)
    {
        network.Eval();
        using var _ = TorchRuntime.NoGrad();
        var parts = new List<Tensor>();
        for (long start = 0; start < x.Size(0); start += batch)
        {
            var length = Math.Min(batch, x.Size(0) - start);
            var output = network.Forward(new NetworkInput(x.Narrow(0, start, length), categories?.Narrow(0, start, length)));
            parts.Add(classification ? output.Softmax(-1).Mean(1) : output.Squeeze(-1).Mean(1));
        }
        return parts.Count == 1 ? parts[0] : Tensor.Cat(parts, 0);
    }

    /// <summary>The features [N, F] (float32) and categorical indices [N, C] (int64) of some rows (all when null), on a device.</summary>
    internal static (Tensor X, Tensor? Categories) InputTensors(FeaturizedData data, int[]? rows, Device device)
    {
        var features = data.Features;
        var indices = data.CategoricalIndices;
        var count = rows?.Length ?? data.RowCount;
        var columns = data.CategoricalColumns.Count;
        if (rows is not null)
        {
            features = new float[count * data.FeatureCount];
            indices = new int[count * columns];
            for (var i = 0; i < count; i++)
            {
                data.Row(rows[i]).CopyTo(features.AsSpan(i * data.FeatureCount, data.FeatureCount));
                data.CategoricalIndices.AsSpan(rows[i] * columns, columns).CopyTo(indices.AsSpan(i * columns, columns));
            }
        }
        var x = Tensors.FromSpan<float>(features, [count, data.FeatureCount], device);
        var categories = columns == 0 ? null : Tensors.FromSpan<long>(indices.Select(i => (long)i).ToArray(), [count, columns], device);
        return (x, categories);
    }

    /// <summary>"cpu", "cuda", "cuda:N", or null for CUDA when available and the CPU otherwise.</summary>
    public static Device ResolveDevice(string? device) => device is null ? TorchRuntime.DefaultDevice : Device.Parse(device);

    public void Save(ModelWriter writer)
    {
        writer.WriteJson(StateFile, new State(Options, Shape, Info));
        using var state = _network.StateDict();
        writer.Write(WeightsFile, state.Save);
    }

    public static DeepModel Load(ModelReader reader)
    {
        var state = reader.ReadJson<State>(StateFile);
        var network = Recipes.CreateNetwork(state.Options, state.Shape, state.Info.Task != PredictionTask.Regression);
        try
        {
            using var weights = reader.Read(WeightsFile, stream => StateDict.Load(stream));
            network.LoadStateDict(weights);
            network.To(ResolveDevice(state.Options.Device));
            return new DeepModel(network, state.Options, state.Shape, state.Info);
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException)
        {
            network.Dispose();
            throw new ModelFileException(reader.Source, $"the deep model's weights do not fit its network: {e.Message}", e);
        }
    }

    public void Dispose() => _network.Dispose();
}
