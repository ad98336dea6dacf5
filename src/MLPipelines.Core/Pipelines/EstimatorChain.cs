namespace MLPipelines.Pipelines;

/// <summary>
/// Estimators fitted one after another: each is fitted on the previous fitted steps' output
/// for the training input. Build with <see cref="PipelineExtensions.Append"/>.
/// </summary>
public sealed class EstimatorChain<TInput, TOutput> : IEstimator<TInput, TOutput>
{
    private readonly Func<TInput, TransformerChain<TInput, TOutput>> _fit;

    private EstimatorChain(Func<TInput, TransformerChain<TInput, TOutput>> fit) => _fit = fit;

    internal static EstimatorChain<TInput, TOutput> Of(IEstimator<TInput, TOutput> estimator) =>
        new(input => TransformerChain<TInput, TOutput>.Of(estimator.Fit(input)));

    /// <summary>This chain followed by <paramref name="next"/>.</summary>
    public EstimatorChain<TInput, TNext> Append<TNext>(IEstimator<TOutput, TNext> next) =>
        new(input =>
        {
            var fitted = _fit(input);
            return fitted.Append(next.Fit(fitted.Transform(input)));
        });

    /// <summary>Fits every step; the input is not changed.</summary>
    public TransformerChain<TInput, TOutput> Fit(TInput input) => _fit(input);

    ITransformer<TInput, TOutput> IEstimator<TInput, TOutput>.Fit(TInput input) => Fit(input);
}

/// <summary>
/// Fitted steps applied one after another: an immutable fitted pipeline. A
/// <c>TransformerChain&lt;DataTable, DataTable&gt;</c> whose steps are all saveable is a model
/// that <see cref="ModelFiles.ModelFile"/> saves and loads.
/// </summary>
public sealed class TransformerChain<TInput, TOutput> : ITransformer<TInput, TOutput>, IStageSequence
{
    private readonly IPipelineStage[] _stages;

    /// <summary>A chain of stages whose types must connect from <typeparamref name="TInput"/> to <typeparamref name="TOutput"/>.</summary>
    public TransformerChain(IEnumerable<IPipelineStage> stages)
    {
        // A chain appended to a chain contributes its stages, so a model file lists every step.
        _stages = stages.SelectMany(s => s is IStageSequence sequence ? sequence.Stages : [s]).ToArray();
        if (_stages.Length == 0) throw new ArgumentException("a pipeline needs at least one stage");
        var type = typeof(TInput);
        foreach (var stage in _stages)
        {
            if (!stage.InputType.IsAssignableFrom(type))
                throw new ArgumentException($"{stage.GetType().Name} takes {stage.InputType.Name}, but the stage before it produces {type.Name}");
            type = stage.OutputType;
        }
        if (!typeof(TOutput).IsAssignableFrom(type))
            throw new ArgumentException($"the pipeline produces {type.Name}, not {typeof(TOutput).Name}");
    }

    internal static TransformerChain<TInput, TOutput> Of(ITransformer<TInput, TOutput> transformer) =>
        transformer as TransformerChain<TInput, TOutput> ?? new TransformerChain<TInput, TOutput>([transformer]);

    /// <summary>The fitted steps, first to last.</summary>
    public IReadOnlyList<IPipelineStage> Stages => _stages;

    public TOutput Transform(TInput input)
    {
        object current = input!;
        foreach (var stage in _stages) current = stage.TransformUntyped(current);
        return (TOutput)current;
    }

    /// <summary>This chain followed by <paramref name="next"/>.</summary>
    public TransformerChain<TInput, TNext> Append<TNext>(ITransformer<TOutput, TNext> next) => new([.. _stages, next]);
}

/// <summary>A stage made of stages (a chain), seen without its types.</summary>
internal interface IStageSequence
{
    IReadOnlyList<IPipelineStage> Stages { get; }
}

/// <summary>Chaining estimators, ML.NET style: <c>featurizer.Append(trainer)</c>.</summary>
public static class PipelineExtensions
{
    public static EstimatorChain<TInput, TNext> Append<TInput, TOutput, TNext>(this IEstimator<TInput, TOutput> first, IEstimator<TOutput, TNext> next) =>
        first is EstimatorChain<TInput, TOutput> chain ? chain.Append(next) : EstimatorChain<TInput, TOutput>.Of(first).Append(next);
}
