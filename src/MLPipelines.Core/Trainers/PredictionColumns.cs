using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data;
using MLPipelines.Data.DataViews;

namespace MLPipelines.Trainers;

/// <summary>
/// The columns a prediction adds, exactly as ML.NET's own trainers add them, so that ML.NET's
/// evaluators, cross-validation, PredictionEngine and permutation feature importance read
/// them: regression <c>Score</c> (Single); binary <c>Score</c> (the margin), <c>Probability</c>
/// and <c>PredictedLabel</c> (Boolean, Score &gt; 0); multiclass <c>Score</c> (a vector of
/// class probabilities, its slots named after the label's key values) and
/// <c>PredictedLabel</c> (a key of the label's type, with its key values).
/// </summary>
public static class PredictionColumns
{
    public const string Score = "Score";
    public const string Probability = "Probability";
    public const string PredictedLabel = "PredictedLabel";

    /// <summary>
    /// A binary model's predicted class as the label's own text ('Yes', not true), beside the Boolean PredictedLabel that
    /// ML.NET's evaluators read: what a model trained on a text or number label appends (<see cref="LabelPreparation.PredictedClass"/>).
    /// </summary>
    public const string PredictedClass = "PredictedClass";

    private static readonly KeyDataViewType ScoreColumnSetIdType = new(typeof(uint), int.MaxValue);

    /// <summary>The added columns, for a model with these classes (multiclass) whose label had these key values.</summary>
    public static DataViewSchema Added(DataViewSchema input, ModelDescription model, KeyValuesAnnotation? classValues)
    {
        var setId = NextScoreColumnSetId(input);
        var kind = Kind(model.Task);
        var builder = new DataViewSchema.Builder();
        switch (model.Task)
        {
            case PredictionTask.Regression:
                builder.AddColumn(Score, NumberDataViewType.Single, ScorerAnnotations(setId, kind, Score).ToAnnotations());
                break;
            case PredictionTask.BinaryClassification:
                builder.AddColumn(Score, NumberDataViewType.Single, ScorerAnnotations(setId, kind, Score).ToAnnotations());
                var probability = ScorerAnnotations(setId, kind, Probability);
                probability.Add(AnnotationNames.IsNormalized, BooleanDataViewType.Instance, (ValueGetter<bool>)((ref bool value) => value = true));
                builder.AddColumn(Probability, NumberDataViewType.Single, probability.ToAnnotations());
                builder.AddColumn(PredictedLabel, BooleanDataViewType.Instance, ScorerAnnotations(setId, kind, PredictedLabel).ToAnnotations());
                break;
            default:
                var classes = model.ClassNames.Length;
                var score = ScorerAnnotations(setId, kind, Score);
                var names = (classValues?.Values ?? model.ClassNames).Select(n => n.AsMemory()).ToArray();
                score.Add(AnnotationNames.SlotNames, new VectorDataViewType(TextDataViewType.Instance, classes),
                    (ValueGetter<VBuffer<ReadOnlyMemory<char>>>)((ref VBuffer<ReadOnlyMemory<char>> value) => value = new VBuffer<ReadOnlyMemory<char>>(classes, names.ToArray())));
                builder.AddColumn(Score, new VectorDataViewType(NumberDataViewType.Single, classes), score.ToAnnotations());
                var predicted = ScorerAnnotations(setId, kind, PredictedLabel);
                classValues?.AddTo(predicted);
                builder.AddColumn(PredictedLabel, new KeyDataViewType(typeof(uint), classes), predicted.ToAnnotations());
                break;
        }
        return builder.ToSchema();
    }

    /// <summary>
    /// The estimator's output schema (what ML.NET checks before fitting a pipeline): the input
    /// after checking the trainer's columns, with the prediction columns.
    /// </summary>
    public static SchemaShape Shape(SchemaShape input, PredictionTask task, TrainerColumns columns, string who)
    {
        Require(input, columns.FeatureColumnName, who, "the feature column");
        var label = Require(input, columns.LabelColumnName, who, "the label column");
        if (columns.ExampleWeightColumnName is { } weight) Require(input, weight, who, "the example weight column");
        var kind = Kind(task);
        var scorer = new SchemaShape(ScorerAnnotationShapes());
        var added = new List<SchemaShape.Column>();
        switch (task)
        {
            case PredictionTask.Regression:
                added.Add(new(Score, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false, scorer));
                break;
            case PredictionTask.BinaryClassification:
                added.Add(new(Score, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false, scorer));
                added.Add(new(Probability, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false,
                    new SchemaShape(ScorerAnnotationShapes().Append(new(AnnotationNames.IsNormalized, SchemaShape.Column.VectorKind.Scalar, BooleanDataViewType.Instance, false)))));
                added.Add(new(PredictedLabel, SchemaShape.Column.VectorKind.Scalar, BooleanDataViewType.Instance, false, scorer));
                break;
            default:
                added.Add(new(Score, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false,
                    new SchemaShape(ScorerAnnotationShapes().Append(new(AnnotationNames.SlotNames, SchemaShape.Column.VectorKind.Vector, TextDataViewType.Instance, false)))));
                var keyValues = label.Annotations.TryFindColumn(AnnotationNames.KeyValues, out var values) ? [values] : Array.Empty<SchemaShape.Column>();
                added.Add(new(PredictedLabel, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.UInt32, true, new SchemaShape(ScorerAnnotationShapes().Concat(keyValues))));
                break;
        }
        var names = added.Select(c => c.Name).ToHashSet();
        return new SchemaShape(input.Where(c => !names.Contains(c.Name)).Concat(added));
    }

    private static SchemaShape.Column Require(SchemaShape input, string name, string who, string role) =>
        input.TryFindColumn(name, out var column) ? column
            : throw TrainerSchema.MissingColumn(who, role, name, input.Select(c => c.Name));

    private static string Kind(PredictionTask task) => task switch
    {
        PredictionTask.Regression => "Regression",
        PredictionTask.BinaryClassification => "BinaryClassification",
        _ => "MulticlassClassification",
    };

    private static IEnumerable<SchemaShape.Column> ScorerAnnotationShapes() =>
    [
        new(AnnotationNames.ScoreColumnSetId, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.UInt32, true),
        new(AnnotationNames.ScoreColumnKind, SchemaShape.Column.VectorKind.Scalar, TextDataViewType.Instance, false),
        new(AnnotationNames.ScoreValueKind, SchemaShape.Column.VectorKind.Scalar, TextDataViewType.Instance, false),
    ];

    private static DataViewSchema.Annotations.Builder ScorerAnnotations(uint setId, string kind, string valueKind)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add(AnnotationNames.ScoreColumnSetId, ScoreColumnSetIdType, (ValueGetter<uint>)((ref uint value) => value = setId));
        builder.Add(AnnotationNames.ScoreColumnKind, TextDataViewType.Instance, (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = kind.AsMemory()));
        builder.Add(AnnotationNames.ScoreValueKind, TextDataViewType.Instance, (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = valueKind.AsMemory()));
        return builder;
    }

    /// <summary>One more than the largest score column set of the input, as ML.NET's scorers number them.</summary>
    private static uint NextScoreColumnSetId(DataViewSchema input)
    {
        uint max = 0;
        foreach (var column in input)
        {
            if (column.Annotations.Schema.GetColumnOrNull(AnnotationNames.ScoreColumnSetId) is not { Type: KeyDataViewType { RawType: var raw } } || raw != typeof(uint)) continue;
            uint id = 0;
            column.Annotations.GetValue(AnnotationNames.ScoreColumnSetId, ref id);
            max = Math.Max(max, id);
        }
        return max + 1;
    }
}
