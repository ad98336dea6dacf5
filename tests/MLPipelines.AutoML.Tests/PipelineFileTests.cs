using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.ML;
using MLPipelines.AutoML.Search;
using MLPipelines.Cli.Experiments;
using MLPipelines.Cli.Shared;
using MLPipelines.Data;
using MLPipelines.Data.Csv;
using MLPipelines.Tests;
using MLPipelines.Trainers;

namespace MLPipelines.AutoML.Tests;

/// <summary>
/// Pipeline files (<c>mlpipelines run pipelines/x.yaml</c>): the shipped ones describe runnable
/// experiments, a mistake is one message naming its file, line and key, and one tiny file runs
/// end to end through the built tool.
/// </summary>
public sealed class PipelineFileTests : IDisposable
{
    private readonly string _directory = TestData.TemporaryDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Concrete => TestData.PathOf("concrete");

    /// <summary>The text written as x.yaml in a scratch folder, "{concrete}" standing for the dataset's absolute path.</summary>
    private string Write(string text, string name = "x.yaml")
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text.Replace("{concrete}", Concrete));
        return path;
    }

    private static PipelineFileException Refused(string path) => Assert.Throws<PipelineFileException>(() => PipelineFile.Read(path));

    /// <summary>The shipped files of the CSV datasets (the images' file has its own test).</summary>
    public static TheoryData<string> ShippedFiles() =>
        [.. Directory.GetFiles(Path.Combine(TestData.Root, "pipelines"), "*.yaml").Select(f => Path.GetFileName(f)).Where(f => f != ImagesFile).Order()];

    private const string ImagesFile = "fashion-mnist-slice.yaml";

    [Fact]
    public void The_shipped_images_file_compares_the_image_candidates_on_the_fashion_mnist_slice()
    {
        var job = PipelineFile.Read(Path.Combine(TestData.Root, "pipelines", ImagesFile));

        Assert.True(job.Images);
        Assert.Equal(Path.Combine(TestData.Root, "datasets", "fashion-mnist-slice"), job.Data);
        Assert.Equal(64, job.ImageSize);
        Assert.Equal(PredictionTask.MulticlassClassification, job.Task);
        Assert.Equal(Path.GetFullPath("automl-fashion-mnist-slice"), job.Output);
        var images = new ImageInput(job.Data, job.ImageSize);
        Assert.Equal(["Baseline", "XGBoost", "LightGbm", "Small CNN", "ResNet-18 frozen", "ResNet-18 fine-tuned"], job.Candidates(images).Select(c => c.Name));
        Assert.Equal(1000, images.Images.Count);
    }

    [Theory]
    [InlineData("images: {slice}\nlabel: Label\n", "line 2: 'label': is for a CSV ('data')")]
    [InlineData("images: {slice}\ntask: regression\n", "line 2: 'task': is for a CSV ('data')")]
    [InlineData("images: {slice}\nexclude: [pixel0]\n", "line 2: 'exclude': is for a CSV ('data'): images have no columns to leave out")]
    [InlineData("images: {slice}\ncandidates: [xgboost, mlp]\n", "line 2: 'candidates': there is no model 'mlp'; the models are: baseline, xgboost, lightgbm, small-cnn")]
    [InlineData("images: {slice}\nsearch_spaces:\n  small-cnn: {}\n", "line 3: 'search_spaces': small-cnn has no search space to override (it runs with its defaults); the models with one are: xgboost, lightgbm")]
    [InlineData("images: slice-not-here\n", "line 1: 'images': ")]
    [InlineData("images: {slice}\nseparator: ';'\n", "line 2: 'separator': is for a CSV ('data'): images are not read as one")]
    [InlineData("data: {concrete}\nlabel: compressive_strength\ntask: regression\nimage_size: 64\n", "line 4: 'image_size': is for 'images'")]
    public void An_images_file_refuses_what_is_for_a_csv_and_names_the_image_models(string text, string message)
    {
        var path = Write(text.Replace("{slice}", Path.Combine(TestData.Root, "datasets", "fashion-mnist-slice")));
        var error = Refused(path);
        Assert.True(error.Message.StartsWith($"{path} {message}", StringComparison.Ordinal), error.Message);
    }

    [Theory]
    [MemberData(nameof(ShippedFiles))]
    public void A_shipped_file_is_a_valid_job_on_its_dataset(string file)
    {
        var path = Path.Combine(TestData.Root, "pipelines", file);
        var dataset = Path.GetFileNameWithoutExtension(file);

        var job = PipelineFile.Read(path);

        Assert.Equal(TestData.PathOf(dataset), job.Data);
        Assert.True(File.Exists(job.Data));
        // The header and one row: enough to know the columns without reading 58,000 rows.
        var columns = CsvReader.Parse(string.Join('\n', File.ReadLines(job.Data).Take(2))).Schema.Select(c => c.Name).ToList();
        Assert.Contains(job.Label, columns);
        var (_, target, task) = TestData.Manifest()[dataset];
        Assert.Equal(target, job.Label);
        Assert.Equal(task.Split(':')[0], DataLoading.TaskName(job.Task));
        Assert.Equal(TimeSpan.FromMinutes(dataset == "diamonds" ? 5 : 10), job.Budget);
        Assert.Null(job.Trials);
        Assert.Equal(5, job.Folds);
        Assert.Equal(0, job.Seed);
        Assert.Equal(Path.GetFullPath($"automl-{dataset}"), job.Output);
        Assert.StartsWith("# ", File.ReadLines(path).First());
        Assert.Equal(Candidate.Portfolio.Select(c => c.Name), job.Candidates().Select(c => c.Name));
    }

    [Fact]
    public void Every_dataset_of_the_figures_has_a_file()
    {
        foreach (var dataset in new[] { "diamonds", "credit_data", "LetterRecognition", "wa_churn", "concrete", "Shuttle" })
            Assert.True(File.Exists(Path.Combine(TestData.Root, "pipelines", dataset + ".yaml")), dataset);
    }

    [Fact]
    public void Every_key_is_read_data_from_the_files_folder_and_outputs_from_the_current_directory()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "data"));
        File.Copy(Concrete, Path.Combine(_directory, "data", "c.csv"));
        var path = Write("""
            # every key
            data: data/c.csv
            label: compressive_strength
            task: regression
            exclude: [age, water]
            budget: 1h30m
            trials: 20
            folds: 3
            seed: 7
            threads: 1
            candidates: [linear, xgboost, mlp]
            search_spaces:
              xgboost:
                max_depth: [2, 6]
                learning_rate: {low: 0.01, high: 0.3}
                subsample: {low: 0.6, high: 0.9, log: true}
              mlp:
                activation: [selu]
            alpha: 0.1
            margin: 2
            output: out
            store: out/s.db
            model: m.zip
            report: r.html
            finalists: f
            unlabeled: data/c.csv
            """);

        var job = PipelineFile.Read(path);

        Assert.Equal(Path.Combine(_directory, "data", "c.csv"), job.Data);
        Assert.Equal(("compressive_strength", PredictionTask.Regression), (job.Label, job.Task));
        Assert.Equal(["age", "water"], job.Exclude);
        Assert.Equal(TimeSpan.FromMinutes(90), job.Budget);
        Assert.Equal((20, 3, 7, 1), (job.Trials, job.Folds, job.Seed, job.Threads));
        Assert.Equal((0.1, 0.02), (job.Alpha, job.Margin));
        Assert.Equal(new[] { "out", "out/s.db", "m.zip", "r.html", "f" }.Select(p => Path.GetFullPath(p)), new[] { job.Output, job.Store, job.Model, job.Report, job.Finalists });
        Assert.Equal(Path.Combine(_directory, "data", "c.csv"), job.Unlabeled);

        var candidates = job.Candidates();
        Assert.Equal(["Linear", "XGBoost", "MLP"], candidates.Select(c => c.Name));
        var xgboost = candidates[1].SearchSpace!;
        Assert.Equal(new IntParameter("max_depth", 2, 6), xgboost["max_depth"]);
        Assert.Equal(new FloatParameter("learning_rate", 0.01, 0.3, Log: true), xgboost["learning_rate"]);   // the published log scale kept
        Assert.Equal(new FloatParameter("subsample", 0.6, 0.9, Log: true), xgboost["subsample"]);
        Assert.Equal(PublishedSearchSpaces.XGBoostSpace["alpha"], xgboost["alpha"]);                          // not named: as published
        Assert.Equal(new ChoiceParameter("activation", ["selu"]), candidates[2].SearchSpace!["activation"]);
    }

    [Fact]
    public void Without_a_budget_or_a_trial_limit_the_budget_is_five_minutes_as_on_the_command_line()
    {
        var job = PipelineFile.Read(Write("data: {concrete}\nlabel: compressive_strength\ntask: regression\n"));
        Assert.Equal(TimeSpan.FromMinutes(5), job.Budget);
        Assert.Null(job.Candidates().FirstOrDefault(c => c.Name == "FastTree"));

        var limited = PipelineFile.Read(Write("data: {concrete}\nlabel: compressive_strength\ntask: regression\ntrials: 4\n"));
        Assert.Null(limited.Budget);
    }

    [Fact]
    public void The_example_in_the_pipelines_readme_is_a_valid_job()
    {
        var readme = File.ReadAllText(Path.Combine(TestData.Root, "pipelines", "README.md"));
        var example = Regex.Match(readme, "```yaml\n(.*?)```", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("search_spaces:", example);

        var job = PipelineFile.Read(Write(example.Replace("../datasets/concrete.csv", "{concrete}")));

        Assert.NotEmpty(job.SearchSpaces);
        Assert.NotEmpty(job.Candidates());
    }

    // Lines are counted from 1 in the text as written (before "{concrete}" is replaced, which does not add lines).
    [Theory]
    [InlineData("unknown key", "data: {concrete}\nlabel: compressive_strength\ntask: regression\nlable: price\n",
        "line 4: unknown key 'lable' (the keys are: data, label, task, exclude, separator, decimal_marker, column_types, images, image_size, budget, trials, folds, repeats, seed, threads, candidates, search_spaces, successive_halving, alpha, margin, output, store, model, report, finalists, pretrained, unlabeled)")]
    [InlineData("bad duration", "data: {concrete}\nlabel: compressive_strength\ntask: regression\nbudget: 5 minutes\n",
        "line 4: 'budget': '5 minutes' is not a duration: write e.g. 300, 300s, 5m, 1.5h or 1h30m")]
    [InlineData("zero duration", "data: {concrete}\nlabel: compressive_strength\ntask: regression\nbudget: 0\n", "line 4: 'budget': must be positive, got '0'")]
    [InlineData("bad separator", "data: {concrete}\nlabel: compressive_strength\nseparator: ';;'\n", "line 3: 'separator': ';;' is not a separator: give one character, or \"tab\"")]
    [InlineData("bad decimal marker", "data: {concrete}\nlabel: compressive_strength\ndecimal_marker: ';'\n", "line 3: 'decimal_marker': must be . or , (quoted: ','), got ';'")]
    [InlineData("decimal marker the separator", "data: {concrete}\nlabel: compressive_strength\nseparator: ','\ndecimal_marker: ','\n",
        "line 4: 'decimal_marker': is ',', the separator too")]
    [InlineData("column types a list", "data: {concrete}\nlabel: compressive_strength\ncolumn_types: [age]\n", "line 3: 'column_types': must be a mapping of columns to types, e.g. {zip: categorical}, not a list")]
    [InlineData("unknown column type", "data: {concrete}\nlabel: compressive_strength\ncolumn_types:\n  age: category\n",
        "line 4: 'column_types': age: 'category' is not a type: numeric, categorical, text or boolean")]
    [InlineData("bad task", "data: {concrete}\nlabel: compressive_strength\ntask: regresion\n", "line 3: 'task': must be one of regression, binary, multiclass, got 'regresion'")]
    [InlineData("syntax: indentation", "data: {concrete}\n  label: compressive_strength\ntask: regression\n", "line 2: not valid YAML (")]
    [InlineData("syntax: a bracket left open", "data: {concrete}\nlabel: [compressive_strength\ntask: regression\n", "line 3: not valid YAML (is a bracket or a quote left open?)")]
    [InlineData("key twice", "data: {concrete}\nlabel: compressive_strength\ntask: regression\nlabel: price\n", "line 4: the key 'label' is given twice")]
    [InlineData("not a mapping", "- data\n- label\n", "line 1: a pipeline file is a mapping of keys to values")]
    [InlineData("no value", "data: {concrete}\nlabel:\ntask: regression\n", "line 2: 'label': has no value")]
    [InlineData("data not found", "data: concrete.csv\nlabel: compressive_strength\ntask: regression\n", "line 1: 'data': ")]
    [InlineData("checkpoint not found", "data: {concrete}\nlabel: compressive_strength\ntask: regression\npretrained: nowhere.ckpt\n", "line 4: 'pretrained': ")]
    [InlineData("a list for a number", "data: {concrete}\nlabel: compressive_strength\ntask: regression\nfolds: [3]\n", "line 4: 'folds': must be a single value, not a list")]
    [InlineData("one fold", "data: {concrete}\nlabel: compressive_strength\ntask: regression\nfolds: 1\n", "line 4: 'folds': must be 2 or more, got 1")]
    [InlineData("trials not a number", "data: {concrete}\nlabel: compressive_strength\ntask: regression\ntrials: many\n", "line 4: 'trials': 'many' is not a whole number")]
    [InlineData("alpha out of range", "data: {concrete}\nlabel: compressive_strength\ntask: regression\nalpha: 5\n", "line 4: 'alpha': must lie between 0 and 1 (exclusive), got 5")]
    [InlineData("unknown candidate", "data: {concrete}\nlabel: compressive_strength\ntask: regression\ncandidates:\n  - linear\n  - catboost\n",
        "line 6: 'candidates': there is no model 'catboost'; the models are: baseline, linear,")]
    [InlineData("search space of an unknown candidate", "data: {concrete}\nlabel: compressive_strength\ntask: regression\nsearch_spaces:\n  catboost:\n    depth: [2, 4]\n",
        "line 5: 'search_spaces': there is no model 'catboost'; the models with a search space are: lightgbm, xgboost, mlp, resnet, ft-transformer, tabm")]
    [InlineData("search space of a candidate without one", "data: {concrete}\nlabel: compressive_strength\ntask: regression\nsearch_spaces:\n  linear: {}\n",
        "line 5: 'search_spaces': linear has no search space to override")]
    [InlineData("search space of a candidate not run", "data: {concrete}\nlabel: compressive_strength\ntask: regression\ncandidates: [linear, xgboost]\nsearch_spaces:\n  mlp:\n    activation: [selu]\n",
        "line 6: 'search_spaces': mlp is not among the candidates (linear, xgboost)")]
    [InlineData("unknown parameter", "data: {concrete}\nlabel: compressive_strength\ntask: regression\nsearch_spaces:\n  xgboost:\n    depth: [2, 4]\n",
        "line 6: 'search_spaces.xgboost': xgboost has no parameter 'depth' (its parameters: max_depth, min_child_weight, subsample, learning_rate, colsample_bytree, lambda, alpha)")]
    [InlineData("a range of three", "data: {concrete}\nlabel: compressive_strength\ntask: regression\nsearch_spaces:\n  xgboost:\n    max_depth: [2, 4, 6]\n",
        "line 6: 'search_spaces.xgboost.max_depth': must be a range, [low, high] or {low: , high: , log: true}; published: [1, 11]")]
    [InlineData("a single number for a range", "data: {concrete}\nlabel: compressive_strength\ntask: regression\nsearch_spaces:\n  xgboost:\n    learning_rate: 0.1\n",
        "line 6: 'search_spaces.xgboost.learning_rate': must be a range, [low, high] or {low: , high: , log: true}; published: {low: 1E-05, high: 0.7, log: true}")]
    [InlineData("a fraction for an integer", "data: {concrete}\nlabel: compressive_strength\ntask: regression\nsearch_spaces:\n  xgboost:\n    max_depth: [2.5, 4]\n",
        "line 6: 'search_spaces.xgboost.max_depth': '2.5' is not a whole number")]
    [InlineData("bounds reversed", "data: {concrete}\nlabel: compressive_strength\ntask: regression\nsearch_spaces:\n  xgboost:\n    subsample: [0.9, 0.5]\n",
        "line 6: 'search_spaces.xgboost.subsample': its low bound 0.9 must be below its high bound 0.5")]
    [InlineData("log scale from zero", "data: {concrete}\nlabel: compressive_strength\ntask: regression\nsearch_spaces:\n  xgboost:\n    learning_rate: [0, 0.3]\n",
        "line 6: 'search_spaces.xgboost.learning_rate': it is searched on a log scale, so its low bound 0 must be positive (or say log: false)")]
    [InlineData("unknown key in a range", "data: {concrete}\nlabel: compressive_strength\ntask: regression\nsearch_spaces:\n  xgboost:\n    subsample: {low: 0.5, hi: 0.9}\n",
        "line 6: 'search_spaces.xgboost.subsample': unknown key 'hi' in a range (the keys are: low, high, log)")]
    [InlineData("a range for a choice", "data: {concrete}\nlabel: compressive_strength\ntask: regression\nsearch_spaces:\n  mlp:\n    activation: {low: 1, high: 2}\n",
        "line 6: 'search_spaces.mlp.activation': is a choice: write a list of some of its choices, e.g. [selu] (its choices: selu, mish)")]
    [InlineData("a choice not published", "data: {concrete}\nlabel: compressive_strength\ntask: regression\nsearch_spaces:\n  mlp:\n    activation:\n      - selu\n      - relu\n",
        "line 8: 'search_spaces.mlp.activation': 'relu' is not one of its choices: selu, mish")]
    public void A_mistake_is_one_message_with_the_file_line_and_key(string mistake, string text, string message)
    {
        var path = Write(text);

        var error = Refused(path);

        Assert.True(error.Message.StartsWith($"{path} {message}", StringComparison.Ordinal), $"{mistake}: {error.Message}");
    }

    [Theory]
    [InlineData("data", "label: compressive_strength\ntask: regression\n")]
    [InlineData("label", "data: {concrete}\ntask: regression\n")]
    public void A_missing_required_key_is_named(string key, string text)
    {
        var path = Write(text);
        Assert.Equal($"{path}: the key '{key}' is missing; every pipeline file needs data, label (or 'images')", Refused(path).Message);
    }

    /// <summary>Without 'task' the label's values decide it, as automl without --task does, and the job says how.</summary>
    [Fact]
    public void Without_a_task_the_labels_values_decide_it()
    {
        var regression = PipelineFile.Read(Write("data: {concrete}\nlabel: compressive_strength\n"));
        Assert.Equal(PredictionTask.Regression, regression.Task);
        Assert.Equal("numbers, not all whole", regression.InferredTask!.Reason);
        Assert.EndsWith("; a 'task' key chooses another", DataLoading.Describe(regression.Label, regression.InferredTask, regression.TaskChooser));
        var multiclass = PipelineFile.Read(Write($"data: {TestData.PathOf("penguins")}\nlabel: species\n"));
        Assert.Equal(PredictionTask.MulticlassClassification, multiclass.Task);
        Assert.Null(PipelineFile.Read(Write("data: {concrete}\nlabel: compressive_strength\ntask: regression\n")).InferredTask);

        var path = Write("data: {concrete}\nlabel: strength\n");
        Assert.StartsWith($"{path} line 2: no 'task' is given and the label's values cannot decide it: ", Refused(path).Message);
        Assert.Contains("has no column 'strength'", Refused(path).Message);
    }

    /// <summary>
    /// concrete as a decimal-comma spreadsheet writes it, its first rows whole numbers (detection cannot tell), and a word in a
    /// later row of 'age': the file's CSV keys read it; the command line's options go over them.
    /// </summary>
    [Fact]
    public void The_csv_keys_say_how_the_data_is_read_and_the_command_line_goes_over_them()
    {
        var european = TestData.EditedCopy("concrete", "concrete-european.csv", (line, i) => string.Join(';', line.Split(',')
            .Select((v, c) => i == 0 ? v : i == 1010 && c == 7 ? "old" : i <= 1005 ? ((int)double.Parse(v, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture) : v.Replace('.', ','))));
        var path = Write($"data: {european}\nlabel: compressive_strength\nseparator: ';'\ndecimal_marker: ','\ncolumn_types:\n  age: categorical\n");

        var job = PipelineFile.Read(path);
        Assert.Equal((';', ','), (job.Csv.Separator, job.Csv.DecimalMarker));
        Assert.Equal(new Dictionary<string, ColumnType> { ["age"] = ColumnType.Categorical }, job.Csv.ColumnTypes);
        Assert.Equal(PredictionTask.Regression, job.Task);   // inferred from the rows read so
        var data = DataLoading.Load(new MLContext(1), job.Data, job.Csv, job.Label, job.Task, [], out _, out _);
        Assert.Equal(1030, data.GetRowCount());

        // With the task given nothing is read here: the command line's decimal point would not read these rows.
        File.AppendAllText(path, "task: regression\n");
        var overridden = PipelineFile.Read(path, new CsvOptions { DecimalMarker = '.', ColumnTypes = new Dictionary<string, ColumnType> { ["cement"] = ColumnType.Text } });
        Assert.Equal(('.', ';'), (overridden.Csv.DecimalMarker, overridden.Csv.Separator));
        Assert.Equal(new Dictionary<string, ColumnType> { ["age"] = ColumnType.Categorical, ["cement"] = ColumnType.Text }, overridden.Csv.ColumnTypes);
    }

    [Fact]
    public void An_empty_or_absent_file_is_refused()
    {
        var empty = Write("# nothing yet\n");
        Assert.Equal($"{empty} is empty; a pipeline file needs at least data, label", Refused(empty).Message);
        var absent = Path.Combine(_directory, "absent.yaml");
        Assert.Equal($"{absent} does not exist", Refused(absent).Message);
    }

    [Fact]
    public void A_bad_file_on_the_command_line_is_one_error_line_and_exit_status_2()
    {
        var path = Write("data: {concrete}\nlabel: compressive_strength\ntask: regression\nbudget: soon\n");

        var run = Cli.Run("run", path);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: {path} line 4: 'budget': 'soon' is not a duration: write e.g. 300, 300s, 5m, 1.5h or 1h30m", run.Error.Trim());
        Assert.Equal("", run.Output);
    }

    [Fact]
    public void A_tiny_file_runs_end_to_end_through_the_built_tool()
    {
        var output = Path.Combine(_directory, "run");
        var path = Write($"""
            # concrete, three trials of the two cheapest tunable-or-not candidates
            data: {Concrete}
            label: compressive_strength
            task: regression
            trials: 3
            folds: 3
            threads: 1
            candidates: [linear, xgboost]
            search_spaces:
              xgboost:
                max_depth: [2, 4]
            output: {output}
            """);

        var run = Cli.Run("run", path);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("on 3 folds", run.Output);
        Assert.Contains("at most 3 trials; candidates: Linear, XGBoost", run.Output);
        Assert.Contains("Verdict: ", run.Output);
        Assert.True(File.Exists(Path.Combine(output, "champion.zip")));
    }
}
