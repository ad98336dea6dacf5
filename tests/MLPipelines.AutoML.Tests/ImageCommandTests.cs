using System.Text.Json;
using Microsoft.ML;
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
        // predict reads CSV rows, which cannot hold a model's pixel vectors: no hint to use it.
        Assert.DoesNotContain("mlpipelines predict", run.Output);
        // The saved model reads the pixel column: it classifies the slice's other 1,000 images, which it never saw.
        var ml = new MLContext(seed: 1);
        var champion = ml.Model.Load(Path.Combine(output, "champion.zip"), out _);
        var unseen = LabelPreparation.Prepare(ml, IdxDataset.Read(Path.Combine(TestData.Root, Slice, "train-images-idx3-ubyte.gz")).ToDataView(ml, "Label", "Pixels"),
            "Label", PredictionTask.MulticlassClassification);
        var accuracy = ml.MulticlassClassification.Evaluate(champion.Transform(unseen)).MicroAccuracy;
        Assert.InRange(accuracy, 0.6, 1.0);
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
