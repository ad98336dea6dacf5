using MLPipelines.Data;
using MLPipelines.Transforms;

namespace MLPipelines.Trainers;

/// <summary>What a trainer learns to predict.</summary>
public enum PredictionTask
{
    Regression,
    BinaryClassification,
    MulticlassClassification,
}

/// <summary>Checks, shared by trainers, that featurized rows suit the trainer's task.</summary>
public static class TaskRequirements
{
    /// <summary>The label, after checking it fits <paramref name="task"/>; <paramref name="trainer"/> names the trainer in errors.</summary>
    public static LabelData Require(FeaturizedData data, PredictionTask task, string trainer)
    {
        var label = data.RequireLabel(trainer);
        if (data.RowCount == 0) throw new DataValidationException($"{trainer} cannot learn from zero rows");
        switch (task)
        {
            case PredictionTask.Regression when label.Kind != LabelKind.Numeric:
                throw new DataValidationException($"{trainer} is a regression trainer, but the label has classes ({string.Join(", ", label.ClassNames)}); use a classification trainer, or a numeric label");
            case PredictionTask.BinaryClassification when label.Kind != LabelKind.Classes || label.ClassCount != 2:
                throw new DataValidationException(label.Kind == LabelKind.Numeric
                    ? $"{trainer} is a classification trainer, but the label is numeric; declare it categorical when reading the data (CsvOptions.ColumnTypes)"
                    : $"{trainer} is a binary classification trainer, but the label has {label.ClassCount} classes; use a multiclass trainer");
            case PredictionTask.MulticlassClassification when label.Kind != LabelKind.Classes:
                throw new DataValidationException($"{trainer} is a classification trainer, but the label is numeric; declare it categorical when reading the data (CsvOptions.ColumnTypes)");
        }
        return label;
    }
}
