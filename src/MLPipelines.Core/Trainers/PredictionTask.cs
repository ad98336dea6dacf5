namespace MLPipelines.Trainers;

/// <summary>What a trainer learns to predict (ML.NET's own enumeration of these is internal).</summary>
public enum PredictionTask
{
    /// <summary>A number: label Single or Double; output <c>Score</c>.</summary>
    Regression,

    /// <summary>Yes or no: label Boolean; outputs <c>Score</c>, <c>Probability</c>, <c>PredictedLabel</c>.</summary>
    BinaryClassification,

    /// <summary>One of several classes: label a key (ml.Transforms.Conversion.MapValueToKey); outputs a <c>Score</c> vector and a <c>PredictedLabel</c> key.</summary>
    MulticlassClassification,
}

/// <summary>The columns a trainer reads, named as ML.NET's trainers name them.</summary>
public sealed record TrainerColumns(string LabelColumnName = "Label", string FeatureColumnName = "Features", string? ExampleWeightColumnName = null);
