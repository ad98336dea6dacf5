using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML;
using MLPipelines.Data.Csv;
using MLPipelines.Tests;
using MLPipelines.Trainers;
using MLPipelines.Vision.Data;

namespace MLPipelines.AutoML.Tests;

/// <summary>`mlpipelines compare` and `automl` on labeled images (--images), run as a user runs them, on the Fashion-MNIST slice the project ships.</summary>
public sealed class ImageCommandTests
{
    private const string Slice = "datasets/fashion-mnist-slice";

    private static Cli.Result Mlpipelines(params string[] arguments) => Cli.Run(arguments);

    [Fact]
    public void Compare_reads_an_idx_folder_and_ranks_classical_and_deep_image_models_on_the_same_folds()
    {
        var folds = Path.Combine(TestData.TemporaryDirectory(), "folds.jsonl");
        var run = Mlpipelines("compare", "--images", Slice, "--models", "baseline,lightgbm,small-cnn", "--folds", "2", "--time-limit", "3", "--output", folds);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        // The folder holds the train and t10k sets: the training set is compared.
        Assert.Contains("fashion-mnist-slice: 1,000 images of 28 × 28 grey pixels in 10 classes; predicting 'Label' (multiclass), ranked by accuracy", run.Output);
        var leaderboard = run.Output[run.Output.IndexOf("Leaderboard: accuracy on 2 folds", StringComparison.Ordinal)..];
        Assert.Contains("Small CNN", leaderboard);
        Assert.Matches(@"3  Baseline +Baseline +0\.1000", leaderboard);
        // Stopped by its 3 s, the CNN is not judged: the verdict says so rather than comparing a cut-short model.
        Assert.Contains("Verdict (defaults only, no tuning): Deep not judged", leaderboard);
        var results = File.ReadAllLines(folds).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("result")).ToList();
        Assert.Equal(6, results.Count);
        Assert.All(results.Where(r => r.GetProperty("Candidate").GetString() == "LightGbm"), r => Assert.InRange(r.GetProperty("Metric").GetDouble(), 0.6, 1.0));
        Assert.All(results.Where(r => r.GetProperty("Family").GetString() == "Deep"), r => Assert.Contains("time limit (3 s)", r.GetProperty("Note").GetString()));
    }

    [Fact]
    public void Compare_reads_a_folder_of_class_folders_of_image_files_at_the_image_size()
    {
        var folder = Path.Combine(TestData.TemporaryDirectory(), "pngs");
        ImageFolder.Write(FashionMnist.Train(Path.Combine(TestData.Root, Slice)).Subset([.. Enumerable.Range(0, 200)]), folder);

        var run = Mlpipelines("compare", "--images", folder, "--image-size", "32", "--models", "baseline,lightgbm", "--folds", "2");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("pngs: 200 images of 32 × 32 grey pixels in 10 classes; predicting 'Label' (multiclass)", run.Output);
        Assert.Matches(@"1  LightGbm +Classical 0\.[5-9]", run.Output);
    }

    [Fact]
    public void Automl_on_images_saves_a_champion_that_scores_pixel_vectors()
    {
        var output = TestData.TemporaryDirectory();
        var run = Mlpipelines("automl", "--images", Path.Combine(Slice, "t10k-images-idx3-ubyte.gz"), "--models", "baseline,lightgbm", "--trials", "2", "--folds", "2",
            "--repeats", "1", "--output", output);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("t10k-images-idx3-ubyte.gz: 500 rows", run.Output);
        Assert.Contains("champion: LightGbm refitted on all rows", run.Output);
        var champion = Path.Combine(output, "champion.zip");
        Assert.Contains($"score new images with: mlpipelines predict --model {champion} --images", run.Output);

        // predict --images classifies the slice's other 1,000 images, which the champion never saw, and measures itself on their labels.
        var fromIdx = Path.Combine(output, "idx.csv");
        var predict = Mlpipelines("predict", "--model", champion, "--images", Path.Combine(Slice, "train-images-idx3-ubyte.gz"), "--output", fromIdx);
        Assert.True(predict.ExitCode == 0, predict.Output + predict.Error);
        Assert.Contains("scored 1,000 images (1 × 28 × 28 pixels)", predict.Output);
        var accuracy = double.Parse(Regex.Match(predict.Output, @"accuracy (\d\.\d+) on the 1,000 images").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(accuracy, 0.6, 1.0);
        var byIndex = CsvReader.Read(fromIdx);
        Assert.Equal(1000, byIndex.RowCount);
        Assert.Equal(["Image", "Label", "PredictedLabel"], byIndex.Columns.Select(c => c.Name).Take(3));
        Assert.Equal(10, byIndex.Columns.Count(c => c.Name.StartsWith("Score.", StringComparison.Ordinal)));

        // The first 100 of them as PNG files in class folders: decoded to the same pixels, so predicted the same, the folder names as labels.
        var pngs = Path.Combine(output, "pngs");
        ImageFolder.Write(IdxDataset.Read(Path.Combine(TestData.Root, Slice)).Subset([.. Enumerable.Range(0, 100)]), pngs);
        var fromFiles = Path.Combine(output, "files.csv");
        predict = Mlpipelines("predict", "--model", champion, "--images", pngs, "--output", fromFiles);
        Assert.True(predict.ExitCode == 0, predict.Output + predict.Error);
        Assert.Contains("accuracy", predict.Output);
        var byFile = CsvReader.Read(fromFiles);
        Assert.Equal(100, byFile.RowCount);
        for (var row = 0; row < byFile.RowCount; row++)
        {
            var image = byFile["Image"].Format(row)!;                                     // "<class>/<index>.png"
            var index = int.Parse(Path.GetFileNameWithoutExtension(image), CultureInfo.InvariantCulture);
            Assert.Equal(Path.GetDirectoryName(image), byFile["Label"].Format(row));
            Assert.Equal(byIndex["Label"].Format(index), byFile["Label"].Format(row));
            Assert.Equal(byIndex["PredictedLabel"].Format(index), byFile["PredictedLabel"].Format(row));
        }

        // Scores for a spreadsheet that writes decimal commas: semicolons between fields, as such a spreadsheet writes them; the same values.
        var european = Path.Combine(output, "files-european.csv");
        predict = Mlpipelines("predict", "--model", champion, "--images", pngs, "--output", european, "--decimal-marker", ",");
        Assert.True(predict.ExitCode == 0, predict.Output + predict.Error);
        Assert.StartsWith("Image;Label;PredictedLabel;Score.", File.ReadLines(european).First());
        var commas = CsvReader.Read(european);
        Assert.Equal(new CsvLayout(';', ','), commas.Origins!.Layout);
        foreach (var column in byFile.Columns)
            for (var row = 0; row < byFile.RowCount; row++) Assert.Equal(column.Format(row), commas[column.Name].Format(row));

        // Images that are not there or do not decode: one line that names them, nothing written.
        File.WriteAllText(Path.Combine(pngs, "3", "broken.png"), "not a png");
        var broken = Path.Combine(output, "broken.csv");
        predict = Mlpipelines("predict", "--model", champion, "--images", pngs, "--output", broken);
        Assert.Equal(2, predict.ExitCode);
        Assert.Contains("broken.png is not an image that can be decoded", predict.Error);
        Assert.False(File.Exists(broken));
        Directory.CreateDirectory(Path.Combine(output, "empty"));
        predict = Mlpipelines("predict", "--model", champion, "--images", Path.Combine(output, "empty"), "--output", broken);
        Assert.Equal(2, predict.ExitCode);
        Assert.Contains("empty holds no image files", predict.Error);
    }

    [Fact]
    public void Predict_with_images_says_what_is_wrong_with_the_model_or_the_images()
    {
        var output = TestData.TemporaryDirectory();
        var ml = new MLContext(seed: 1);
        var table = ml.Data.LoadCsv(TestData.PathOf("concrete"));
        var tabular = Path.Combine(output, "table-model.zip");
        var features = table.Schema.Select(c => c.Name).Where(n => n != "compressive_strength").ToArray();
        ml.Model.Save(ml.Transforms.Concatenate("Features", features).Append(ml.Regression.Trainers.Sdca("compressive_strength")).Fit(table), table.Schema, tabular);

        var run = Mlpipelines("predict", "--model", tabular, "--images", Slice, "--output", Path.Combine(output, "out.csv"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("table-model.zip does not read images: its input has 0 vector columns", run.Error);

        run = Mlpipelines("predict", "--model", tabular, "--output", Path.Combine(output, "out.csv"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--input (a CSV) or --images (image files), one of them", run.Error);

        var onnx = Path.Combine(output, "model.onnx");
        File.WriteAllBytes(onnx, [0x08, 0x0A]);
        run = Mlpipelines("predict", "--model", onnx, "--images", Slice, "--output", Path.Combine(output, "out.csv"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--images scores with a model file (zip); model.onnx is ONNX", run.Error);
    }

    [Theory]
    [InlineData("no-such-folder", "no-such-folder does not exist")]
    [InlineData("datasets", "the class folder datasets/fashion-mnist-slice holds no images (.png, .jpg")]
    [InlineData("datasets/penguins.csv", "an IDX images file is named …-images-idx3-ubyte[.gz]")]
    public void A_missing_or_wrong_images_path_is_one_clear_message(string path, string message)
    {
        var run = Mlpipelines("compare", "--images", path);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Theory]
    [InlineData("compare", "--label", "y", "--label is for a CSV (--data)")]
    [InlineData("compare", "--task", "regression", "images are classified (multiclass), not --task regression")]
    [InlineData("compare", "--data", "datasets/penguins.csv", "give --data or --images, not both")]
    [InlineData("compare", "--models", "mlp", "there is no model 'mlp'; the models are: baseline, xgboost, lightgbm, small-cnn")]
    [InlineData("automl", "--label", "y", "--label is for a CSV (--data)")]
    [InlineData("automl", "--pretrained", "model.zip", "--pretrained is for a CSV (--data)")]
    public void Table_options_with_images_are_refused_before_anything_trains(string command, string option, string value, string message)
    {
        var run = Mlpipelines(command, "--images", Slice, option, value);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error);
        Assert.DoesNotContain("fold 1", run.Output);
    }

    [Theory]
    [InlineData("compare")]
    [InlineData("automl")]
    public void Neither_data_nor_images_is_an_error_that_names_both(string command)
    {
        var run = Mlpipelines(command);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{command} needs --data (a CSV) or --images", run.Error);
    }
}
