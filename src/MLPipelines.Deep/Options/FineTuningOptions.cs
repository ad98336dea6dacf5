namespace MLPipelines.Deep.Options;

/// <summary>Which of a pretrained network's parameters fine-tuning trains.</summary>
public enum FineTuningMode
{
    /// <summary>
    /// Every parameter, the encoder (everything but the new head) at
    /// <see cref="FineTuningOptions.EncoderLearningRateFactor"/> × the learning rate: discriminative
    /// rates (Howard &amp; Ruder 2018), so that few labels adjust the pretrained body without erasing it.
    /// </summary>
    Full,

    /// <summary>
    /// Only the new head; the encoder stays as pretrained ("linear probing" on the encoder's output),
    /// batch-norm statistics and all (frozen parts run in evaluation mode; a dropout shared with the
    /// head, as the MLP's, still drops).
    /// </summary>
    HeadOnly,

    /// <summary>
    /// ULMFiT's gradual unfreezing: the first epoch trains the head, and each later epoch unfreezes
    /// one more of the network's top-level parts, from the head down to the input; unfrozen parts
    /// train at the encoder's learning-rate factor, parts still frozen run as at prediction.
    /// </summary>
    GradualUnfreezing,
}

/// <summary>Whose statistics scale the numeric inputs of a fine-tuned network.</summary>
public enum PretrainedScaling
{
    /// <summary>
    /// The checkpoint's scalers for the columns it has (fitted on the pretraining rows, usually
    /// many more than the target's labeled ones), the target's for new columns.
    /// </summary>
    Reuse,

    /// <summary>Every scaler fitted again on the target's training rows.</summary>
    Refit,
}

/// <summary>How a deep trainer fine-tunes <see cref="DeepModelOptions.Pretrained"/>. Plain data, saved with the model.</summary>
public sealed record FineTuningOptions
{
    /// <summary>Default <see cref="FineTuningMode.Full"/>.</summary>
    public FineTuningMode Mode { get; init; } = FineTuningMode.Full;

    /// <summary>The encoder's learning rate as a fraction of the head's (full fine-tuning and gradual unfreezing). Default 0.1.</summary>
    public double EncoderLearningRateFactor { get; init; } = 0.1;

    /// <summary>Default <see cref="PretrainedScaling.Reuse"/>.</summary>
    public PretrainedScaling Scaling { get; init; } = PretrainedScaling.Reuse;
}
