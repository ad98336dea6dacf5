using Microsoft.ML;
using MLPipelines.AutoML.Experiments;
using MLPipelines.AutoML.Trials;
using MLPipelines.Deep.Options;
using MLPipelines.Tests;
using MLPipelines.Trainers;

namespace MLPipelines.AutoML.Tests.Experiments;

/// <summary>
/// Successive halving in real experiments on concrete (1,030 rows, regression, 3 folds, one
/// thread, a trial limit: deterministic): XGBoost's tuned trials halved at round 50, a small
/// MLP's at epoch 4.
/// </summary>
public sealed class SuccessiveHalvingExperimentTests
{
    private static ExperimentSettings Settings(int trials, int seed = 7) =>
        new("compressive_strength", PredictionTask.Regression) { MaxTrials = trials, Folds = 3, Seed = seed, Threads = 1 };

    private static ExperimentResult Run(ExperimentSettings settings, IReadOnlyList<Candidate> candidates, ITrialStore? store = null)
    {
        var experiment = new TabularExperiment(new MLContext(seed: 1)).SetDataset(TestData.View("concrete")).SetSettings(settings).SetCandidates(candidates);
        if (store is not null) experiment.SetStore(store);
        return experiment.Run();
    }

    /// <summary>Each trial's candidate, configuration, status, note, and per fold its metric and curve length.</summary>
    private static string Fingerprint(IEnumerable<TrialRecord> trials) =>
        string.Join("\n", trials.Select(t => $"{t.Number} {t.Candidate} {t.Configuration} {t.Status} {t.Note} " +
                                             string.Join(",", t.Folds.Select(f => $"{f.Metric?.ToString("R")}/{f.LearningCurve?.Length}"))));

    private static bool Halved(TrialRecord trial) => trial.Status == TrialStatus.Pruned && trial.Note!.Contains("by successive halving");

    [Fact]
    public void A_tuned_XGBoost_trial_behind_at_round_50_is_pruned_there_and_a_resumed_run_decides_the_same()
    {
        var xgboost = Candidate.Named(["xgboost"]);
        var result = Run(Settings(trials: 7), xgboost);

        var halved = result.Trials.Where(Halved).ToList();
        Assert.NotEmpty(halved);
        // Three earlier tuned trials are needed before a rung decides: trials 2–4 are never halved.
        Assert.All(halved, t => Assert.True(t.Number >= 5, $"trial {t.Number} was halved"));
        Assert.All(halved, t => Assert.StartsWith("pruned at round 50 by successive halving: validation rmse ", t.Note));
        var fold = Assert.Single(halved[0].Folds);
        Assert.Null(fold.Metric);
        Assert.Equal(50, fold.LearningCurve!.Length);
        // XGBoost's per-round curves are recorded for every fold that ran.
        Assert.All(result.Trials.SelectMany(t => t.Folds), f => Assert.NotNull(f.LearningCurve));
        Assert.DoesNotContain(result.Trials.Take(1), Halved);   // the defaults are never halved

        Assert.Equal(Fingerprint(result.Trials), Fingerprint(Run(Settings(trials: 7), xgboost).Trials));

        // Stopped after the first halved trial, then resumed from the SQLite store: the partial fold and its curve are read back.
        var path = Path.Combine(TestData.TemporaryDirectory(), "experiment.db");
        using (var store = new SqliteTrialStore(path)) Run(Settings(trials: halved[0].Number), xgboost, store);
        using (var store = new SqliteTrialStore(path))
        {
            var stored = store.Open(StoreIdentity(path));
            Assert.Equal(Fingerprint(result.Trials.Take(halved[0].Number)), Fingerprint(stored));
            Assert.Equal(halved[0].Folds[0].LearningCurve, stored[^1].Folds[0].LearningCurve);
        }
        using (var store = new SqliteTrialStore(path))
            Assert.Equal(Fingerprint(result.Trials), Fingerprint(Run(Settings(trials: 7), xgboost, store).Trials));

        // Switched off, the same trial trains its first fold to the end.
        var off = Run(Settings(trials: halved[0].Number) with { SuccessiveHalving = false }, xgboost);
        Assert.DoesNotContain(off.Trials, Halved);
        Assert.True(off.Trials[^1].Folds[0].LearningCurve!.Length > 50);
    }

    /// <summary>A bagged deep trial's learning curve, which halving reads, is its first bag's: the others start again at epoch 1.</summary>
    [Fact]
    public void A_bagged_deep_trials_learning_curve_is_its_first_bags()
    {
        var bagged = Candidate.Deep(new MlpOptions { MaxEpochs = 4, Patience = null, BaggingFolds = 3 });
        var trial = Assert.Single(Run(Settings(trials: 1), [bagged]).Trials);
        Assert.Equal(3, trial.Folds.Count);
        Assert.All(trial.Folds, f => Assert.Equal(4, f.LearningCurve!.Length));
        Assert.All(trial.Folds, f => Assert.StartsWith("12 epochs, best ", f.Note));
    }

    /// <summary>The experiment's identity as the store holds it (the store refuses another).</summary>
    private static string StoreIdentity(string path)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM experiment WHERE key = 'settings';";
        return (string)command.ExecuteScalar()!;
    }

    [Fact]
    public void A_tuned_deep_trial_behind_at_epoch_4_is_pruned_there()
    {
        var mlp = Candidate.Deep(new MlpOptions { MaxEpochs = 6, HiddenLayers = [32, 32] }) with { SearchSpace = PublishedSearchSpaces.MlpSpace };

        var result = Run(Settings(trials: 7), [mlp]);

        var halved = result.Trials.Where(Halved).ToList();
        Assert.NotEmpty(halved);
        Assert.All(halved, t => Assert.StartsWith("pruned at epoch 4 by successive halving: validation rmse ", t.Note));
        Assert.All(halved, t => Assert.Equal(4, t.Folds.Single().LearningCurve!.Length));
        Assert.Equal(Fingerprint(result.Trials), Fingerprint(Run(Settings(trials: 7), [mlp]).Trials));
    }
}
