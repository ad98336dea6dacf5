using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data;
using MLPipelines.Data.Csv;
using MLPipelines.Data.DataViews;
using MLPipelines.Trainers;
using MLPipelines.Transforms;
using MLPipelines.Transforms.Scaling;

namespace MLPipelines.Tests;

public sealed class FeaturizerTests
{
    private static readonly MLContext Ml = new(seed: 5);
    private static readonly DataTable Credit = TestData.Load("credit_data");

    private static (DataTableView Train, DataTableView Test) CreditSplit()
    {
        var (train, test) = Splits.TrainTest(Credit, 0.25, seed: 5, stratifyBy: "Status");
        return (new DataTableView(Credit, train), new DataTableView(Credit, test));
    }

    /// <summary>The feature vectors of every row, and the slot names.</summary>
    private static (float[][] Rows, string[] Slots) Features(IDataView data, string column = "Features")
    {
        var slots = default(VBuffer<ReadOnlyMemory<char>>);
        data.Schema[column].GetSlotNames(ref slots);
        return (data.GetColumn<float[]>(column).ToArray(), slots.DenseValues().Select(s => s.ToString()).ToArray());
    }

    private static float Slot((float[][] Rows, string[] Slots) features, int row, string name) => features.Rows[row][Array.IndexOf(features.Slots, name)];

    [Fact]
    public void Learns_from_the_training_rows_only()
    {
        var (train, _) = CreditSplit();
        var fitted = Ml.Transforms.Featurize("Status").Fit(train);
        var income = (NumericPlan)fitted.Plans.Single(p => p.Column == "Income");
        var trainIncome = train.GetColumn<float>("Income").Where(float.IsFinite).Select(v => (double)v).Order().ToArray();
        var allIncome = Credit.Column<NumericColumn>("Income").Values.ToArray().Where(double.IsFinite).ToArray();
        Assert.Equal(Median(trainIncome), income.Fill);
        var standard = (StandardScaler)income.Scaler!;
        Assert.Equal(trainIncome.Average(), standard.Mean, 9);
        Assert.NotEqual(allIncome.Average(), standard.Mean, 9);
    }

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;

