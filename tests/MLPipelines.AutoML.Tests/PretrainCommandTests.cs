using MLPipelines.Tests;

namespace MLPipelines.AutoML.Tests;

/// <summary>`mlpipelines pretrain`, and `compare --pretrained` / `--unlabeled` fine-tuning a checkpoint beside the other candidates.</summary>
public sealed class PretrainCommandTests : IDisposable
{
    private readonly string _directory = TestData.TemporaryDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_supervised_checkpoint_is_written_with_the_epochs_printed()
    {
        var checkpoint = Path.Combine(_directory, "penguins.ckpt");
        var pretrain = Cli.Run("pretrain", "--data", "datasets/penguins.csv", "--label", "species", "--task", "multiclass", "--model", "resnet",
            "--output", checkpoint, "--time-limit", "2");
        Assert.True(pretrain.ExitCode == 0, pretrain.Output + pretrain.Error);
        Assert.Contains("pretraining ResNet on 344 rows of penguins.csv, supervised on 'species'", pretrain.Output);
        Assert.Contains("epoch 1/200: training loss", pretrain.Output);
        // Then every 25th, as compare logs epochs (it ran at least 16: ResNet's patience).
        Assert.DoesNotContain("epoch 2/200", pretrain.Output);
        Assert.Contains("wrote penguins.ckpt: ResNet, supervised classification of 3 classes", pretrain.Output);
        using var written = Deep.Transfer.PretrainedCheckpoint.Load(checkpoint);
        Assert.Equal(3, written.Shape.Outputs);
    }

    /// <summary>The path of --pretrained too: --unlabeled writes a checkpoint and adds the candidate fine-tuned from it.</summary>
    [Fact]
    public void Compare_pretrains_on_unlabeled_rows_first_and_reports_it_apart()
    {
        var compare = Cli.Run("compare", "--data", "datasets/penguins.csv", "--label", "species", "--task", "multiclass",
            "--folds", "2", "--models", "baseline", "--time-limit", "3", "--unlabeled", "datasets/penguins.csv");
        Assert.True(compare.ExitCode == 0, compare.Output + compare.Error);
        Assert.Contains("pretraining MLP on 344 unlabeled rows of penguins.csv (masked-feature reconstruction", compare.Output);
        Assert.Contains("epoch 1/100: training loss", compare.Output);
        Assert.Contains("its cost is not part of the comparison's times", compare.Output);
        Assert.Contains("models: Baseline, MLP (fine-tuned)", compare.Output);
        Assert.Matches(@"1\s+MLP \(fine-tuned\)\s+Deep", compare.Output);
        // Bagged over 5 validation folds (Candidate.FineTunedBaggingFolds): each fold's fit says how its 5 networks ended.
        Assert.Matches(@"MLP \(fine-tuned\) fold 1/2 .*5 bags", compare.Output);
    }

    /// <summary>The same command resumes an experiment: it uses its first run's checkpoint unless the unlabeled file has changed since.</summary>
    [Fact]
    public void A_resumed_automl_reuses_the_checkpoint_it_pretrained_on_the_same_unlabeled_rows()
    {
        var unlabeled = Path.Combine(_directory, "penguins-unlabeled.csv");
        File.Copy(Path.Combine(TestData.Root, "datasets", "penguins.csv"), unlabeled);
        var output = Path.Combine(_directory, "automl");
        // One thread: on 344 rows a second buys nothing, and beside another test assembly it costs (a run beside two busy loops: 14 s on one
        // thread, 17–19 s on two; 158 s on two before the engines' idle threads stopped spinning, NativeThreadWaiting).
        Cli.Result Run() => Cli.Run("automl", "--data", "datasets/penguins.csv", "--label", "species", "--task", "multiclass", "--models", "baseline",
            "--trials", "2", "--folds", "2", "--repeats", "1", "--threads", "1", "--unlabeled", unlabeled, "--output", output);

        var first = Run();
        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        Assert.Contains("pretraining MLP on 344 unlabeled rows of penguins-unlabeled.csv", first.Output);
        var checkpoint = Path.Combine(output, "pretrained.ckpt");
        var written = File.ReadAllBytes(checkpoint);

        var resumed = Run();
        Assert.True(resumed.ExitCode == 0, resumed.Output + resumed.Error);
        Assert.DoesNotContain("pretraining MLP", resumed.Output);
        Assert.Contains($"reusing {checkpoint}, pretrained on the same rows of penguins-unlabeled.csv by an earlier run", resumed.Output);
        Assert.Contains("resuming: 2 finished trial(s)", resumed.Output);
        Assert.Equal(written, File.ReadAllBytes(checkpoint));

        File.SetLastWriteTimeUtc(unlabeled, DateTime.UtcNow.AddMinutes(1));
        var changed = Run();
        Assert.True(changed.ExitCode == 0, changed.Output + changed.Error);
        Assert.Contains("pretraining MLP on 344 unlabeled rows of penguins-unlabeled.csv", changed.Output);
    }

