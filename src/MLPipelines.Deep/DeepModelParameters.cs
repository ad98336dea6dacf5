using MLPipelines.Data;
using MLPipelines.Deep.Networks;
using MLPipelines.Deep.Options;
using MLPipelines.Deep.Transfer;
using MLPipelines.Deep.Training;
using MLPipelines.ModelFiles;
using MLPipelines.Onnx;
using MLPipelines.Onnx.Protobuf;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;
using MLPipelines.Trainers;
using MLPipelines.Transforms.Scaling;

namespace MLPipelines.Deep;

/// <summary>
/// A trained deep model: scales its numeric inputs as it was trained to, predicts batches of rows (regression values mapped back from the
/// standardized scale; for classification the members' mean probabilities, as a margin for
/// binary), and saves its options, network shape and weights into the model file, from which
/// the same network is rebuilt and predicts bit-identically.
/// </summary>
public sealed class DeepModelParameters : TabularModelParameters, ILoadableModel<DeepModelParameters>, IEpochTrainedModel
{
    /// <summary>What was trained, and how training went.</summary>
    public sealed record Summary(double TargetMean, double TargetStandardDeviation, int Epochs, int BestEpoch, string ValidationMetric,
        double? BestValidationValue, TimeSpan TrainingTime, string StoppedBy)
    {
        /// <summary>Training steps (batches) taken; the last epoch may be partial when the time limit ended it.</summary>
        public long Steps { get; init; }

        /// <summary>Regression predictions are clamped to [minimum, maximum] when both are set (the training targets' range).</summary>
        public double? TargetMinimum { get; init; }

        public double? TargetMaximum { get; init; }

        /// <summary>Whether the training forward passes ran in bfloat16 autocast (<see cref="DeepModelOptions.MixedPrecision"/>).</summary>
        public bool MixedPrecision { get; init; }

        /// <summary>
        /// With <see cref="DeepModelOptions.BaggingFolds"/> ≥ 2, each bag's epochs and best epoch (null for one network); the
        /// summary's own <see cref="Epochs"/>, steps and time are then the bags' sums, its best epoch and value their means.
        /// </summary>
        public int[]? BagEpochs { get; init; }

        public int[]? BagBestEpochs { get; init; }
    }

    /// <summary>Map: how the features become the network's columns when it was fine-tuned from a checkpoint with other columns (null: they are the same).</summary>
    private sealed record State(DeepModelOptions Options, NetworkShape Shape, NumericScaler?[] Scalers, Summary Info, InputMap? Map = null);

    private const string StateFile = "deep.json";
    private const string WeightsFile = "weights.state";

    private readonly TabularNetwork _network;
    private readonly NumericScaler?[] _scalers;
    private readonly InputMap? _map;
    private readonly Device _device;

    internal DeepModelParameters(ModelDescription description, TabularNetwork network, DeepModelOptions options, NetworkShape shape, NumericScaler?[] scalers, Summary info,
        InputMap? map = null)
        : base(description)
    {
        _network = network;
        _scalers = scalers;
        _map = map;
        Options = options;
        Shape = shape;
        Info = info;
        _device = ResolveDevice(options.Device);
        _network.Eval();
    }

    public DeepModelOptions Options { get; }

    public NetworkShape Shape { get; }

    public Summary Info { get; }

    int IEpochTrainedModel.EpochsTrained => Info.Epochs;

    int IEpochTrainedModel.BestEpoch => Info.BestEpoch;

    string IEpochTrainedModel.StoppedBy => Info.StoppedBy;

    bool IEpochTrainedModel.MixedPrecision => Info.MixedPrecision;

    /// <summary>For bags, the sum of each bag's (to set beside the bags' summed epochs).</summary>
    int IEpochTrainedModel.EpochsToConverge => Info is { BagEpochs: { } epochs, BagBestEpochs: { } best }
        ? epochs.Zip(best).Sum(bag => EpochsToConverge(bag.First, bag.Second))
        : EpochsToConverge(Info.Epochs, Info.BestEpoch);

    private int EpochsToConverge(int epochs, int bestEpoch) =>
        Options.StoppingEpoch(bestEpoch) is { } stoppingEpoch ? Math.Min(Options.MaxEpochs, Math.Max(epochs, stoppingEpoch)) : Options.MaxEpochs;

