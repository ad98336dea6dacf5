using System.IO.Compression;
using System.Text;
using MLPipelines.Data;
using MLPipelines.Data.Csv;
using MLPipelines.ModelFiles;
using MLPipelines.Pipelines;
using MLPipelines.Trainers;
using MLPipelines.Transforms;

namespace MLPipelines.Tests;

public sealed class PipelineTests : IDisposable
{
    private readonly MLPipelinesContext _ml = new(seed: 11);
    private readonly string _directory = TestData.TemporaryDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_regression_pipeline_fits_predicts_and_evaluates()
    {
        var data = _ml.Data.LoadCsv(TestData.PathOf("concrete"));
        var (train, test) = _ml.Data.TrainTestSplit(data, 0.2);
        var model = _ml.Transforms.Featurize("compressive_strength").Append(_ml.Regression.Trainers.Baseline()).Fit(train);
        Assert.Equal(2, model.Stages.Count);
        var predictions = model.Transform(test);
        var mean = train.Column<NumericColumn>("compressive_strength").Values.ToArray().Average();
        Assert.All(predictions.Column<NumericColumn>(PredictionColumns.Score).Values.ToArray(), s => Assert.Equal(mean, s));
        var labels = test.Column<NumericColumn>("compressive_strength").Values.ToArray();
        var metrics = _ml.Regression.Evaluate(predictions, "compressive_strength");
        Assert.Equal(Math.Sqrt(labels.Average(y => (y - mean) * (y - mean))), metrics.RootMeanSquaredError, 10);
        Assert.True(metrics.RSquared <= 0);   // a constant cannot explain variance
        Assert.Equal(test.RowCount, metrics.Rows);
        // Prediction keeps the input columns.
        Assert.Equal(test.Schema.Select(c => c.Name).Append(PredictionColumns.Score), predictions.Schema.Select(c => c.Name));
    }

    [Fact]
    public void Classification_pipelines_predict_class_frequencies()
    {
        var churn = _ml.Data.LoadCsv(TestData.PathOf("wa_churn"));
        var (train, test) = _ml.Data.TrainTestSplit(churn, 0.2, stratifyBy: "churn");
        var binary = _ml.Transforms.Featurize("churn").Append(_ml.BinaryClassification.Trainers.Baseline()).Fit(train).Transform(test);
        var metrics = _ml.BinaryClassification.Evaluate(binary, "churn");
        Assert.Equal("Yes", metrics.PositiveClass);
        Assert.Equal(0.5, metrics.AreaUnderRocCurve, 12);   // every score tied
        Assert.Equal(0, metrics.F1);                         // "No" is always the most likely class

        var penguins = _ml.Data.LoadCsv(TestData.PathOf("penguins"));
        var (ptrain, ptest) = _ml.Data.TrainTestSplit(penguins, 0.3, stratifyBy: "species");
        var multi = _ml.Transforms.Featurize("species").Append(_ml.MulticlassClassification.Trainers.Baseline()).Fit(ptrain).Transform(ptest);
        var species = (CategoricalColumn)ptest["species"];
        var adelieShare = Enumerable.Range(0, ptest.RowCount).Count(r => species[r] == "Adelie") / (double)ptest.RowCount;
        Assert.Equal(adelieShare, _ml.MulticlassClassification.Evaluate(multi, "species").Accuracy, 12);
        Assert.All(Enumerable.Range(0, multi.RowCount), r => Assert.Equal("Adelie", multi[PredictionColumns.PredictedLabel].Format(r)));
    }

    [Fact]
    public void Trainers_refuse_labels_of_another_task()
    {
        var churn = _ml.Data.LoadCsv(TestData.PathOf("wa_churn"));
        var error = Assert.Throws<DataValidationException>(() => _ml.Transforms.Featurize("churn").Append(_ml.Regression.Trainers.Baseline()).Fit(churn));
        Assert.Contains("regression trainer, but the label has classes", error.Message);
        var penguins = _ml.Data.LoadCsv(TestData.PathOf("penguins"));
        Assert.Contains("has 3 classes", Assert.Throws<DataValidationException>(() => _ml.Transforms.Featurize("species").Append(_ml.BinaryClassification.Trainers.Baseline()).Fit(penguins)).Message);
        var concrete = _ml.Data.LoadCsv(TestData.PathOf("concrete"));
        Assert.Contains("declare it categorical", Assert.Throws<DataValidationException>(() => _ml.Transforms.Featurize("compressive_strength").Append(_ml.MulticlassClassification.Trainers.Baseline()).Fit(concrete)).Message);
    }