    [Fact]
    public void Pretraining_on_several_labels_writes_one_checkpoint_with_all_their_outputs()
    {
        var checkpoint = Path.Combine(_directory, "concrete.ckpt");
        var run = Cli.Run("pretrain", "--data", "datasets/concrete.csv", "--label", "compressive_strength,age", "--task", "regression",
            "--output", checkpoint, "--time-limit", "3");
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("supervised on 'compressive_strength', 'age'", run.Output);
        Assert.Contains("wrote concrete.ckpt: MLP, supervised on compressive_strength (regression), age (regression), 1030 rows, 7 input columns", run.Output);
    }

    /// <summary>A label without --task: its task read off its values, as automl and compare do.</summary>
    [Fact]
    public void Without_a_task_each_label_decides_its_own()
    {
        var checkpoint = Path.Combine(_directory, "penguins.ckpt");
        var run = Cli.Run("pretrain", "--data", "datasets/penguins.csv", "--label", "species", "--output", checkpoint, "--time-limit", "2");
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("task: multiclass, inferred: 'species' holds 3 distinct values, not numbers; --task chooses another", run.Output);
        Assert.Contains("wrote penguins.ckpt: MLP, supervised classification of 3 classes", run.Output);
    }

    [Fact]
    public void Wrong_arguments_and_files_are_one_line_errors_and_write_nothing()
    {
        var output = Path.Combine(_directory, "x.ckpt");
        var half = Cli.Run("pretrain", "--data", "datasets/penguins.csv", "--task", "multiclass", "--output", output);
        Assert.Equal(2, half.ExitCode);
        Assert.Contains("--task is for --label", half.Error);
        var counts = Cli.Run("pretrain", "--data", "datasets/penguins.csv", "--label", "species,island", "--task", "multiclass,multiclass,regression", "--output", output);
        Assert.Equal(2, counts.ExitCode);
        Assert.Contains("--task gives 3 tasks for 2 labels", counts.Error);
        var typo = Cli.Run("pretrain", "--data", "datasets/penguins.csv", "--exclude", "speces", "--output", output);
        Assert.Equal(2, typo.ExitCode);
        Assert.Contains("--exclude names 'speces', which is not a column of penguins.csv", typo.Error);
        var missing = Cli.Run("pretrain", "--data", Path.Combine(_directory, "none.csv"), "--output", output);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("none.csv does not exist", missing.Error);
        Assert.False(File.Exists(output));

        File.WriteAllText(Path.Combine(_directory, "notes.txt"), "not a checkpoint");
        var foreign = Cli.Run("compare", "--data", "datasets/penguins.csv", "--label", "species", "--task", "multiclass", "--models", "baseline",
            "--pretrained", Path.Combine(_directory, "notes.txt"));
        Assert.Equal(2, foreign.ExitCode);
        Assert.Contains("neither a pretrained checkpoint nor a model file", foreign.Error);
        Assert.DoesNotContain("Leaderboard", foreign.Output);
        var automl = Cli.Run("automl", "--data", "datasets/penguins.csv", "--label", "species", "--task", "multiclass", "--models", "baseline",
            "--pretrained", Path.Combine(_directory, "notes.txt"), "--unlabeled", "datasets/penguins.csv", "--output", Path.Combine(_directory, "automl"));
        Assert.Equal(2, automl.ExitCode);
        Assert.Contains("give --pretrained or --unlabeled, not both", automl.Error);
    }
}