    /// <summary>The scaler of each network input column, fitted on the training rows or taken from the checkpoint (null: left as it is).</summary>
    public IReadOnlyList<NumericScaler?> InputScalers => _scalers;

    /// <summary>How the features became the network's columns when it was fine-tuned from a checkpoint with other columns; null when they are the same.</summary>
    public InputMap? InputMap => _map;

    /// <summary>The network's input columns: the feature layout's, or the checkpoint's and the new ones (<see cref="InputMap"/>).</summary>
    public (NetworkColumn[] Columns, NetworkIndexColumn[] Indices) NetworkColumns => _map is { } map
        ? (map.Columns, map.Indices)
        : (Layout.Columns.Select((c, i) => new NetworkColumn(c.Name, Shape.FeatureKinds[i])).ToArray(),
           Layout.Indices.Select(c => new NetworkIndexColumn(c.Name, c.Cardinality)).ToArray());

    /// <summary>The trained network (for fine-tuning, inspection or exporting its state dictionary).</summary>
    public TabularNetwork Network => _network;

    /// <summary>Rows per call of <see cref="Predict"/>: large enough that libtorch's matrix work dominates its per-call overhead.</summary>
    public override int BatchSize => 4096;

    public override void Predict(FeatureMatrix rows, Span<float> outputs)
    {
        var classification = Task != PredictionTask.Regression;
        double[] values;
        using (TorchRuntime.FlushDenormals())   // as in training: the same arithmetic, and no slow path
        using (rows.Rows >= _network.PredictionRowsPerPass ? ThreadSplitScope.ForPrediction(Options) : null)   // not worth switching for a few rows
        using (TorchRuntime.NewDisposeScope())
        {
            var (x, categories) = InputTensors(InputScaling.Apply(_map?.Apply(rows) ?? rows, _scalers), null, _device);
            var prediction = PredictInBatches(_network, x, categories, classification);
            values = prediction.To(DType.Float64, Device.CPU).ToArray<double>();
        }
        switch (Task)
        {
            case PredictionTask.Regression:
                var (low, high) = (Info.TargetMinimum ?? double.NegativeInfinity, Info.TargetMaximum ?? double.PositiveInfinity);
                for (var i = 0; i < rows.Rows; i++) outputs[i] = (float)Math.Clamp(values[i] * Info.TargetStandardDeviation + Info.TargetMean, low, high);
                break;
            case PredictionTask.BinaryClassification:
                // ML.NET's binary score is a margin: the log-odds of the members' mean probability.
                for (var i = 0; i < rows.Rows; i++) outputs[i] = (float)Math.Log(values[2 * i + 1] / values[2 * i]);
                break;
            default:
                for (var i = 0; i < values.Length; i++) outputs[i] = (float)values[i];
                break;
        }
    }

    /// <summary>
    /// <see cref="Predict"/> as ONNX nodes: the input scalers (finite values only), the network's
    /// evaluation-mode forward pass, the members' mean (of probabilities for classification), then
    /// in float64 as Predict does: the target's scale and clamp, or the binary log-odds.
    /// </summary>
    public override string WriteOnnx(OnnxGraph graph, string matrix, string? indices)
    {
        using var _ = graph.Scope("deep");
        if (_map is not null) (matrix, indices) = _map.WriteOnnx(graph, matrix, indices);
        var x = ScaleInputsOnnx(graph, matrix);
        var output = _network.WriteOnnx(graph, x, indices);   // [N, k, outputs]
        const TensorProto.Types.DataType float64 = TensorProto.Types.DataType.Double, float32 = TensorProto.Types.DataType.Float;
        switch (Task)
        {
            case PredictionTask.Regression:
                var value = graph.Cast(graph.ReduceMean(graph.Squeeze(output, -1), 1, keepDims: true), float64);
                value = graph.Add(graph.Mul(value, graph.Scalar(Info.TargetStandardDeviation)), graph.Scalar(Info.TargetMean));
                value = graph.Min(graph.Max(value, graph.Scalar(Info.TargetMinimum ?? double.NegativeInfinity)), graph.Scalar(Info.TargetMaximum ?? double.PositiveInfinity));
                return graph.Cast(value, float32);
            case PredictionTask.BinaryClassification:
                var probabilities = graph.Cast(graph.ReduceMean(graph.Softmax(output, -1), 1, keepDims: false), float64);
                var positive = graph.Columns(probabilities, [1]);
                var negative = graph.Columns(probabilities, [0]);
                return graph.Cast(graph.Log(graph.Div(positive, negative)), float32);
            default:
                return graph.ReduceMean(graph.Softmax(output, -1), 1, keepDims: false);
        }
    }

