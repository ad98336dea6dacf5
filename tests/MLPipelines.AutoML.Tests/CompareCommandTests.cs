using System.Text.Json;
using MLPipelines.Tests;

namespace MLPipelines.AutoML.Tests;

/// <summary>`mlpipelines compare` run as a user runs it: the built tool in its own process, on the shipped datasets.</summary>
public sealed class CompareCommandTests
{
    private static Cli.Result Mlpipelines(params string[] arguments) => Cli.Run(arguments);

    /// <summary>compare with the baseline alone on 2 folds, run to its end: what it says of the data, before and after any model.</summary>
    private static Cli.Result BaselineOn(string data, string label, string? task)
    {
        var run = Mlpipelines([.. new[] { "compare", "--data", data, "--label", label }, .. task is null ? [] : new[] { "--task", task }, "--folds", "2", "--models", "baseline"]);
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        return run;
    }

    [Fact]
    public void It_compares_classical_and_deep_models_and_appends_every_fold_to_the_output_file()
    {
        var folds = Path.Combine(TestData.TemporaryDirectory(), "folds.jsonl");
        var run = Mlpipelines("compare", "--data", "datasets/penguins.csv", "--label", "species", "--task", "multiclass",
            "--folds", "3", "--models", "baseline,lightgbm,resnet", "--time-limit", "20", "--output", folds);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("penguins.csv: 344 rows, 7 feature columns; predicting 'species' (multiclass), ranked by accuracy", run.Output);
        Assert.Contains("deep models train at most 20 s per fold", run.Output);
        var leaderboard = run.Output[run.Output.IndexOf("Leaderboard: accuracy on 3 folds", StringComparison.Ordinal)..];
        var rows = leaderboard.Split('\n').Where(l => l.TrimStart().StartsWith('1') || l.TrimStart().StartsWith('2') || l.TrimStart().StartsWith('3')).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Contains("Baseline", rows[2]);   // the majority class is last: 0.44
        // The AutoML verdict's rule on the defaults: a paired test on the folds, not a ranking of means.
        Assert.Matches(@"Verdict \(defaults only, no tuning\): (Classical: LightGbm is kept|Deep: ResNet beats LightGbm|Deep not judged)", leaderboard);

        var lines = File.ReadAllLines(folds);
        Assert.Equal(9, lines.Length);
        var results = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(results, r => Assert.Equal("penguins.csv", r.GetProperty("dataset").GetString()));
        Assert.Equal(["Baseline", "LightGbm", "ResNet"], results.Select(r => r.GetProperty("result").GetProperty("Candidate").GetString()).Distinct());
        Assert.All(results, r => Assert.InRange(r.GetProperty("result").GetProperty("Metric").GetDouble(), 0.4, 1.0));
        Assert.All(results.Where(r => r.GetProperty("result").GetProperty("Family").GetString() == "Deep"),
            r => Assert.Contains("epochs, best", r.GetProperty("result").GetProperty("Note").GetString()));
    }

    /// <summary>penguins as pandas' to_csv writes it (the index first, unnamed): penguins are sorted by species, so as a feature the row number would give the label away.</summary>
    [Fact]
    public void Row_names_in_an_unnamed_first_column_are_not_a_feature_and_are_said_to_be_left_out()
    {
        var indexed = TestData.EditedCopy("penguins", "penguins-indexed.csv", (line, i) => i == 0 ? "," + line : $"{i - 1},{line}");

        var run = BaselineOn(indexed, "species", "multiclass");

        Assert.Contains("penguins-indexed.csv: 344 rows, 7 feature columns;", run.Output);
        Assert.Contains("not used by the models: the first column (unnamed: row names, as pandas and R write them)", run.Output);
    }

