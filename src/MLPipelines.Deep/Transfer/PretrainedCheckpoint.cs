using System.IO.Compression;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Deep.Networks;
using MLPipelines.Deep.Options;
using MLPipelines.ModelFiles;
using MLPipelines.Torch.NN;
using MLPipelines.Trainers;
using MLPipelines.Transforms.Scaling;

namespace MLPipelines.Deep.Transfer;

/// <summary>
/// A pretrained network for fine-tuning: the architecture's options and shape, the name and kind
/// of every input column (the column map fine-tuning matches by name), the numeric scalers fitted
/// on the pretraining rows, what it was pretrained on, and the weights. The body is everything but
/// the head, which fine-tuning replaces. Written by supervised training (any saved deep model is
/// one: <see cref="Load"/> reads model files too) and by <see cref="SelfSupervisedPretrainer"/>.
/// A checkpoint file is a zip of <c>checkpoint.json</c> and <c>weights.state</c>, written to a
/// temporary file and renamed into place.
/// </summary>
public sealed class PretrainedCheckpoint : IDisposable
{
    private const string StateEntry = "checkpoint.json";
    private const string WeightsEntry = "weights.state";
    private const int FormatVersion = 1;

    /// <summary>What the JSON entry holds.</summary>
    private sealed record State(int Format, string Objective, DeepModelOptions Options, NetworkShape Shape, NetworkColumn[] Columns,
        NetworkIndexColumn[] Indices, NumericScaler?[] Scalers);

    public PretrainedCheckpoint(string objective, DeepModelOptions options, NetworkShape shape, NetworkColumn[] columns, NetworkIndexColumn[] indices,
        NumericScaler?[] scalers, StateDict weights)
    {
        if (columns.Length != shape.FeatureCount || scalers.Length != columns.Length || indices.Length != shape.CategoricalCardinalities.Length)
            throw new ArgumentException($"a checkpoint needs one name and scaler per network column ({shape.FeatureCount}) and one name per index column ({shape.CategoricalCardinalities.Length})");
        Objective = objective;
        Options = options;
        Shape = shape;
        Columns = columns;
        Indices = indices;
        Scalers = scalers;
        Weights = weights;
    }

    /// <summary>What the network learned to predict, in words ("supervised: regression of price", "masked-feature reconstruction of 9 columns").</summary>
    public string Objective { get; }

    /// <summary>The options the network was built and pretrained with.</summary>
    public DeepModelOptions Options { get; }

    public NetworkShape Shape { get; }

    public NetworkColumn[] Columns { get; }

    public NetworkIndexColumn[] Indices { get; }

    /// <summary>The numeric scaler of each network column, fitted on the pretraining rows (null: left as it is).</summary>
    public NumericScaler?[] Scalers { get; }

    /// <summary>Every parameter and buffer of the pretrained network, head included.</summary>
    public StateDict Weights { get; }

    /// <summary>The checkpoint of a trained deep model (its network, scalers and input columns; the weights are copied).</summary>
    public static PretrainedCheckpoint From(DeepModelParameters model)
    {
        if (model.Network is BaggedNetwork)
            throw new ArgumentException($"the {model.Options.Name} is bagged ({model.Options.BaggingFolds} networks, BaggingFolds = {model.Options.BaggingFolds}); " +
                "a checkpoint holds one network: train the model to fine-tune from with BaggingFolds = 1");
        var columns = model.NetworkColumns;
        var objective = model.Task switch
        {
            PredictionTask.Regression => "supervised regression",
            PredictionTask.BinaryClassification => "supervised binary classification",
            _ => $"supervised classification of {model.Description.ClassNames.Length} classes",
        };
        return new PretrainedCheckpoint(objective, model.Options, model.Shape, columns.Columns, columns.Indices, model.InputScalers.ToArray(), model.Network.StateDict());
    }

    /// <summary>Writes the checkpoint to <paramref name="path"/> (through a temporary file: a failed write leaves nothing).</summary>
    public void Save(string path)
    {
        var partial = path + ".partial";
        try
        {
            using (var zip = ZipFile.Open(partial, ZipArchiveMode.Create))
            {
                using (var stream = zip.CreateEntry(StateEntry).Open())
                    JsonSerializer.Serialize(stream, new State(FormatVersion, Objective, Options, Shape, Columns, Indices, Scalers), ModelJson.Options);
                using (var stream = zip.CreateEntry(WeightsEntry, CompressionLevel.NoCompression).Open()) Weights.Save(stream);
            }
            File.Move(partial, path, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>
    /// Reads a checkpoint written by <see cref="Save"/>, or the deep model inside a model file
    /// written by <c>ml.Model.Save</c> (the last one, when there are several).
    /// </summary>
    public static PretrainedCheckpoint Load(string path)
    {
        if (!File.Exists(path)) throw new ModelFileException(path, "the pretrained checkpoint does not exist");
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new ModelFileException(path, "is neither a pretrained checkpoint nor a model file (not a zip)", e);
        }
        using (zip)
        {
            if (zip.GetEntry(StateEntry) is { } stateEntry) return Read(path, zip, stateEntry);
        }
        return FromModelFile(path);
    }

    private static PretrainedCheckpoint Read(string path, ZipArchive zip, ZipArchiveEntry stateEntry)
    {
        State state;
        try
        {
            using var stream = stateEntry.Open();
            state = JsonSerializer.Deserialize<State>(stream, ModelJson.Options) ?? throw new JsonException("the entry holds null");
        }
        catch (JsonException e)
        {
            throw new ModelFileException(path, $"the checkpoint's {StateEntry} cannot be read: {e.Message}", e);
        }
        if (state.Format != FormatVersion)
            throw new ModelFileException(path, $"the checkpoint is in format {state.Format}; this version reads format {FormatVersion}");
        if (zip.GetEntry(WeightsEntry) is not { } weightsEntry) throw new ModelFileException(path, $"the checkpoint has no {WeightsEntry}");
        StateDict weights;
        try
        {
            using var stream = weightsEntry.Open();
            weights = StateDict.Load(stream);
        }
        catch (InvalidDataException e)
        {
            throw new ModelFileException(path, $"the checkpoint's weights cannot be read: {e.Message}", e);
        }
        try
        {
            return new PretrainedCheckpoint(state.Objective, state.Options, state.Shape, state.Columns, state.Indices, state.Scalers, weights);
        }
        catch (ArgumentException e)
        {
            weights.Dispose();
            throw new ModelFileException(path, $"the checkpoint is inconsistent: {e.Message}", e);
        }
    }

    private static PretrainedCheckpoint FromModelFile(string path)
    {
        ITransformer model;
        try
        {
            model = new MLContext().Model.Load(path, out _);
        }
        catch (Exception e)
        {
            throw new ModelFileException(path, $"is neither a pretrained checkpoint nor a readable model file: {e.GetBaseException().Message}", e);
        }
        try
        {
            var stages = model is TransformerChain<ITransformer> chain ? chain.ToList() : [model];
            var deep = stages.OfType<ITabularPredictionTransformer>().Select(t => t.Model).OfType<DeepModelParameters>().LastOrDefault()
                ?? throw new ModelFileException(path, $"the model file holds no deep model to fine-tune (its stages: {string.Join(", ", stages.Select(s => s.GetType().Name))})");
            return From(deep);
        }
        catch (ArgumentException e)
        {
            throw new ModelFileException(path, $"holds a deep model that cannot be fine-tuned: {e.Message}", e);
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }

    public void Dispose() => Weights.Dispose();
}