    /// <summary>
    /// <see cref="InputScaling.Apply"/> as ONNX nodes: the scaled columns in float64, then float32.
    /// Apply leaves non-finite values as they are; the featurizer's matrix holds none but NaN, which the scalers keep.
    /// </summary>
    private string ScaleInputsOnnx(OnnxGraph graph, string matrix)
    {
        if (_scalers.All(s => s is null)) return matrix;
        var scaled = NumericScaler.WriteOnnx(graph, graph.Cast(matrix, TensorProto.Types.DataType.Double), _scalers);
        return graph.Cast(scaled, TensorProto.Types.DataType.Float);
    }

    /// <summary>
    /// Evaluation-mode predictions: [N] standardized values, or [N, classes] probabilities (members' mean), in passes of
    /// the network's <see cref="TabularNetwork.PredictionRowsPerPass"/>.
    /// </summary>
    internal static Tensor PredictInBatches(TabularNetwork network, Tensor x, Tensor? categories, bool classification)
    {
        network.Eval();
        using var _ = TorchRuntime.NoGrad();
        var batch = network.PredictionRowsPerPass;
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
    internal static (Tensor X, Tensor? Categories) InputTensors(FeatureMatrix data, int[]? rows, Device device)
    {
        if (rows is not null) data = data.Select(rows);
        var count = data.Rows;
        var x = Tensors.FromSpan<float>(data.UsedValues, [count, data.Width], device);
        Tensor? categories = null;
        if (data.IndexWidth > 0)
        {
            var indices = new long[count * data.IndexWidth];
            for (var i = 0; i < indices.Length; i++) indices[i] = data.Indices[i];
            categories = Tensors.FromSpan<long>(indices, [count, data.IndexWidth], device);
        }
        return (x, categories);
    }

    /// <summary>"cpu", "cuda", "cuda:N", or null for CUDA when available and the CPU otherwise.</summary>
    public static Device ResolveDevice(string? device) => device is null ? TorchRuntime.DefaultDevice : Device.Parse(device);

    public override void Save(ModelWriter writer)
    {
        writer.WriteJson(StateFile, new State(Options, Shape, _scalers, Info, _map));
        using var state = _network.StateDict();
        writer.Write(WeightsFile, state.Save);
    }

    public static DeepModelParameters Load(ModelReader reader, ModelDescription description)
    {
        var state = reader.ReadJson<State>(StateFile);
        StateDict? weights = null;
        TabularNetwork? network = null;
        try
        {
            weights = reader.Read(WeightsFile, stream => StateDict.Load(stream));
            var options = WithTabMDesignOfOlderFiles(state.Options, weights);
            network = Recipes.CreateTrainedNetwork(options, state.Shape, description.Task != PredictionTask.Regression);
            network.LoadStateDict(weights);
            network.To(ResolveDevice(options.Device));
            return new DeepModelParameters(description, network, options, state.Shape, state.Scalers, state.Info, state.Map);
        }
        catch (Exception e) when (ModelFileException.IsMissingNativeLibrary(e, out var message))
        {
            throw new ModelFileException(reader.Source, $"the deep model cannot be rebuilt without its native libraries: {message}", e);
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException)
        {
            network?.Dispose();
            throw new ModelFileException(reader.Source, $"the deep model's weights do not fit its network: {e.Message}", e);
        }
        finally
        {
            weights?.Dispose();
        }
    }

    /// <summary>
    /// Files written before TabM-mini existed hold a full TabM and no <see cref="TabMOptions.Architecture"/>,
    /// which then reads as the default, Mini. The weights tell them apart: only the full design has an
    /// adapter inside its first block.
    /// </summary>
    private static DeepModelOptions WithTabMDesignOfOlderFiles(DeepModelOptions options, StateDict weights) =>
        options is TabMOptions { Architecture: TabMArchitecture.Mini } tabm && weights.ContainsKey(TabMNetwork.FullDesignAdapter)
            ? tabm with { Architecture = TabMArchitecture.Full }
            : options;

    public override void Dispose()
    {
        _network.Dispose();
        base.Dispose();
    }
}