    [Fact]
    public void Names_slots_imputes_marks_missing_values_and_marks_categorical_ranges()
    {
        var (train, test) = CreditSplit();
        var fitted = Ml.Transforms.Featurize("Status").Fit(train);
        var scored = fitted.Transform(test);
        var features = Features(scored);
        Assert.Contains("Income_missing", features.Slots);
        Assert.Contains("Home.owner", features.Slots);
        Assert.DoesNotContain(features.Slots, s => s.Contains("Status"));
        Assert.DoesNotContain("Seniority_missing", features.Slots);   // no missing Seniority in training
        Assert.All(features.Rows, row => Assert.All(row, f => Assert.True(float.IsFinite(f))));
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, features.Slots.Length), scored.Schema["Features"].Type);
        // The input's columns are all still there, the label included.
        Assert.Equal(test.Schema.Select(c => c.Name).Append("Features"), scored.Schema.Select(c => c.Name));

        var income = (NumericPlan)fitted.Plans.Single(p => p.Column == "Income");
        var incomes = test.GetColumn<float>("Income").ToArray();
        var missingRow = Array.FindIndex(incomes, float.IsNaN);
        var presentRow = Array.FindIndex(incomes, float.IsFinite);
        Assert.Equal(1f, Slot(features, missingRow, "Income_missing"));
        Assert.Equal((float)income.Scaler!.Transform(income.Fill!.Value), Slot(features, missingRow, "Income"));
        Assert.Equal(0f, Slot(features, presentRow, "Income_missing"));
        Assert.Equal((float)income.Scaler.Transform(incomes[presentRow]), Slot(features, presentRow, "Income"));

        // Each category's one-hot slots are one ML.NET categorical range, and sum to one in every row (imputed when missing).
        var ranges = default(VBuffer<int>);
        scored.Schema["Features"].Annotations.GetValue(AnnotationNames.CategoricalSlotRanges, ref ranges);
        var pairs = ranges.DenseValues().Chunk(2).Select(p => (First: p[0], Last: p[1])).ToList();
        Assert.Equal(["Home", "Marital", "Records", "Job"], pairs.Select(p => features.Slots[p.First].Split('.')[0]));
        Assert.All(pairs, p => Assert.True(Enumerable.Range(p.First, p.Last - p.First + 1).All(s => features.Slots[s].StartsWith(features.Slots[p.First].Split('.')[0] + "."))));
        var home = pairs[0];
        Assert.All(features.Rows, row => Assert.Equal(1f, row[home.First..(home.Last + 1)].Sum()));
    }

    /// <summary>A CSV column of dates: the day count, then its year, month, day and weekday, each filled with its training median where the date is missing.</summary>
    [Fact]
    public void A_date_column_gives_the_day_count_and_its_calendar_parts()
    {
        var train = new DataTableView(CsvReader.Parse("sold,y\n2023-01-15,a\n2024-02-29,b\n,a\n2023-12-31T18:00,b\n"));
        var fitted = Ml.Transforms.Featurize("y", new FeaturizerOptions { NumericScaling = NumericScaling.None }).Fit(train);

        Assert.Equal(["sold", "sold_missing", "sold.year", "sold.month", "sold.day", "sold.weekday"], fitted.SlotNames);
        var rows = Features(fitted.Transform(train)).Rows;
        Assert.Equal([19_372f, 0f, 2023f, 1f, 15f, 6f], rows[0]);          // a Sunday
        Assert.Equal([19_782f, 0f, 2024f, 2f, 29f, 3f], rows[1]);          // a Thursday
        Assert.Equal([19_722.75f, 0f, 2023f, 12f, 31f, 6f], rows[3]);      // the time of day is in the count only
        // Missing: each value the training median of its slot.
        Assert.Equal([19_722.75f, 1f, 2023f, 2f, 29f, 6f], rows[2]);
        // A number column has no parts.
        Assert.Equal(["n"], Ml.Transforms.Featurize("y").Fit(new DataTableView(CsvReader.Parse("n,y\n19372,a\n19782,b\n"))).SlotNames);

        // The parts are kept in the model file.
        var path = Path.Combine(TestData.TemporaryDirectory(), "dates.zip");
        Ml.Model.Save(fitted, train.Schema, path);
        var loaded = (FeaturizerTransformer)Ml.Model.Load(path, out _);
        Assert.Equal(fitted.SlotNames, loaded.SlotNames);
        Assert.Equal(rows, Features(loaded.Transform(train)).Rows);
    }

    /// <summary>
    /// An ML.NET user's DateTime column is featurized as the CSV's ISO dates are (the same slots, the same values); the
    /// default DateTime, which ML.NET's text loader gives an empty field, is missing; the export says why it cannot take one.
    /// </summary>
    [Fact]
    public void A_DateTime_column_is_featurized_as_ISO_dates_read_from_a_CSV_are()
    {
        var options = new FeaturizerOptions { NumericScaling = NumericScaling.None };
        var fromCsv = new DataTableView(CsvReader.Parse("sold,y\n2023-01-15,1\n2024-02-29,2\n,1\n2023-12-31T18:00,2\n"));
        var expected = Features(Ml.Transforms.Featurize("y", options).Fit(fromCsv).Transform(fromCsv));

        DateTime[] sold = [new(2023, 1, 15), new(2024, 2, 29), default, new(2023, 12, 31, 18, 0, 0)];
        var data = Ml.Data.LoadFromEnumerable(sold.Select((day, i) => new DatedRow { Sold = day, Y = 1 + i % 2 }));
        var fitted = Ml.Transforms.Featurize("Y", options).Fit(data);
        var actual = Features(fitted.Transform(data));
        Assert.Equal(expected.Slots.Select(s => s.Replace("sold", "Sold")), actual.Slots);
        Assert.Equal(expected.Rows, actual.Rows);
        var path = Path.Combine(TestData.TemporaryDirectory(), "datetime.zip");
        Ml.Model.Save(fitted, data.Schema, path);
        Assert.Equal(actual.Rows, Features(Ml.Model.Load(path, out var schema).Transform(data)).Rows);
        Assert.IsType<DateTimeDataViewType>(schema["Sold"].Type);

        var model = Ml.Transforms.Featurize("Y", options).Append(new BaselineTrainer(PredictionTask.Regression, new TrainerColumns("Y"))).Fit(data);
        var error = Assert.Throws<MLPipelines.Onnx.OnnxExportException>(() => MLPipelines.Onnx.OnnxExporter.Export(model, data.Schema));
        Assert.Contains("column 'Sold'", error.Message);
        Assert.Contains("ONNX has no date type", error.Message);
    }

    private sealed class DatedRow
    {
        public DateTime Sold { get; set; }
        public float Y { get; set; }
    }

    /// <summary>A DateTimeOffset is read by its wall-clock time where it was recorded: the same features as those DateTimes.</summary>
    [Fact]
    public void A_DateTimeOffset_column_is_featurized_by_its_local_time_as_a_DateTime_is()
    {
        var options = new FeaturizerOptions { NumericScaling = NumericScaling.None };
        DateTime[] local = [new(2023, 1, 15), new(2024, 2, 29), default, new(2023, 12, 31, 23, 30, 0)];
        var dates = Ml.Data.LoadFromEnumerable(local.Select((day, i) => new DatedRow { Sold = day, Y = 1 + i % 2 }));
        var expected = Features(Ml.Transforms.Featurize("Y", options).Fit(dates).Transform(dates));

        // UTC+05:00: the last one is already 2023-12-31 18:30 in UTC, and a Sunday both ways; read so, its day would differ by 5 hours.
        var offsets = Ml.Data.LoadFromEnumerable(local.Select((day, i) => new OffsetRow
            { Sold = day == default ? default : new DateTimeOffset(day, TimeSpan.FromHours(5)), Y = 1 + i % 2 }));
        Assert.IsType<DateTimeOffsetDataViewType>(offsets.Schema["Sold"].Type);
        var fitted = Ml.Transforms.Featurize("Y", options).Fit(offsets);
        var actual = Features(fitted.Transform(offsets));
        Assert.Equal(expected.Slots, actual.Slots);
        Assert.Equal(expected.Rows, actual.Rows);
        var model = Ml.Transforms.Featurize("Y", options).Append(new BaselineTrainer(PredictionTask.Regression, new TrainerColumns("Y"))).Fit(offsets);
        Assert.Contains("DateTimeOffset, and ONNX has no date type",
            Assert.Throws<MLPipelines.Onnx.OnnxExportException>(() => MLPipelines.Onnx.OnnxExporter.Export(model, offsets.Schema)).Message);
    }

    private sealed class OffsetRow
    {
        public DateTimeOffset Sold { get; set; }
        public float Y { get; set; }
    }

    [Fact]
    public void Non_finite_numbers_are_missing_values_and_the_label_is_not_needed_to_transform()
    {
        var train = new DataTableView(new DataTable([new NumericColumn("x", [1, 2, 3, double.PositiveInfinity, 5]), CategoricalColumn.FromValues("y", ["a", "b", "a", "b", "a"])]));
        var fitted = Ml.Transforms.Featurize("y", new FeaturizerOptions { NumericScaling = NumericScaling.None }).Fit(train);
        Assert.Equal(["x", "x_missing"], fitted.SlotNames);
        var rows = new DataTableView(new DataTable([new NumericColumn("x", [double.NegativeInfinity, double.NaN, 4])]));
        Assert.Equal([[2.5f, 1f], [2.5f, 1f], [4f, 0f]], Features(fitted.Transform(rows)).Rows);
    }

    [Fact]
    public void An_unseen_category_is_all_zeros()
    {
        var (train, _) = CreditSplit();
        var castle = new DataTableView(Credit.Select([0, 1, 2]).WithColumn(CategoricalColumn.FromValues("Home", ["castle", "rent", "castle"])));
        var features = Features(Ml.Transforms.Featurize("Status").Fit(train).Transform(castle));
        var home = features.Slots.Select((s, i) => (s, i)).Where(p => p.s.StartsWith("Home.")).Select(p => p.i).ToArray();
        Assert.Equal([0f, 1f, 0f], features.Rows.Select(row => home.Sum(i => row[i])));
        Assert.Equal(1f, Slot(features, 1, "Home.rent"));
    }

    [Fact]
    public void The_tree_preset_keeps_missing_values()
    {
        var (train, test) = CreditSplit();
        var scored = Ml.Transforms.Featurize("Status", FeaturizerOptions.ForTrees).Fit(train).Transform(test);
        var features = Features(scored);
        Assert.DoesNotContain(features.Slots, n => n.EndsWith("_missing"));
        var incomes = test.GetColumn<float>("Income").ToArray();
        Assert.True(float.IsNaN(Slot(features, Array.FindIndex(incomes, float.IsNaN), "Income")));
        Assert.Equal(incomes[0], Slot(features, 0, "Income"));
        // A missing category is all zeros: no level is set.
        var homes = test.GetColumn<ReadOnlyMemory<char>>("Home").Select(h => h.ToString()).ToArray();
        var missingHome = Array.FindIndex(homes, h => h.Length == 0);
        Assert.True(missingHome >= 0);
        Assert.Equal(0f, features.Slots.Select((s, i) => (s, i)).Where(p => p.s.StartsWith("Home.")).Sum(p => features.Rows[missingHome][p.i]));
    }

    [Fact]
    public void Scaling_options_apply_the_fitted_scalers()
    {
        var (train, test) = CreditSplit();
        var ages = test.GetColumn<float>("Age").ToArray();
        foreach (var scaling in new[] { NumericScaling.QuantileNormal, NumericScaling.RobustSmoothClip })
        {
            var fitted = Ml.Transforms.Featurize("Status", new FeaturizerOptions { NumericScaling = scaling }).Fit(train);
            var features = Features(fitted.Transform(test));
            var age = (NumericPlan)fitted.Plans.Single(p => p.Column == "Age");
            Assert.Equal(scaling == NumericScaling.QuantileNormal ? typeof(QuantileNormalScaler) : typeof(RobustSmoothClipScaler), age.Scaler!.GetType());
            Assert.Equal((float)age.Scaler.Transform(ages[3]), Slot(features, 3, "Age"));
            Assert.All(features.Rows, row => Assert.InRange(row[Array.IndexOf(features.Slots, "Age")], -5.2f, 5.2f));
        }
    }

    [Fact]
    public void Free_text_and_identifiers_are_ignored_and_a_table_of_nothing_else_is_refused_with_the_reasons()
    {
        // small_fine_foods: a product code, distinct in every row, and the review's free text.
        var error = Assert.Throws<DataValidationException>(() => Ml.Transforms.Featurize("score").Fit(TestData.View("small_fine_foods")));
        Assert.Contains("no column can be a feature", error.Message);
        Assert.Contains("review (free text (mostly distinct values with spaces) is not featurized)", error.Message);
        Assert.Contains("product (an identifier: 5,000 distinct values in 5,000 rows, each level seen about once)", error.Message);
    }

    /// <summary>An identifier has more distinct values than 99% of the rows (AutoGluon's rule); one fewer is a category.</summary>
    /// <summary>A column with one value in every training row teaches no model anything; one that is sometimes missing is kept, for its indicator.</summary>
    [Fact]
    public void A_column_with_one_value_in_every_row_is_left_out_with_the_reason()
    {
        var train = new DataTableView(CsvReader.Parse("x,n,c,b,gaps,y\n1,5,k,true,7,a\n2,5,k,true,,b\n3,5,k,true,7,a\n"));
        var fitted = Ml.Transforms.Featurize("y").Fit(train);

        Assert.Equal(["x", "gaps", "gaps_missing"], fitted.SlotNames);
        Assert.Equal(["n (one value in every training row (5))", "c (one value in every training row (k))", "b (one value in every training row (true))"],
            fitted.IgnoredColumns.Select(i => $"{i.Column} ({i.Reason})"));
    }

    [Fact]
    public void A_category_with_more_distinct_values_than_99_percent_of_the_rows_is_an_identifier()
    {
        var rows = Credit.RowCount;
        var limit = (int)Math.Floor(0.99 * rows);
        string?[] Codes(int distinct) => Enumerable.Range(0, rows).Select(i => $"c{i % distinct}").ToArray();
        var table = Credit.WithColumn(CategoricalColumn.FromValues("customer", Codes(limit + 1))).WithColumn(CategoricalColumn.FromValues("branch", Codes(limit)));

        var fitted = Ml.Transforms.Featurize("Status").Fit(new DataTableView(table));

        Assert.Equal($"an identifier: {limit + 1:N0} distinct values in {rows:N0} rows, each level seen about once",
            fitted.IgnoredColumns.Single(i => i.Column == "customer").Reason);
        Assert.Contains("branch", fitted.Plans.Select(p => p.Column));
        Assert.DoesNotContain("customer", fitted.Plans.Select(p => p.Column));
    }

    [Fact]
    public void Reads_the_types_of_other_ML_NET_sources_keys_and_booleans_included()
    {
        var rows = Enumerable.Range(0, 40).Select(i => new SourceRow { Number = i, Flag = i % 3 == 0, Word = i % 4 == 0 ? "north" : "south", Count = i * 2 });
        var data = Ml.Data.LoadFromEnumerable(rows);
        var keyed = Ml.Transforms.Conversion.MapValueToKey("Word").Fit(data).Transform(data);
        var fitted = Ml.Transforms.Featurize("Number").Fit(keyed);
        Assert.Equal(["Flag", "Word.north", "Word.south", "Count"], fitted.SlotNames);
        var features = Features(fitted.Transform(keyed));
        Assert.Equal(1f, Slot(features, 0, "Flag"));
        Assert.Equal(1f, Slot(features, 0, "Word.north"));
        Assert.Equal(1f, Slot(features, 1, "Word.south"));
    }

    private sealed class SourceRow
    {
        public float Number { get; set; }
        public bool Flag { get; set; }
        public string Word { get; set; } = "";
        public int Count { get; set; }
    }

    [Fact]
    public void Fitting_does_not_change_its_input_and_is_repeatable()
    {
        var (train, test) = CreditSplit();
        var options = new FeaturizerOptions { NumericScaling = NumericScaling.QuantileNormal };
        var first = Features(Ml.Transforms.Featurize("Status", options).Fit(train).Transform(test)).Rows;
        var second = Features(Ml.Transforms.Featurize("Status", options).Fit(train).Transform(test)).Rows;
        Assert.Equal(first, second);
        Assert.Equal(TestData.Load("credit_data").Columns.Select(c => Enumerable.Range(0, c.Length).Select(c.Format)), Credit.Columns.Select(c => Enumerable.Range(0, c.Length).Select(c.Format)));
    }

    /// <summary>The shipped datasets with a tabular feature (small_fine_foods has only free text and an identifier: refused above).</summary>
    public static TheoryData<string> Datasets => new(TestData.Manifest().Keys.Where(d => d != "small_fine_foods"));

    /// <summary>Every shipped dataset featurizes into finite features (missing values imputed).</summary>
    [Theory]
    [MemberData(nameof(Datasets))]
    public void Featurizes_every_real_dataset(string dataset)
    {
        var data = TestData.View(dataset);
        var label = TestData.Manifest()[dataset].Target;
        var features = Features(Ml.Transforms.Featurize(label, new FeaturizerOptions { NumericScaling = NumericScaling.QuantileNormal }).Fit(data).Transform(data));
        Assert.Equal(data.RowCount, features.Rows.Length);
        Assert.NotEmpty(features.Slots);
        Assert.All(features.Rows, row => Assert.All(row, f => Assert.True(float.IsFinite(f))));
    }

    // ---- bad input ----

    [Fact]
    public void Columns_given_to_the_featurizer_must_exist()
    {
        var error = Assert.Throws<DataValidationException>(() => Ml.Transforms.Featurize("Status", new FeaturizerOptions { IgnoredColumns = ["income"] }).Fit(TestData.View("credit_data")));
        Assert.Contains("'income'", error.Message);
        Assert.Contains("Income", error.Message);
    }

    [Fact]
    public void Rows_missing_or_retyping_a_column_are_named_at_transform()
    {
        var fitted = Ml.Transforms.Featurize("Status").Fit(new DataTableView(Credit));
        var error = Assert.Throws<DataValidationException>(() => fitted.Transform(new DataTableView(Credit.WithoutColumns("Income", "Debt"))));
        Assert.Contains("no column 'Income'", error.Message);
        Assert.Contains("no column 'Debt'", error.Message);
        var retyped = Credit.WithColumn(CategoricalColumn.FromValues("Age", Enumerable.Range(0, Credit.RowCount).Select(_ => (string?)"young").ToList()));
        Assert.Contains("column 'Age' is String, but the featurizer was fitted on it as Numeric",
            Assert.Throws<DataValidationException>(() => fitted.Transform(new DataTableView(retyped))).Message);
    }
}