    [Theory]
    [InlineData(NumericScaling.QuantileNormal, CategoricalEncoding.Embedding)]
    [InlineData(NumericScaling.RobustSmoothClip, CategoricalEncoding.OneHot)]
    [InlineData(NumericScaling.None, CategoricalEncoding.Ordinal)]
    public void A_saved_and_loaded_pipeline_featurizes_and_predicts_bit_identically(NumericScaling scaling, CategoricalEncoding encoding)
    {
        var credit = _ml.Data.LoadCsv(TestData.PathOf("credit_data"));
        var (train, test) = _ml.Data.TrainTestSplit(credit, 0.2, stratifyBy: "Status");
        var options = new FeaturizerOptions { NumericScaling = scaling, CategoricalEncoding = encoding };
        var model = _ml.Transforms.Featurize("Status", options).Append(_ml.BinaryClassification.Trainers.Baseline()).Fit(train);
        var path = Path.Combine(_directory, "credit.model.zip");
        model.Save(path);
        var loaded = _ml.Model.Load(path);

        var before = ((FittedFeaturizer)model.Stages[0]).Transform(test);
        var after = ((FittedFeaturizer)loaded.Stages[0]).Transform(test);
        Assert.Equal(before.FeatureNames, after.FeatureNames);
        Assert.Equal(before.Features, after.Features);
        Assert.Equal(before.CategoricalIndices, after.CategoricalIndices);
        AssertSameTable(model.Transform(test), loaded.Transform(test));
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(_directory, ".*"));
    }

    private static void AssertSameTable(DataTable expected, DataTable actual)
    {
        Assert.Equal(expected.Schema.Select(c => c.Name), actual.Schema.Select(c => c.Name));
        foreach (var column in expected.Columns)
            for (var row = 0; row < expected.RowCount; row++)
                Assert.Equal(column.Format(row), actual[column.Name].Format(row));
    }

    [Fact]
    public void The_manifest_records_format_version_and_input_schema()
    {
        var model = TrainedCreditModel(out var path);
        var manifest = ModelFile.ReadManifest(path);
        Assert.Equal(ModelFile.FormatName, manifest.Format);
        Assert.Equal(ModelFile.FormatVersion, manifest.FormatVersion);
        Assert.Equal(new SchemaEntry("Status", ColumnType.Categorical, ColumnRole.Label), manifest.InputSchema.Single(c => c.Role == ColumnRole.Label));
        Assert.Equal(new SchemaEntry("Income", ColumnType.Numeric, ColumnRole.Feature), manifest.InputSchema.Single(c => c.Name == "Income"));
        Assert.Equal([typeof(FittedFeaturizer).FullName, typeof(BaselineModel).FullName], manifest.Stages.Select(s => s.Type));
        Assert.Equal(2, model.Stages.Count);
    }

    [Fact]
    public void Saving_over_an_existing_model_replaces_it_whole()
    {
        TrainedCreditModel(out var path);
        var regression = _ml.Transforms.Featurize("compressive_strength").Append(_ml.Regression.Trainers.Baseline()).Fit(_ml.Data.LoadCsv(TestData.PathOf("concrete")));
        regression.Save(path);
        Assert.Contains(ModelFile.ReadManifest(path).InputSchema, c => c.Name == "compressive_strength");
        Assert.Single(Directory.GetFiles(_directory));
    }

    private TransformerChain<DataTable, DataTable> TrainedCreditModel(out string path)
    {
        var credit = _ml.Data.LoadCsv(TestData.PathOf("credit_data"));
        var model = _ml.Transforms.Featurize("Status").Append(_ml.BinaryClassification.Trainers.Baseline()).Fit(credit);
        path = Path.Combine(_directory, "credit.model.zip");
        model.Save(path);
        return model;
    }

    // ---- bad model files and prediction input ----

    [Fact]
    public void A_truncated_model_file_is_a_clear_error()
    {
        TrainedCreditModel(out var path);
        var bytes = File.ReadAllBytes(path);
        var truncated = Path.Combine(_directory, "truncated.zip");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length * 2 / 3)]);
        var error = Assert.Throws<ModelFileException>(() => _ml.Model.Load(truncated));
        Assert.Contains(truncated, error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void A_model_from_a_newer_format_version_is_refused_with_the_versions()
    {
        TrainedCreditModel(out var path);
        using (var archive = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            var entry = archive.GetEntry("manifest.json")!;
            string manifest;
            using (var reader = new StreamReader(entry.Open())) manifest = reader.ReadToEnd();
            entry.Delete();
            using var writer = new StreamWriter(archive.CreateEntry("manifest.json").Open());
            writer.Write(manifest.Replace($"\"FormatVersion\": {ModelFile.FormatVersion}", $"\"FormatVersion\": {ModelFile.FormatVersion + 1}"));
        }
        var error = Assert.Throws<ModelFileException>(() => _ml.Model.Load(path));
        Assert.Contains($"model format {ModelFile.FormatVersion + 1}", error.Message);
        Assert.Contains("upgrade MLPipelines", error.Message);
    }

    [Fact]
    public void Files_that_are_not_models_are_clear_errors()
    {
        var csv = TestData.PathOf("sklearn_iris");
        Assert.Contains("not a zip archive", Assert.Throws<ModelFileException>(() => _ml.Model.Load(csv)).Message);

        var emptyZip = Path.Combine(_directory, "other.zip");
        using (var archive = ZipFile.Open(emptyZip, ZipArchiveMode.Create))
        using (var writer = new StreamWriter(archive.CreateEntry("readme.txt").Open()))
            writer.Write("not a model");
        Assert.Contains("no manifest.json", Assert.Throws<ModelFileException>(() => _ml.Model.Load(emptyZip)).Message);

        var foreignManifest = Path.Combine(_directory, "foreign.zip");
        using (var archive = ZipFile.Open(foreignManifest, ZipArchiveMode.Create))
        using (var writer = new StreamWriter(archive.CreateEntry("manifest.json").Open()))
            writer.Write("{\"name\": \"some other tool\"}");
        Assert.Contains("not an MLPipelines model", Assert.Throws<ModelFileException>(() => _ml.Model.Load(foreignManifest)).Message);

        var random = Path.Combine(_directory, "random.bin");
        File.WriteAllBytes(random, Enumerable.Range(0, 4096).Select(i => (byte)(i * 31 % 251)).ToArray());
        Assert.Throws<ModelFileException>(() => _ml.Model.Load(random));
        Assert.Throws<FileNotFoundException>(() => _ml.Model.Load(Path.Combine(_directory, "absent.zip")));
    }

    [Fact]
    public void A_model_needing_a_component_that_is_not_available_says_which()
    {
        TrainedCreditModel(out var path);
        using (var archive = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            var entry = archive.GetEntry("manifest.json")!;
            string manifest;
            using (var reader = new StreamReader(entry.Open())) manifest = reader.ReadToEnd();
            entry.Delete();
            using var writer = new StreamWriter(archive.CreateEntry("manifest.json").Open());
            writer.Write(manifest.Replace("\"MLPipelines.Core\"", "\"MLPipelines.SomeFuturePlugin\""));
        }
        var error = Assert.Throws<ModelFileException>(() => _ml.Model.Load(path));
        Assert.Contains("MLPipelines.SomeFuturePlugin", error.Message);
        Assert.Contains("add a reference", error.Message);
    }

    [Fact]
    public void Rows_to_predict_are_read_with_the_models_schema_and_missing_columns_are_named()
    {
        var digits = TestData.Load("sklearn_digits");
        var model = _ml.Transforms.Featurize("label").Append(_ml.MulticlassClassification.Trainers.Baseline()).Fit(digits);
        var path = Path.Combine(_directory, "unlabelled.csv");
        CsvWriter.Write(digits.Select([0, 1, 2]).WithoutColumns("label"), path);
        var rows = _ml.Data.LoadCsv(path, model);
        Assert.Equal(10, model.Transform(rows).Schema.Count(c => c.Name.StartsWith(PredictionColumns.ProbabilityPrefix)));

        CsvWriter.Write(digits.Select([0, 1]).WithoutColumns("label", "pixel_3_4"), path);
        var error = Assert.Throws<DataValidationException>(() => model.Transform(_ml.Data.LoadCsv(path, model)));
        Assert.Contains("no column 'pixel_3_4' (Numeric)", error.Message);
    }

    [Fact]
    public void A_pipeline_with_a_stage_that_cannot_be_saved_says_so()
    {
        var concrete = _ml.Data.LoadCsv(TestData.PathOf("concrete"));
        var model = _ml.Transforms.Featurize("compressive_strength").Append(new Unsaveable()).Fit(concrete);
        var error = Assert.Throws<InvalidOperationException>(() => model.Save(Path.Combine(_directory, "x.zip")));
        Assert.Contains("stage 2 (Unsaveable) cannot be saved", error.Message);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    private sealed class Unsaveable : IEstimator<FeaturizedData, DataTable>, ITransformer<FeaturizedData, DataTable>
    {
        public ITransformer<FeaturizedData, DataTable> Fit(FeaturizedData input) => this;

        public DataTable Transform(FeaturizedData input) => input.Source;
    }
}
