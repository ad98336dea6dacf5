using MLPipelines.Data;
using MLPipelines.Transforms;
using MLPipelines.Transforms.Scaling;

namespace MLPipelines.Tests;

public sealed class FeaturizerTests
{
    private static readonly DataTable Credit = TestData.Load("credit_data");

    private static (DataTable Train, DataTable Test) CreditSplit()
    {
        var (train, test) = Splits.TrainTest(Credit, 0.25, seed: 5, stratifyBy: "Status");
        return (Credit.Select(train), Credit.Select(test));
    }

    private static float Feature(FeaturizedData data, int row, string name) => data.Row(row)[data.FeatureNames.ToList().IndexOf(name)];

    [Fact]
    public void Learns_from_the_training_rows_only()
    {
        var (train, _) = CreditSplit();
        var fitted = new Featurizer("Status").Fit(train);
        var income = (NumericPlan)fitted.Plans.Single(p => p.Column == "Income");
        var trainIncome = train.Column<NumericColumn>("Income").Values.ToArray().Where(double.IsFinite).Order().ToArray();
        var allIncome = Credit.Column<NumericColumn>("Income").Values.ToArray().Where(double.IsFinite).Order().ToArray();
        Assert.Equal(Median(trainIncome), income.Fill);
        var standard = (StandardScaler)income.Scaler!;
        Assert.Equal(trainIncome.Average(), standard.Mean, 9);
        Assert.NotEqual(allIncome.Average(), standard.Mean, 9);
    }

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;

    [Fact]
    public void Names_features_imputes_and_marks_missing_values()
    {
        var (train, test) = CreditSplit();
        var fitted = new Featurizer("Status").Fit(train);
        var data = fitted.Transform(test);
        Assert.Contains("Income_missing", data.FeatureNames);
        Assert.Contains("Home=owner", data.FeatureNames);
        Assert.Contains("Home_missing", fitted.FeatureNames.Concat(data.FeatureNames));
        Assert.DoesNotContain("Status", string.Join(",", data.FeatureNames));
        Assert.DoesNotContain("Seniority_missing", data.FeatureNames);   // no missing Seniority in training
        Assert.Equal(data.RowCount * data.FeatureCount, data.Features.Length);
        Assert.All(data.Features, f => Assert.True(float.IsFinite(f)));

        var income = (NumericPlan)fitted.Plans.Single(p => p.Column == "Income");
        var incomes = test.Column<NumericColumn>("Income");
        var missingRow = Enumerable.Range(0, test.RowCount).First(incomes.IsMissing);
        var presentRow = Enumerable.Range(0, test.RowCount).First(r => !incomes.IsMissing(r));
        Assert.Equal(1f, Feature(data, missingRow, "Income_missing"));
        Assert.Equal((float)income.Scaler!.Transform(income.Fill!.Value), Feature(data, missingRow, "Income"));
        Assert.Equal(0f, Feature(data, presentRow, "Income_missing"));
        Assert.Equal((float)income.Scaler.Transform(incomes[presentRow]), Feature(data, presentRow, "Income"));

        // Every matrix column has a kind that matches its name.
        Assert.Equal(data.FeatureNames.Count, data.FeatureKinds.Count);
        for (var i = 0; i < data.FeatureCount; i++)
        {
            var expected = data.FeatureNames[i] switch
            {
                var n when n.EndsWith("_missing") => FeatureKind.MissingIndicator,
                var n when n.Contains('=') => FeatureKind.OneHot,
                _ => FeatureKind.Numeric,
            };
            Assert.Equal(expected, data.FeatureKinds[i]);
        }
        Assert.All(new Featurizer("Status", FeaturizerOptions.ForTrees).Fit(train).Transform(test).FeatureNames
            .Zip(new Featurizer("Status", FeaturizerOptions.ForTrees).Fit(train).FeatureKinds),
            p => Assert.Equal(p.First is "Home" or "Marital" or "Records" or "Job" ? FeatureKind.CategoryCode : FeatureKind.Numeric, p.Second));

        // One-hot columns of a row sum to one (imputed when missing).
        var homeColumns = data.FeatureNames.Select((n, i) => (n, i)).Where(p => p.n.StartsWith("Home=")).Select(p => p.i).ToArray();
        for (var row = 0; row < data.RowCount; row++) Assert.Equal(1f, homeColumns.Sum(i => data.Row(row)[i]));
    }

