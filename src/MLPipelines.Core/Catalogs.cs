using Microsoft.ML;
using MLPipelines.Data;
using MLPipelines.Data.Csv;
using MLPipelines.Data.DataViews;
using MLPipelines.Trainers;
using MLPipelines.Transforms;

namespace MLPipelines;

/// <summary>
/// What the project adds to ML.NET's data catalog: CSV files read with their column types
/// inferred (ML.NET's TextLoader needs every column declared), and seeded stratified splits.
/// </summary>
public static class DataCatalogExtensions
{
    /// <summary>
    /// Reads a CSV file with a header row into a view: numbers as Single, categories and text
    /// as Text, true/false as Boolean (<see cref="DataTableView"/>); types are inferred unless
    /// declared in <see cref="CsvOptions.ColumnTypes"/>. Bad files are a
    /// <see cref="CsvFormatException"/> naming the line, column and value.
    /// </summary>
    public static DataTableView LoadCsv(this DataOperationsCatalog catalog, string path, CsvOptions? options = null) =>
        new(CsvReader.Read(path, options));

    /// <summary>
    /// Writes a view's visible columns to a CSV file: numbers, booleans, text and keys (as their
    /// values); vectors of Single one column per slot; other types are left out. Numbers are
    /// written so that they read back exactly. The file is written to a temporary file, then renamed. Commas and decimal points,
    /// or the <paramref name="layout"/> given: the one a file was read with, say (<c>view.Table.Origins?.Layout</c> of <see cref="LoadCsv"/>'s view).
    /// </summary>
    public static void SaveCsv(this DataOperationsCatalog catalog, IDataView data, string path, CsvLayout? layout = null) =>
        CsvWriter.Write(ColumnReaders.ToTable(data, data.Schema.Where(c => !c.IsHidden && (ColumnReaders.KindOf(c.Type) is not null || ColumnReaders.IsSingleVector(c.Type))).ToList()), path, layout);

    /// <summary>
    /// A seeded train/test split in which every class of <paramref name="labelColumnName"/>
    /// (Boolean, key or text) is split in proportion; a numeric label is split without strata.
    /// The same seed gives the same rows on every machine. Seed: the context's, else 0.
    /// </summary>
    public static DataOperationsCatalog.TrainTestData StratifiedTrainTestSplit(this DataOperationsCatalog catalog, IDataView data,
        string labelColumnName, double testFraction = 0.2, int? seed = null)
    {
        var (labels, stratify) = StrataOf(data, labelColumnName);
        var (train, test) = Splits.TrainTest(labels, testFraction, (ulong)(seed ?? ContextSeed.Of(catalog) ?? 0), stratify);
        return new DataOperationsCatalog.TrainTestData(RowSubsetView.Of(data, train), RowSubsetView.Of(data, test));
    }

    /// <summary>
    /// Seeded k-fold cross-validation splits, stratified by the label like
    /// <see cref="StratifiedTrainTestSplit"/>: each row is in exactly one test set.
    /// </summary>
    public static IReadOnlyList<DataOperationsCatalog.TrainTestData> StratifiedCrossValidationSplit(this DataOperationsCatalog catalog, IDataView data,
        string labelColumnName, int numberOfFolds = 5, int? seed = null) =>
        StratifiedFolds(data, labelColumnName, numberOfFolds, seed ?? ContextSeed.Of(catalog) ?? 0)
            .Select(f => new DataOperationsCatalog.TrainTestData(RowSubsetView.Of(data, f.TrainRows), RowSubsetView.Of(data, f.TestRows))).ToList();

    /// <summary>The row positions of seeded, stratified folds of a view.</summary>
    public static IReadOnlyList<Fold> StratifiedFolds(IDataView data, string labelColumnName, int numberOfFolds, int seed)
    {
        var (labels, stratify) = StrataOf(data, labelColumnName);
        return Splits.KFold(labels, numberOfFolds, (ulong)seed, stratify);
    }

    /// <summary>The label column as a one-column table, and whether it has classes to stratify by.</summary>
    private static (DataTable Labels, string? Stratify) StrataOf(IDataView data, string labelColumnName)
    {
        var column = data.Schema.GetColumnOrNull(labelColumnName)
                     ?? throw new DataValidationException($"there is no column '{labelColumnName}' to split by {ColumnList.For(labelColumnName, TrainerSchema.Visible(data.Schema))}");
        var labels = ColumnReaders.ToTable(data, [column]);
        return (labels, labels.Columns[0] is NumericColumn ? null : labelColumnName);
    }
}

/// <summary>The project's transforms in ML.NET's transforms catalog.</summary>
public static class TransformsCatalogExtensions
{
    /// <summary>
    /// The featurizer: every column but the label (and the example weight) becomes slots of one
    /// feature vector, fitted on the training rows only (<see cref="FeaturizerOptions"/>).
    /// </summary>
    public static FeaturizerEstimator Featurize(this TransformsCatalog catalog, string labelColumnName = "Label", FeaturizerOptions? options = null,
        string? exampleWeightColumnName = null) =>
        new(labelColumnName, options, exampleWeightColumnName);

    /// <summary>The featurizer a trainer is published with, writing the trainer's feature column.</summary>
    public static FeaturizerEstimator FeaturizeFor<TModel>(this TransformsCatalog catalog, TabularTrainer<TModel> trainer)
        where TModel : TabularModelParameters, ILoadableModel<TModel> =>
        new(trainer.Columns.LabelColumnName, trainer.RecommendedFeaturization with { OutputColumnName = trainer.Columns.FeatureColumnName },
            trainer.Columns.ExampleWeightColumnName);
}
