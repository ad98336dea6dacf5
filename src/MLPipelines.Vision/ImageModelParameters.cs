using MLPipelines.Deep.Training;
using MLPipelines.ModelFiles;
using MLPipelines.Onnx;
using MLPipelines.Torch;
using MLPipelines.Torch.NN;
using MLPipelines.Trainers;
using MLPipelines.Vision.Networks;
using MLPipelines.Vision.Options;

namespace MLPipelines.Vision;

/// <summary>
/// A trained image classifier: predicts class probabilities of pixel vectors in batches, exports to ONNX,
/// and saves its options, shapes and weights into the model file, from which the same network is rebuilt
/// (without the pretrained file) and predicts bit-identically.
/// </summary>
public sealed class ImageModelParameters : TabularModelParameters, ILoadableModel<ImageModelParameters>, IEpochTrainedModel
{
    /// <summary>How training went.</summary>
    public sealed record Summary(int Epochs, int BestEpoch, double? BestValidationLogLoss, TimeSpan TrainingTime, string StoppedBy)
    {
        /// <summary>The epochs the schedule had (<see cref="ImageClassificationOptions.Epochs"/>, or more for <see cref="ImageClassificationOptions.MinimumSteps"/>).</summary>
        public int ScheduledEpochs { get; init; }
    }

    private sealed record State(ImageClassificationOptions Options, ImageShape Input, int Size, bool ReverseChannels, int[]? BlocksPerStage, Summary Info);

    private const string StateFile = "image.json";
    private const string WeightsFile = "weights.state";

    private readonly ImageNetwork _network;

    internal ImageModelParameters(ModelDescription description, ImageNetwork network, ImageClassificationOptions options, Summary info)
        : base(description)
    {
        (_network, Options, Info) = (network, options, info);
        _network.Eval();
    }

    public ImageClassificationOptions Options { get; }

    public Summary Info { get; }

    int IEpochTrainedModel.EpochsTrained => Info.Epochs;

    int IEpochTrainedModel.BestEpoch => Info.BestEpoch;

    string IEpochTrainedModel.StoppedBy => Info.StoppedBy;

    /// <summary>Image networks train in float32.</summary>
    bool IEpochTrainedModel.MixedPrecision => false;

    int IEpochTrainedModel.EpochsToConverge
    {
        get
        {
            // Files saved before the schedule was recorded: the option is its lower bound.
            var scheduled = Math.Max(Info.ScheduledEpochs, Options.Epochs);
            var stopsEarly = Info.BestValidationLogLoss is not null && Options.EarlyStoppingPatience is not null;
            return stopsEarly ? Math.Min(scheduled, Math.Max(Info.Epochs, Info.BestEpoch + Options.EarlyStoppingPatience!.Value)) : scheduled;
        }
    }

    /// <summary>The trained network, from pixel vectors to logits.</summary>
    public ImageNetwork Network => _network;

    /// <summary>Images per forward pass.</summary>
    public override int BatchSize => 256;

    public override void Predict(FeatureMatrix rows, Span<float> outputs)
    {
        float[] probabilities;
        using (TorchRuntime.FlushDenormals())
        using (TorchRuntime.NewDisposeScope())
        using (TorchRuntime.NoGrad())
        {
            var pixels = Tensors.FromSpan<float>(rows.UsedValues, [rows.Rows, rows.Width], Device.CPU);
            var parts = new List<Tensor>();
            for (long start = 0; start < rows.Rows; start += BatchSize)
                parts.Add(_network.Forward(pixels.Narrow(0, start, Math.Min(BatchSize, rows.Rows - start))).Softmax(1));
            probabilities = Tensor.Cat(parts, 0).ToArray<float>();
        }
        probabilities.CopyTo(outputs);
    }

    /// <summary><see cref="Predict"/> as ONNX nodes: the network's evaluation-mode forward pass and a softmax.</summary>
    public override string WriteOnnx(OnnxGraph graph, string matrix, string? indices)
    {
        using var _ = graph.Scope("image");
        return graph.Node("Softmax", [_network.WriteOnnx(graph, matrix)], Attributes.Int("axis", 1));
    }

    public override void Save(ModelWriter writer)
    {
        var blocks = _network.Classifier is ResNet resnet ? resnet.BlocksPerStage.ToArray() : null;
        writer.WriteJson(StateFile, new State(Options, _network.Input, _network.Size, _network.ReverseChannels, blocks, Info));
        using var state = _network.StateDict();
        writer.Write(WeightsFile, state.Save);
    }

    public static ImageModelParameters Load(ModelReader reader, ModelDescription description)
    {
        var state = reader.ReadJson<State>(StateFile);
        var classes = description.ClassNames.Length;
        ImageNetwork network;
        try
        {
            ImageClassifier classifier = state.Options.Architecture == ImageArchitecture.SmallCnn
                ? new SmallCnn(classes, state.Input.Channels)
                : new ResNet(classes, state.BlocksPerStage, state.Options.Architecture == ImageArchitecture.ResNet18 ? state.Input.Channels : 3);
            // The normalization is in the weights file (the network's buffers): placeholders until it is loaded.
            var placeholder = Enumerable.Repeat(1f, classifier.InputChannels).ToArray();
            network = new ImageNetwork(state.Input, state.Size, state.ReverseChannels, classifier, placeholder, placeholder);
        }
        catch (Exception e) when (ModelFileException.IsMissingNativeLibrary(e, out var message))
        {
            throw new ModelFileException(reader.Source, $"the image model cannot be rebuilt without its native libraries: {message}", e);
        }
        try
        {
            using var weights = reader.Read(WeightsFile, stream => StateDict.Load(stream));
            network.LoadStateDict(weights);
            return new ImageModelParameters(description, network, state.Options, state.Info);
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException)
        {
            network.Dispose();
            throw new ModelFileException(reader.Source, $"the image model's weights do not fit its network: {e.Message}", e);
        }
    }

    public override void Dispose()
    {
        _network.Dispose();
        base.Dispose();
    }
}