    [Fact]
    public void Non_finite_numbers_are_missing_values()
    {
        var train = new DataTable([new NumericColumn("x", [1, 2, 3, double.PositiveInfinity, 5]), CategoricalColumn.FromValues("y", ["a", "b", "a", "b", "a"])]);
        var fitted = new Featurizer("y", new FeaturizerOptions { NumericScaling = NumericScaling.None }).Fit(train);
        Assert.Equal(["x", "x_missing"], fitted.FeatureNames);
        var data = fitted.Transform(new DataTable([new NumericColumn("x", [double.NegativeInfinity, double.NaN, 4])]));
        Assert.Equal([2.5f, 1f, 2.5f, 1f, 4f, 0f], data.Features);
        Assert.Null(data.Label);
    }

    [Fact]
    public void An_unseen_category_goes_to_the_unknown_slot_and_is_counted()
    {
        var (train, _) = CreditSplit();
        var castle = Credit.Select([0, 1, 2]).WithColumn(CategoricalColumn.FromValues("Home", ["castle", "rent", "castle"]));
        foreach (var encoding in new[] { CategoricalEncoding.OneHot, CategoricalEncoding.Ordinal, CategoricalEncoding.Embedding })
        {
            var fitted = new Featurizer("Status", new FeaturizerOptions { CategoricalEncoding = encoding }).Fit(train);
            var data = fitted.Transform(castle);
            Assert.Equal(2, data.UnknownCategories["Home"]);
            var home = (CategoricalPlan)fitted.Plans.Single(p => p.Column == "Home");
            var rent = Array.IndexOf(home.Levels, "rent");
            switch (encoding)
            {
                case CategoricalEncoding.OneHot:
                    Assert.All(home.Levels, level => Assert.Equal(0f, Feature(data, 0, $"Home={level}")));
                    Assert.Equal(1f, Feature(data, 1, "Home=rent"));
                    break;
                case CategoricalEncoding.Ordinal:
                    Assert.Equal([0f, rent + 1f, 0f], Enumerable.Range(0, 3).Select(r => Feature(data, r, "Home")));
                    break;
                default:
                    var column = data.CategoricalColumns.ToList().FindIndex(c => c.Name == "Home");
                    Assert.Equal(home.Levels.Length + 1, data.CategoricalColumns[column].Cardinality);
                    Assert.Equal([0, rent + 1, 0], Enumerable.Range(0, 3).Select(r => data.CategoricalIndices[r * data.CategoricalColumns.Count + column]));
                    break;
            }
        }
    }

    [Fact]
    public void The_tree_preset_keeps_missing_values_and_uses_codes()
    {
        var (train, test) = CreditSplit();
        var data = new Featurizer("Status", FeaturizerOptions.ForTrees).Fit(train).Transform(test);
        Assert.DoesNotContain(data.FeatureNames, n => n.EndsWith("_missing") || n.Contains('='));
        var incomes = test.Column<NumericColumn>("Income");
        var missingRow = Enumerable.Range(0, test.RowCount).First(incomes.IsMissing);
        Assert.True(float.IsNaN(Feature(data, missingRow, "Income")));
        Assert.Equal((float)incomes[0], Feature(data, 0, "Income"));
        var home = (CategoricalColumn)test["Home"];
        var missingHome = Enumerable.Range(0, test.RowCount).FirstOrDefault(home.IsMissing, -1);
        if (missingHome >= 0) Assert.True(float.IsNaN(Feature(data, missingHome, "Home")));
        Assert.InRange(Feature(data, 0, "Home"), 1, 6);
    }

