namespace MLPipelines.Deep.Options;

/// <summary>What a network learns from unlabeled rows.</summary>
public enum PretrainingObjective
{
    /// <summary>
    /// Masked-feature reconstruction (VIME's, Yoon et al. 2020; "rec" in Rubachev et al. 2022): each
    /// value is replaced, with the corruption rate, by the same column's value in a random other
    /// row, and the network predicts every original (scaled) value; squared error.
    /// </summary>
    MaskedReconstruction,

    /// <summary>
    /// SCARF (Bahri et al. 2022): the same corruption makes a second view of each row; InfoNCE
    /// pulls the network's outputs for a row and its view together and pushes the other rows'
    /// away (cosine similarity over a temperature). The head serves as the projection.
    /// </summary>
    Contrastive,
}

/// <summary>Settings of self-supervised pretraining (<see cref="Transfer.SelfSupervisedPretrainer"/>). Plain data.</summary>
public sealed record PretrainingOptions
{
    /// <summary>Default <see cref="PretrainingObjective.MaskedReconstruction"/>.</summary>
    public PretrainingObjective Objective { get; init; } = PretrainingObjective.MaskedReconstruction;

    /// <summary>Fraction of values corrupted; null for the objective's published default (VIME's 0.3, SCARF's 0.6).</summary>
    public double? CorruptionRate { get; init; }

    /// <summary>The rate in use.</summary>
    public double CorruptionRateInUse => CorruptionRate ?? (Objective == PretrainingObjective.Contrastive ? 0.6 : 0.3);

    /// <summary>InfoNCE's temperature (SCARF's default 1).</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Outputs of the contrastive head (the projection). Default 64.</summary>
    public int ProjectionSize { get; init; } = 64;

    /// <summary>Epochs at most. Default 100.</summary>
    public int MaxEpochs { get; init; } = 100;

    /// <summary>Stop after this many epochs without a lower validation loss; the best epoch is kept. Default 10.</summary>
    public int Patience { get; init; } = 10;

    /// <summary>Rows held out to measure the pretraining loss each epoch (their corruption is drawn once). Default 0.1.</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Null: the architecture's learning rate for regression.</summary>
    public double? LearningRate { get; init; }

    /// <summary>Null: the architecture's batch size.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Stop (keeping the best epoch) when this much time has passed; null for no limit.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>The feature column read. Default "Features".</summary>
    public string FeatureColumnName { get; init; } = "Features";
}
