using MLPipelines.ModelFiles;

namespace MLPipelines.Pipelines;

/// <summary>A fitted step of a pipeline, seen without its types (what model files store and chains compose).</summary>
public interface IPipelineStage
{
    Type InputType { get; }

    Type OutputType { get; }

    object TransformUntyped(object input);
}

/// <summary>A fitted, immutable step: turns its input into its output and never changes either.</summary>
public interface ITransformer<in TInput, out TOutput> : IPipelineStage
{
    TOutput Transform(TInput input);

    Type IPipelineStage.InputType => typeof(TInput);

    Type IPipelineStage.OutputType => typeof(TOutput);

    object IPipelineStage.TransformUntyped(object input) => Transform((TInput)input)!;
}

/// <summary>A step to fit: learns from its input (without changing it) and returns a fitted transformer.</summary>
public interface IEstimator<in TInput, out TOutput>
{
    ITransformer<TInput, TOutput> Fit(TInput input);
}

/// <summary>A fitted step that can be written into a model file.</summary>
public interface ISaveableStage : IPipelineStage
{
    /// <summary>Writes the step's state; everything it writes is read back by its static Load.</summary>
    void Save(ModelWriter writer);
}

/// <summary>A fitted step that model files can read back: <c>T.Load(reader)</c> restores what Save wrote.</summary>
public interface ILoadableStage<TSelf> : ISaveableStage where TSelf : ILoadableStage<TSelf>
{
    static abstract TSelf Load(ModelReader reader);
}