    /// <summary>
    /// concrete as a spreadsheet in a decimal-comma locale may write it: semicolons, and its first 1,005 rows whole numbers, so
    /// that detection sees no decimal comma in the rows it reads; --decimal-marker says what detection cannot know.
    /// </summary>
    [Fact]
    public void The_separator_and_decimal_marker_can_be_given_where_detection_cannot_tell()
    {
        var european = TestData.EditedCopy("concrete", "concrete-semicolons.csv", (line, i) => string.Join(';', line.Split(',')
            .Select(v => i == 0 ? v : i <= 1005 ? ((int)double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToString() : v.Replace('.', ','))));

        var detected = Mlpipelines("compare", "--data", european, "--label", "compressive_strength", "--folds", "2", "--models", "baseline");
        Assert.NotEqual(0, detected.ExitCode);
        Assert.Contains("line 1007, column 'cement': '252,1' is not a number with a decimal point but one with a decimal comma, which the file's first rows did not show", detected.Error);
        Assert.DoesNotContain("ColumnTypes", detected.Error);   // declaring another type is not the fix
        Assert.Contains("--decimal-marker", detected.Error);

        var given = Mlpipelines("compare", "--data", european, "--label", "compressive_strength", "--folds", "2", "--models", "baseline",
            "--separator", ";", "--decimal-marker", ",");
        Assert.True(given.ExitCode == 0, given.Output + given.Error);
        Assert.Contains("concrete-semicolons.csv: 1,030 rows, 8 feature columns", given.Output);

        var wrong = Mlpipelines("compare", "--data", european, "--label", "compressive_strength", "--separator", "ab");
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains("--separator 'ab' is not a separator", wrong.Error);
        var both = Mlpipelines("compare", "--data", european, "--label", "compressive_strength", "--separator", ",", "--decimal-marker", ",");
        Assert.NotEqual(0, both.ExitCode);
        Assert.Contains("--separator and --decimal-marker are both ','", both.Error);
    }

    /// <summary>
    /// concrete with a word in row 1,010 of its age column, past the 1,000 values inference reads: the error says where, and
    /// how to declare the type on the command line; declared so, the column is a category.
    /// </summary>
    [Fact]
    public void A_column_type_the_first_rows_do_not_show_can_be_declared_on_the_command_line()
    {
        var aged = TestData.EditedCopy("concrete", "concrete-aged.csv", (line, i) => i == 1010 ? string.Join(',', line.Split(',')[..^2]) + ",old," + line.Split(',')[^1] : line);

        var inferred = Mlpipelines("compare", "--data", aged, "--label", "compressive_strength", "--folds", "2", "--models", "baseline");
        Assert.NotEqual(0, inferred.ExitCode);
        Assert.Contains("line 1011, column 'age': 'old' is not a number", inferred.Error);
        Assert.Contains("--column-types age=categorical on the command line", inferred.Error);

        var declared = Mlpipelines("compare", "--data", aged, "--label", "compressive_strength", "--folds", "2", "--models", "baseline",
            "--column-types", "age=categorical");
        Assert.True(declared.ExitCode == 0, declared.Output + declared.Error);
        Assert.Contains("concrete-aged.csv: 1,030 rows, 8 feature columns", declared.Output);

        foreach (var (given, error) in new[]
                 {
                     ("age", "--column-types 'age': give a column and its type as name=type"),
                     ("age=category", "--column-types age=category: 'category' is not a type: numeric, categorical, text or boolean"),
                     ("age=text,age=categorical", "--column-types names 'age' twice"),
                 })
        {
            var wrong = Mlpipelines("compare", "--data", aged, "--label", "compressive_strength", "--column-types", given);
            Assert.NotEqual(0, wrong.ExitCode);
            Assert.Contains(error, wrong.Error);
        }
        var absent = Mlpipelines("compare", "--data", aged, "--label", "compressive_strength", "--models", "baseline", "--column-types", "aeg=categorical");
        Assert.NotEqual(0, absent.ExitCode);
        Assert.Contains("column 'aeg': a type is declared for this column but the file has no such column", absent.Error);
    }

    /// <summary>A date in every row, each a different day: a category would be an identifier, left out; as a day count it is a feature.</summary>
    [Fact]
    public void A_column_of_iso_dates_is_a_feature()
    {
        var dated = TestData.EditedCopy("concrete", "concrete-dated.csv", (line, i) => $"{(i == 0 ? "cast" : new DateOnly(2000, 1, 1).AddDays(i).ToString("yyyy-MM-dd"))},{line}");

        var run = BaselineOn(dated, "compressive_strength", "regression");

        Assert.Contains("concrete-dated.csv: 1,030 rows, 9 feature columns;", run.Output);
        Assert.DoesNotContain("not used by the models", run.Output);
    }

    /// <summary>A binary model says true and false: which class is which is said before anything trains.</summary>
    [Fact]
    public void A_binary_label_says_which_class_is_true()
    {
        var run = BaselineOn("datasets/attrition.csv", "Attrition", "binary");

        Assert.Contains("'Attrition': 'Yes' is true (Probability is its probability), 'No' false", run.Output);
        Assert.DoesNotContain("is true", BaselineOn("datasets/penguins.csv", "species", "multiclass").Output);
    }

    /// <summary>concrete's strength has fractions: a regression, read off the label when no --task is given.</summary>
    [Fact]
    public void Without_a_task_the_label_decides_it_and_the_reason_is_printed()
    {
        var run = BaselineOn("datasets/concrete.csv", "compressive_strength", task: null);

        Assert.Contains("predicting 'compressive_strength' (regression), ranked by RMSE", run.Output);
        Assert.Contains("task: regression, inferred: 'compressive_strength' holds numbers, not all whole; --task chooses another", run.Output);
        // A given task is not second-guessed, and nothing is said of it.
        var given = BaselineOn("datasets/concrete.csv", "compressive_strength", "regression");
        Assert.DoesNotContain("inferred", given.Output);
    }

    [Fact]
    public void A_missing_label_column_is_an_error_that_lists_the_columns()
    {
        var run = Mlpipelines("compare", "--data", "datasets/penguins.csv", "--label", "Species", "--task", "multiclass");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("has no column 'Species'", run.Error);
        Assert.Contains("bill_length_mm", run.Error);
        Assert.DoesNotContain("Leaderboard", run.Output);
    }

    /// <summary>Before anything trains, the columns no model will see are named with the reason: here an identifier added to penguins.</summary>
    [Fact]
    public void The_columns_no_model_sees_are_named_with_the_reason_before_the_folds()
    {
        var tagged = TestData.EditedCopy("penguins", "penguins-tagged.csv", (line, i) => $"{line},{(i == 0 ? "tag" : $"P-{i:D4}")}");

        var run = BaselineOn(tagged, "species", "multiclass");

        var header = run.Output[..run.Output.IndexOf("Baseline  ", StringComparison.Ordinal)];
        Assert.Contains("not used by the models: tag (an identifier: 344 distinct values in 344 rows, each level seen about once)", header);
    }

    /// <summary>--exclude keeps columns from the models (said with the others not used); a column not in the file, or the label, is an error.</summary>
    [Fact]
    public void Excluded_columns_are_left_out_and_a_wrong_name_or_the_label_is_refused()
    {
        string[] Compare(string exclude) =>
            ["compare", "--data", "datasets/penguins.csv", "--label", "species", "--task", "multiclass", "--folds", "2", "--models", "baseline", "--exclude", exclude];

        var run = Mlpipelines(Compare("year, island"));
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("penguins.csv: 344 rows, 5 feature columns", run.Output);
        Assert.Contains("not used by the models: year (excluded); island (excluded)", run.Output);

        var typo = Mlpipelines(Compare("yaer"));
        Assert.Equal(2, typo.ExitCode);
        Assert.Contains("--exclude names 'yaer', which is not a column of penguins.csv (did you mean 'year'? columns: species, island,", typo.Error);
        var label = Mlpipelines(Compare("species"));
        Assert.Equal(2, label.ExitCode);
        Assert.Contains("--exclude names the label 'species'", label.Error);
    }

    /// <summary>Rows without a label are left out and counted: every trainer refuses them, so each fold of each model failed before.</summary>
    [Fact]
    public void Rows_without_a_label_are_left_out_and_counted()
    {
        var partly = TestData.EditedCopy("penguins", "penguins-partly.csv", (line, i) => i is 4 or 8 ? "NA" + line[line.IndexOf(',')..] : line);

        var run = BaselineOn(partly, "species", "multiclass");

        Assert.Contains("penguins-partly.csv: 342 rows (2 rows without a label left out), 7 feature columns", run.Output);
        Assert.DoesNotContain("failed", run.Output);
    }

    [Fact]
    public void An_unknown_model_is_an_error_that_lists_the_models()
    {
        var run = Mlpipelines("compare", "--data", "datasets/penguins.csv", "--label", "species", "--task", "multiclass", "--models", "xgboost,catboost");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("there is no model 'catboost'", run.Error);
        Assert.Contains("ft-transformer", run.Error);
    }

    [Fact]
    public void A_missing_file_and_a_malformed_csv_are_errors_that_say_where()
    {
        var missing = Mlpipelines("compare", "--data", "datasets/no-such-file.csv", "--label", "y", "--task", "regression");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no-such-file.csv does not exist", missing.Error);

        var ragged = Path.Combine(TestData.TemporaryDirectory(), "ragged.csv");
        File.WriteAllText(ragged, "x,y\n1,2\n3,4,5\n");
        var run = Mlpipelines("compare", "--data", ragged, "--label", "y", "--task", "regression");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("line 3", run.Error);
    }

    [Fact]
    public void A_task_that_is_not_one_of_the_three_is_refused()
    {
        var run = Mlpipelines("compare", "--data", "datasets/penguins.csv", "--label", "species", "--task", "ranking");
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("ranking", run.Error);
    }

    [Theory]
    [InlineData("--folds", "1", "cross-validation needs at least 2 folds, got 1")]
    [InlineData("--folds", "100000", "100000 folds need at least 200000 rows (2 held out per fold); the data has 344")]
    [InlineData("--time-limit", "-5", "the time limit must be positive")]
    public void Settings_that_cannot_work_are_one_clear_message_before_anything_trains(string option, string value, string message)
    {
        var run = Mlpipelines("compare", "--data", "datasets/penguins.csv", "--label", "species", "--task", "multiclass", "--models", "baseline", option, value);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"error: {message}", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
        Assert.DoesNotContain("fold 1", run.Output);
    }

    [Fact]
    public void A_label_that_does_not_fit_the_task_is_refused_before_anything_trains()
    {
        var binary = Mlpipelines("compare", "--data", "datasets/penguins.csv", "--label", "species", "--task", "binary", "--models", "baseline");
        var regression = Mlpipelines("compare", "--data", "datasets/penguins.csv", "--label", "species", "--task", "regression", "--models", "baseline");

        Assert.Equal(2, binary.ExitCode);
        Assert.Contains("binary classification needs two classes, but the label 'species' has 3 (Adelie, Chinstrap, Gentoo): use multiclass", binary.Error);
        Assert.Equal(2, regression.ExitCode);
        Assert.Contains("regression needs a numeric label", regression.Error);
        Assert.DoesNotContain("fold 1", binary.Output + regression.Output);

        // One class: nothing to predict, whichever the classification task ("use multiclass" was the advice for binary).
        var adelie = TestData.EditedCopy("penguins", "adelie.csv", (line, _) => line.StartsWith("\"Chinstrap") || line.StartsWith("\"Gentoo") ? null : line);
        foreach (var task in new[] { "binary", "multiclass" })
        {
            var single = Mlpipelines("compare", "--data", adelie, "--label", "species", "--task", task, "--models", "baseline");
            Assert.Equal(2, single.ExitCode);
            Assert.Contains("the label 'species' has a single class (Adelie): a classifier needs at least two", single.Error);
        }
    }
}
