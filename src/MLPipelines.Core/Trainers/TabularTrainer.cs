using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Data;
using MLPipelines.Transforms;

namespace MLPipelines.Trainers;

/// <summary>
/// What the project's trainers share as ML.NET trainers: they read ML.NET's columns (a
/// <c>Features</c> vector, the label, optional example weights), check them against the task,
/// let the learner take categorical slot ranges its own way, and return a
/// <see cref="TabularPredictionTransformer{TModel}"/>. Fitting never changes its input.
/// </summary>
public abstract class TabularTrainer<TModel>(PredictionTask task, TrainerColumns columns)
    : ITrainerEstimator<TabularPredictionTransformer<TModel>, TModel>
    where TModel : TabularModelParameters, ILoadableModel<TModel>
{
    public PredictionTask Task { get; } = task;

    /// <summary>The label, feature and example weight columns.</summary>
    public TrainerColumns Columns { get; } = columns;

    /// <summary>The trainer's name in messages and leaderboards.</summary>
    public abstract string Name { get; }

    /// <summary>The featurization this learner is published with (<c>ml.Transforms.FeaturizeFor(trainer)</c>).</summary>
    public abstract FeaturizerOptions RecommendedFeaturization { get; }

    /// <summary>No normalization or caching asked of ML.NET: the learners take raw features and read the data once.</summary>
    public TrainerInfo Info { get; } = new(normalization: false, calibration: false, caching: false);

    /// <summary>What the learner makes of a categorical range of this many levels.</summary>
    protected abstract CategoricalTreatment TreatmentOf(int levels);

    /// <summary>Trains on rows read and checked by the base.</summary>
    protected abstract TModel Train(TrainingData data);

    public TabularPredictionTransformer<TModel> Fit(IDataView input) => Fit(Read(input));

    /// <summary>Reads and checks the rows this trainer learns from, as <see cref="Fit(IDataView)"/> does (to fit several models on rows read once).</summary>
    public TrainingData Read(IDataView input) => TrainingData.Read(input, Task, Columns, TreatmentOf, Name);

    /// <summary>Fits on rows already read by <see cref="Read"/> (of this trainer, or of one with the same task, columns and categorical treatment).</summary>
    public TabularPredictionTransformer<TModel> Fit(TrainingData data) =>
        new(Train(data), Columns.FeatureColumnName, data.ClassValues);

    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => PredictionColumns.Shape(inputSchema, Task, Columns, Name);
}