    [Fact]
    public void Scaling_options_apply_the_fitted_scalers()
    {
        var (train, test) = CreditSplit();
        foreach (var scaling in new[] { NumericScaling.QuantileNormal, NumericScaling.RobustSmoothClip })
        {
            var fitted = new Featurizer("Status", new FeaturizerOptions { NumericScaling = scaling }).Fit(train);
            var data = fitted.Transform(test);
            var age = (NumericPlan)fitted.Plans.Single(p => p.Column == "Age");
            Assert.Equal(scaling == NumericScaling.QuantileNormal ? typeof(QuantileNormalScaler) : typeof(RobustSmoothClipScaler), age.Scaler!.GetType());
            Assert.Equal((float)age.Scaler.Transform(test.Column<NumericColumn>("Age")[3]), Feature(data, 3, "Age"));
            Assert.All(Enumerable.Range(0, data.RowCount), r => Assert.InRange(Feature(data, r, "Age"), -5.2f, 5.2f));
        }
    }

    [Fact]
    public void Class_labels_are_sorted_with_the_positive_class_second()
    {
        var fitted = new Featurizer("Status").Fit(Credit);
        Assert.Equal(["bad", "good"], fitted.Label.ClassNames);
        var swapped = new Featurizer("Status", new FeaturizerOptions { PositiveClass = "bad" }).Fit(Credit);
        Assert.Equal(["good", "bad"], swapped.Label.ClassNames);
        var data = swapped.Transform(Credit);
        var status = (CategoricalColumn)Credit["Status"];
        Assert.Equal(status[0] == "bad" ? 1 : 0, data.Label!.Classes![0]);
        var penguins = new Featurizer("species").Fit(TestData.Load("penguins"));
        Assert.Equal(["Adelie", "Chinstrap", "Gentoo"], penguins.Label.ClassNames);
        var flags = new DataTable([BooleanColumn.FromValues("f", [true, false, true]), new NumericColumn("x", [1.0, 2, 3])]);
        Assert.Equal(["false", "true"], new Featurizer("f").Fit(flags).Label.ClassNames);
    }

    [Fact]
    public void Text_columns_are_ignored_with_a_reason()
    {
        var foods = TestData.Load("small_fine_foods");
        var fitted = new Featurizer("score", new FeaturizerOptions { MaxOneHotLevels = 8 }).Fit(foods);
        Assert.Equal("text columns are not featurized yet", fitted.IgnoredColumns.Single(i => i.Column == "review").Reason);
        Assert.Equal(["product"], fitted.FeatureNames);   // 5,000 product ids: over the one-hot limit, so an ordinal code
    }

    [Fact]
    public void Fitting_does_not_change_its_input_and_is_repeatable()
    {
        var (train, test) = CreditSplit();
        var before = train.Columns.Select(c => Enumerable.Range(0, train.RowCount).Select(c.Format).ToArray()).ToArray();
        var first = new Featurizer("Status", new FeaturizerOptions { NumericScaling = NumericScaling.QuantileNormal }).Fit(train).Transform(test);
        var second = new Featurizer("Status", new FeaturizerOptions { NumericScaling = NumericScaling.QuantileNormal }).Fit(train).Transform(test);
        Assert.Equal(first.Features, second.Features);
        var after = train.Columns.Select(c => Enumerable.Range(0, train.RowCount).Select(c.Format).ToArray()).ToArray();
        Assert.Equal(before, after);
    }

    public static TheoryData<string> Datasets => new(TestData.Manifest().Keys);

    /// <summary>Every shipped dataset featurizes with each encoding into finite features (missing values imputed).</summary>
    [Theory]
    [MemberData(nameof(Datasets))]
    public void Featurizes_every_real_dataset(string dataset)
    {
        var table = TestData.Load(dataset);
        var label = TestData.Manifest()[dataset].Target;
        foreach (var options in new[] { new FeaturizerOptions(), new FeaturizerOptions { NumericScaling = NumericScaling.QuantileNormal, CategoricalEncoding = CategoricalEncoding.Embedding } })
        {
            var data = new Featurizer(label, options).Fit(table).Transform(table);
            Assert.Equal(table.RowCount, data.RowCount);
            Assert.True(data.FeatureCount > 0);
            Assert.All(data.Features, f => Assert.True(float.IsFinite(f)));
            Assert.NotNull(data.Label);
            Assert.Empty(data.UnknownCategories);
        }
    }

