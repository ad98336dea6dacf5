using MLPipelines.Data.Csv;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using MLPipelines.Tests;

namespace MLPipelines.AutoML.Tests;

/// <summary>`mlpipelines automl` run as a user runs it: the built tool in its own process, on the shipped datasets.</summary>
public sealed class AutoMLCommandTests
{
    /// <summary>A deterministic experiment (a trial limit, no time budget, one thread): classical candidates only, so that it takes seconds.</summary>
    private static string[] Concrete(string output) =>
    [
        "automl", "--data", "datasets/concrete.csv", "--label", "compressive_strength", "--task", "regression", "--folds", "3", "--seed", "3",
        "--threads", "1", "--trials", "6", "--models", "linear,lightgbm,xgboost", "--output", output,
    ];

    /// <summary>Each stored trial: number, candidate, configuration, status and fold metrics.</summary>
    private static List<string> StoredTrials(string store)
    {
        using var connection = new SqliteConnection($"Data Source={store};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT t.number, t.candidate, coalesce(t.configuration, ''), t.status, group_concat(f.metric, ',')
            FROM trials t LEFT JOIN (SELECT * FROM folds ORDER BY trial, fold) f ON f.trial = t.number GROUP BY t.number ORDER BY t.number;
            """;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add($"{reader.GetInt64(0)} {reader.GetString(1)} {reader.GetString(2)} {reader.GetString(3)} {reader.GetValue(4)}");
        return rows;
    }

    private static int FinishedTrials(string store)
    {
        if (!File.Exists(store)) return 0;
        try
        {
            return StoredTrials(store).Count(t => !t.Contains(" Running "));
        }
        catch (SqliteException)
        {
            return 0;   // the tables are not created yet
        }
    }

    [Fact]
    public void Killed_at_any_moment_the_same_command_resumes_without_rerunning_finished_trials_and_ends_as_an_uninterrupted_run()
    {
        var root = TestData.TemporaryDirectory();
        var uninterrupted = Cli.Run(Concrete(Path.Combine(root, "a")));
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Output + uninterrupted.Error);
        var expected = StoredTrials(Path.Combine(root, "a", "trials.db"));
        Assert.Equal(6, expected.Count);

        var killedOutput = Path.Combine(root, "b");
        var store = Path.Combine(killedOutput, "trials.db");
        using (var process = Cli.Start(Concrete(killedOutput)))
        {
            var clock = Stopwatch.StartNew();
            while (FinishedTrials(store) < 2 && !process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(3)) Thread.Sleep(50);
            Assert.False(process.HasExited, "the experiment ended before it could be killed");
            process.Kill();   // SIGKILL: no handler runs
            process.WaitForExit();
        }
        var beforeResume = StoredTrials(store);
        Assert.InRange(beforeResume.Count(t => !t.Contains(" Running ")), 2, 5);

        var resumed = Cli.Run(Concrete(killedOutput));

        Assert.True(resumed.ExitCode == 0, resumed.Output + resumed.Error);
        var finishedBefore = beforeResume.Count(t => !t.Contains(" Running "));
        Assert.Contains($"resuming: {finishedBefore} finished trial(s) read from", resumed.Output);
        Assert.DoesNotContain("trial 1:", resumed.Output);
        Assert.Equal(expected, StoredTrials(store));
        Assert.Equal(Verdict(uninterrupted.Output), Verdict(resumed.Output));

        Assert.Contains("<html", File.ReadAllText(Path.Combine(killedOutput, "report.html")));
        // The champion is an ML.NET model file that `predict` scores.
        var scored = Path.Combine(root, "scored.csv");
        var predict = Cli.Run("predict", "--model", Path.Combine(killedOutput, "champion.zip"), "--input", "datasets/concrete.csv", "--output", scored);
        Assert.True(predict.ExitCode == 0, predict.Output + predict.Error);
        Assert.Contains("Score", File.ReadLines(scored).First());
    }

    private static string Verdict(string output) => output.Split('\n').Single(l => l.StartsWith("Verdict: ", StringComparison.Ordinal));

    [Fact]
    public void SIGTERM_keeps_the_finished_trials_and_prints_the_summary()
    {
        var output = Path.Combine(TestData.TemporaryDirectory(), "run");
        var store = Path.Combine(output, "trials.db");
        using var process = Cli.Start("automl", "--data", "datasets/concrete.csv", "--label", "compressive_strength", "--task", "regression",
            "--folds", "3", "--threads", "1", "--budget", "10m", "--models", "linear,xgboost,lightgbm", "--output", output);
        var clock = Stopwatch.StartNew();
        while (FinishedTrials(store) < 1 && !process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(3)) Thread.Sleep(50);
        Assert.False(process.HasExited);

        Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();
        var text = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)));

        Assert.Equal(143, process.ExitCode);
        Assert.Contains("Leaderboard: RMSE on 3 folds", text);
        Assert.Contains("terminated: ", text);
        Assert.Contains("run the same command again to resume", text);
        Assert.True(FinishedTrials(store) >= 1);
    }

    [Theory]
    [InlineData("--budget", "0", "--budget must be positive, got '0'")]
    [InlineData("--budget", "-5", "--budget '-5' is not a duration")]
    [InlineData("--budget", "soon", "--budget 'soon' is not a duration: write e.g. 300, 300s, 5m, 1.5h or 1h30m")]
    [InlineData("--trials", "0", "the trial limit must be 1 or more, got 0")]
    [InlineData("--folds", "1", "cross-validation needs at least 2 folds, got 1")]
    [InlineData("--folds", "100000", "100000 folds need at least 200000 rows (2 held out per fold); the data has 1030")]
    [InlineData("--models", "xgboost,catboost", "there is no model 'catboost'; the models are: baseline, linear,")]
    [InlineData("--label", "strength", "has no column 'strength' (columns: cement,")]
    public void Bad_settings_are_one_clear_message_and_nothing_trains(string option, string value, string message)
    {
        var output = Path.Combine(TestData.TemporaryDirectory(), "run");
        string[] arguments = ["automl", "--data", "datasets/concrete.csv", "--label", "compressive_strength", "--task", "regression", "--budget", "1m", "--output", output];
        var index = Array.IndexOf(arguments, option);
        if (index >= 0) arguments[index + 1] = value;
        else arguments = [.. arguments, option, value];

        var run = Cli.Run(arguments);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ", run.Error);
        Assert.Contains(message, run.Error);
        Assert.DoesNotContain("   at ", run.Error);
        Assert.DoesNotContain("trial 1", run.Output);
    }

    /// <summary>What was left out of the data (rows without a label, an identifier) is said on the console, in the report and in result.json.</summary>
    [Fact]
    public void What_was_left_out_of_the_data_is_said_on_the_console_in_the_report_and_in_the_result_file()
    {
        var data = TestData.EditedCopy("penguins", "penguins-tagged.csv",
            (line, i) => (i is 4 or 8 ? "NA" + line[line.IndexOf(',')..] : line) + (i == 0 ? ",tag" : $",P-{i:D4}"));
        var output = Path.Combine(Path.GetDirectoryName(data)!, "run");

        var run = Cli.Run("automl", "--data", data, "--label", "species", "--task", "multiclass", "--models", "baseline,linear", "--trials", "2",
            "--folds", "2", "--repeats", "1", "--threads", "1", "--output", output);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        const string unlabeled = "2 rows without a label left out";
        const string unused = "not used by the models: tag (an identifier: 342 distinct values in 342 rows, each level seen about once)";
        Assert.StartsWith($"penguins-tagged.csv: 342 rows ({unlabeled}); predicting 'species'", run.Output);
        Assert.Contains(unused, run.Output);
        using var result = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "result.json")));
        Assert.Equal([unlabeled, unused], result.RootElement.GetProperty("data_notes").EnumerateArray().Select(n => n.GetString()));
        var report = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.Contains(unlabeled, report);
        Assert.Contains("not used by the models: tag (an identifier", report);
    }

    /// <summary>Without --task the task is read off the label: digits' label is whole numbers with 10 values, so classes, not a quantity.</summary>
    [Fact]
    public void Without_a_task_the_label_decides_it_and_the_reason_is_said_on_the_console_and_in_the_result_file()
    {
        var output = Path.Combine(TestData.TemporaryDirectory(), "run");

        var run = Cli.Run("automl", "--data", "datasets/sklearn_digits.csv", "--label", "label", "--models", "baseline,linear", "--trials", "2",
            "--folds", "2", "--repeats", "1", "--threads", "1", "--output", output);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        const string inferred = "task: multiclass, inferred: 'label' holds whole numbers, 10 distinct in 1,797 rows (few: classes); --task chooses another";
        var lines = run.Output.Split('\n');
        Assert.StartsWith("sklearn_digits.csv: 1,797 rows; predicting 'label' (multiclass), scored by accuracy", lines[0]);
        Assert.Equal(inferred, lines[1].TrimEnd());
        using var result = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "result.json")));
        // Three pixels are 0 in every image: no model can learn from them.
        const string unused = "not used by the models: pixel_0_0 (one value in every training row (0)); pixel_4_0 (one value in every training row (0)); " +
                              "pixel_4_7 (one value in every training row (0))";
        Assert.Equal([inferred, unused], result.RootElement.GetProperty("data_notes").EnumerateArray().Select(n => n.GetString()));
    }

    /// <summary>A binary label of text: automl says which class is true, and its champion's predictions name the class itself.</summary>
    [Fact]
    public void A_binary_labels_classes_are_said_and_the_saved_champion_writes_the_predicted_class()
    {
        var output = Path.Combine(TestData.TemporaryDirectory(), "run");

        var run = Cli.Run("automl", "--data", "datasets/attrition.csv", "--label", "Attrition", "--task", "binary", "--models", "baseline,linear", "--trials", "2",
            "--folds", "2", "--repeats", "1", "--threads", "1", "--output", output);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        const string classes = "'Attrition': 'Yes' is true (Probability is its probability), 'No' false; the saved models also write the class, as PredictedClass";
        Assert.Equal(classes, run.Output.Split('\n')[1].TrimEnd());
        using var result = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "result.json")));
        Assert.Contains(classes, result.RootElement.GetProperty("data_notes").EnumerateArray().Select(n => n.GetString()));

        var scored = Path.Combine(output, "scored.csv");
        var predict = Cli.Run("predict", "--model", Path.Combine(output, "champion.zip"), "--input", "datasets/attrition.csv", "--output", scored);
        Assert.True(predict.ExitCode == 0, predict.Output + predict.Error);
        var rows = CsvReader.Read(scored);
        for (var row = 0; row < rows.RowCount; row++)
            Assert.Equal(bool.Parse(rows["PredictedLabel"].Format(row)!) ? "Yes" : "No", rows["PredictedClass"].Format(row));
    }

    /// <summary>small_fine_foods holds a product code, distinct in every row, and free text: no column a model can use.</summary>
    [Fact]
    public void A_table_without_a_column_the_models_can_use_is_refused_with_each_columns_reason_before_anything_trains()
    {
        var output = Path.Combine(TestData.TemporaryDirectory(), "run");
        var run = Cli.Run("automl", "--data", "datasets/small_fine_foods.csv", "--label", "score", "--task", "binary", "--budget", "1m", "--output", output);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: no column can be a feature: besides the label 'score' there are only ", run.Error);
        Assert.Contains("product (an identifier: 5,000 distinct values in 5,000 rows", run.Error);
        Assert.Contains("review (free text", run.Error);
        Assert.DoesNotContain("trial 1", run.Output);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void A_binary_task_on_a_three_class_label_is_refused_before_anything_trains()
    {
        var run = Cli.Run("automl", "--data", "datasets/penguins.csv", "--label", "species", "--task", "binary", "--budget", "1m",
            "--output", Path.Combine(TestData.TemporaryDirectory(), "run"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("binary classification needs two classes, but the label 'species' has 3", run.Error);
    }
}
