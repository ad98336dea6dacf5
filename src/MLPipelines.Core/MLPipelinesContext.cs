using MLPipelines.Data;
using MLPipelines.Data.Csv;
using MLPipelines.Evaluation;
using MLPipelines.ModelFiles;
using MLPipelines.Pipelines;
using MLPipelines.Trainers;
using MLPipelines.Transforms;

namespace MLPipelines;

/// <summary>
/// The entry point, ML.NET style: catalogs of data operations, transforms, trainers and
/// evaluators. The seed is the default for every split and trainer created through it.
/// <code>
/// var ml = new MLPipelinesContext(seed: 42);
/// var data = ml.Data.LoadCsv("datasets/diamonds.csv");
/// var (train, test) = ml.Data.TrainTestSplit(data, testFraction: 0.2);
/// var model = ml.Transforms.Featurize(label: "price").Append(ml.Regression.Trainers.Baseline()).Fit(train);
/// var metrics = ml.Regression.Evaluate(model.Transform(test), label: "price");
/// ml.Model.Save(model, "diamonds.model.zip");
/// </code>
/// </summary>
public sealed class MLPipelinesContext
{
    public MLPipelinesContext(int seed = 0)
    {
        Seed = seed;
        Data = new DataCatalog(this);
        Transforms = new TransformsCatalog();
        Regression = new RegressionCatalog(this);
        BinaryClassification = new BinaryClassificationCatalog(this);
        MulticlassClassification = new MulticlassClassificationCatalog(this);
        Model = new ModelCatalog();
    }

    public int Seed { get; }

    public DataCatalog Data { get; }

    public TransformsCatalog Transforms { get; }

    public RegressionCatalog Regression { get; }

    public BinaryClassificationCatalog BinaryClassification { get; }

    public MulticlassClassificationCatalog MulticlassClassification { get; }

    public ModelCatalog Model { get; }
}

/// <summary>Reading, writing and splitting tables.</summary>
public sealed class DataCatalog(MLPipelinesContext context)
{
    public DataTable LoadCsv(string path, CsvOptions? options = null) => CsvReader.Read(path, options);

    /// <summary>Reads rows for a model, with its feature and label columns typed as the model was trained (the label may be absent).</summary>
    public DataTable LoadCsv(string path, TransformerChain<DataTable, DataTable> model, CsvOptions? options = null)
    {
        var schema = (model.Stages[0] as IHasInputSchema)?.InputColumns ?? [];
        var types = schema.ToDictionary(c => c.Name, c => c.Type);
        return CsvReader.Read(path, (options ?? new CsvOptions()) with { ColumnTypes = types, AllowAbsentDeclaredColumns = true });
    }

    public void SaveCsv(DataTable table, string path) => CsvWriter.Write(table, path);

    /// <summary>A seeded split; with <paramref name="stratifyBy"/> (a categorical or boolean column) each class is split in proportion.</summary>
    public (DataTable Train, DataTable Test) TrainTestSplit(DataTable data, double testFraction = 0.2, string? stratifyBy = null, int? seed = null)
    {
        var (train, test) = Splits.TrainTest(data, testFraction, (ulong)(seed ?? context.Seed), stratifyBy);
        return (data.Select(train), data.Select(test));
    }

    /// <summary>k seeded folds; each row is tested once. With <paramref name="stratifyBy"/>, stratified.</summary>
    public IReadOnlyList<Fold> KFold(DataTable data, int k = 5, string? stratifyBy = null, int? seed = null) =>
        Splits.KFold(data, k, (ulong)(seed ?? context.Seed), stratifyBy);
}

/// <summary>Featurization.</summary>
public sealed class TransformsCatalog
{
    /// <summary>Turns a table into features and an encoded label, fitted on the training rows (<see cref="FeaturizerOptions"/>).</summary>
    public Featurizer Featurize(string label, FeaturizerOptions? options = null) => new(label, options);
}

/// <summary>Regression trainers; other assemblies add theirs as extension methods (ML.NET's pattern).</summary>
public sealed class RegressionTrainers(MLPipelinesContext context)
{
    public MLPipelinesContext Context { get; } = context;

    /// <summary>Predicts the training mean.</summary>
    public BaselineTrainer Baseline() => new(PredictionTask.Regression);
}

public sealed class BinaryClassificationTrainers(MLPipelinesContext context)
{
    public MLPipelinesContext Context { get; } = context;

    /// <summary>Predicts the training class frequencies.</summary>
    public BaselineTrainer Baseline() => new(PredictionTask.BinaryClassification);
}

public sealed class MulticlassClassificationTrainers(MLPipelinesContext context)
{
    public MLPipelinesContext Context { get; } = context;

    /// <summary>Predicts the training class frequencies.</summary>
    public BaselineTrainer Baseline() => new(PredictionTask.MulticlassClassification);
}

public sealed class RegressionCatalog(MLPipelinesContext context)
{
    public RegressionTrainers Trainers { get; } = new(context);

    public RegressionMetrics Evaluate(DataTable predictions, string label) => Evaluators.Regression(predictions, label);
}

public sealed class BinaryClassificationCatalog(MLPipelinesContext context)
{
    public BinaryClassificationTrainers Trainers { get; } = new(context);

    public BinaryClassificationMetrics Evaluate(DataTable predictions, string label, string? positiveClass = null) =>
        Evaluators.BinaryClassification(predictions, label, positiveClass);
}

public sealed class MulticlassClassificationCatalog(MLPipelinesContext context)
{
    public MulticlassClassificationTrainers Trainers { get; } = new(context);

    public MulticlassClassificationMetrics Evaluate(DataTable predictions, string label) => Evaluators.MulticlassClassification(predictions, label);
}

/// <summary>Saving and loading whole fitted pipelines (<see cref="ModelFile"/>).</summary>
public sealed class ModelCatalog
{
    public void Save(TransformerChain<DataTable, DataTable> model, string path) => ModelFile.Save(model, path);

    public TransformerChain<DataTable, DataTable> Load(string path) => ModelFile.Load(path);
}