    // ---- bad input ----

    [Fact]
    public void A_missing_label_column_is_named_with_the_columns_there_are()
    {
        var error = Assert.Throws<DataValidationException>(() => new Featurizer("status").Fit(Credit));
        Assert.Contains("the label column 'status' is not in the data", error.Message);
        Assert.Contains("Status", error.Message);
    }

    [Fact]
    public void Labels_that_are_missing_or_not_finite_name_the_line()
    {
        var text = "x,y\n1,2.5\n2,\n3,inf\n4,1\n";
        var error = Assert.Throws<DataValidationException>(() => new Featurizer("y").Fit(Data.Csv.CsvReader.Parse(text, "labels.csv")));
        Assert.Contains("the label 'y' is missing on line 3 of labels.csv (2 rows in all)", error.Message);
        var infinite = Assert.Throws<DataValidationException>(() => new Featurizer("y").Fit(Data.Csv.CsvReader.Parse("x,y\n1,2.5\n3,-inf\n", "labels.csv")));
        Assert.Contains("-infinity on line 3", infinite.Message);
        var categorical = Assert.Throws<DataValidationException>(() => new Featurizer("y").Fit(Data.Csv.CsvReader.Parse("x,y\n1,a\n2,\n3,b\n", "c.csv")));
        Assert.Contains("missing on line 3 of c.csv", categorical.Message);
    }

    [Fact]
    public void A_label_with_one_class_or_none_is_an_error()
    {
        var single = new DataTable([new NumericColumn("x", [1.0, 2]), CategoricalColumn.FromValues("y", ["a", "a"])]);
        Assert.Contains("single class ('a')", Assert.Throws<DataValidationException>(() => new Featurizer("y").Fit(single)).Message);
        var none = new DataTable([new NumericColumn("x", [1.0, 2]), CategoricalColumn.FromValues("y", [null, null])]);
        Assert.Contains("missing in every row", Assert.Throws<DataValidationException>(() => new Featurizer("y").Fit(none)).Message);
        var text = new DataTable([new NumericColumn("x", [1.0, 2]), new TextColumn("y", ["a b", "c d"])]);
        Assert.Contains("is Text", Assert.Throws<DataValidationException>(() => new Featurizer("y").Fit(text)).Message);
    }

    [Fact]
    public void Prediction_input_missing_or_mistyping_a_column_is_named()
    {
        var fitted = new Featurizer("Status").Fit(Credit);
        var withoutIncome = Credit.WithoutColumns("Income", "Debt");
        var error = Assert.Throws<DataValidationException>(() => fitted.Transform(withoutIncome));
        Assert.Contains("no column 'Income' (Numeric)", error.Message);
        Assert.Contains("no column 'Debt' (Numeric)", error.Message);
        var mistyped = Credit.WithColumn(CategoricalColumn.FromValues("Age", Enumerable.Range(0, Credit.RowCount).Select(i => (string?)"young").ToList()));
        Assert.Contains("column 'Age' is Categorical, but the model was trained with it as Numeric", Assert.Throws<DataValidationException>(() => fitted.Transform(mistyped)).Message);
        // Without the label column the rows featurize for prediction.
        Assert.Null(fitted.Transform(Credit.WithoutColumns("Status")).Label);
        // A label class the model never saw is named with its row.
        var newClass = Credit.Select([0, 1]).WithColumn(CategoricalColumn.FromValues("Status", ["good", "excellent"]));
        Assert.Contains("'excellent' on line 3 of", Assert.Throws<DataValidationException>(() => fitted.Transform(newClass)).Message);
    }
}
