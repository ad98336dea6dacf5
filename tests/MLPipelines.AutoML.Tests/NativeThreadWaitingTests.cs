namespace MLPipelines.AutoML.Tests;

/// <summary>
/// The OpenMP runtime that libtorch, XGBoost and LightGbm share reads how long its idle threads spin
/// when it is loaded: the tool must have written its setting before then. OMP_DISPLAY_ENV makes
/// libgomp print the settings it took, so these read what the runtime itself uses.
/// </summary>
public sealed class NativeThreadWaitingTests
{
    private static readonly string[] Comparison =
        ["compare", "--data", "datasets/penguins.csv", "--label", "species", "--task", "multiclass", "--models", "xgboost", "--folds", "2"];

    [Fact]
    public void The_engines_idle_threads_spin_briefly_before_they_sleep()
    {
        var run = Cli.Run(new Dictionary<string, string?> { ["OMP_DISPLAY_ENV"] = "VERBOSE", ["GOMP_SPINCOUNT"] = null, ["OMP_WAIT_POLICY"] = null }, Comparison);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("GOMP_SPINCOUNT = '3000'", run.Error);
    }

    [Fact]
    public void A_spin_count_the_user_set_is_kept()
    {
        var run = Cli.Run(new Dictionary<string, string?> { ["OMP_DISPLAY_ENV"] = "VERBOSE", ["GOMP_SPINCOUNT"] = "250000", ["OMP_WAIT_POLICY"] = null }, Comparison);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("GOMP_SPINCOUNT = '250000'", run.Error);
    }
}
