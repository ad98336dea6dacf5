using System.Globalization;
using MLPipelines.Deep.Options;
using MLPipelines.Deep.Training;
using MLPipelines.Trainers;

namespace MLPipelines.Benchmarks.DeepTraining;

/// <summary>
/// Variants of one model trained side by side for the same epochs on the same rows — diamonds'
/// training split (80%, seed 42), of which the trainer holds out its usual 20% for validation —
/// printing each epoch's seconds and validation RMSE (standardized price): whether a faster design or
/// kernel reaches the same quality after the same epochs. Each variant runs in this process
/// with the same seed; times are wall seconds on whatever else the machine is doing.
/// A variant's name with "-bf16" trains it in mixed precision (<see cref="DeepModelOptions.MixedPrecision"/>), without in float32.
///   scripts/benchmark.sh same-epochs [--epochs N] [--variants tabm,tabm-mini,tabm-mini-bf16]
/// </summary>
public static class SameEpochsBenchmark
{
    private static DeepModelOptions Variant(string name) => name.EndsWith("-bf16", StringComparison.Ordinal)
        ? DeepModels.Options(name[..^"-bf16".Length]) with { MixedPrecision = true }
        : DeepModels.Options(name) with { MixedPrecision = false };

    public static int Run(string[] args)
    {
        var epochs = BenchmarkArguments.Option(args, "--epochs") is { } e ? int.Parse(e, CultureInfo.InvariantCulture) : 8;
        var variants = (BenchmarkArguments.Option(args, "--variants") ?? "tabm,tabm-mini").Split(',');
        var root = PeerProcess.RepositoryRoot();
        Console.WriteLine($"Same epochs: diamonds training split (80%, seed 42; 20% of it for validation), {epochs} epochs, {Environment.ProcessorCount} cores");
        foreach (var name in variants)
        {
            var options = Variant(name) with { LabelColumnName = DiamondsData.Label, MaxEpochs = epochs, Patience = null, Seed = 0, Device = "cpu" };
            var (train, _) = DiamondsData.Featurized(root, options.RecommendedFeaturization, seed: 42, testFraction: 0.2);
            var rows = new List<EpochProgress>();
            using var trained = new DeepTrainer(PredictionTask.Regression, options, 0) { Progress = new SynchronousProgress<EpochProgress>(rows.Add) }.Fit(train);
            var seconds = rows.Select((r, i) => (r.Elapsed - (i == 0 ? TimeSpan.Zero : rows[i - 1].Elapsed)).TotalSeconds).ToList();
            Console.WriteLine($"{name,-10} s/epoch   {string.Join(' ', seconds.Select(s => s.ToString("F1", CultureInfo.InvariantCulture)))}  (median {Timings.Median(seconds):F1})");
            Console.WriteLine($"{name,-10} val RMSE  {string.Join(' ', rows.Select(r => r.ValidationValue!.Value.ToString("F4", CultureInfo.InvariantCulture)))}  (best {rows.Min(r => r.ValidationValue!.Value):F4} at epoch {rows.MinBy(r => r.ValidationValue!.Value)!.Epoch})");
        }
        return 0;
    }
}
