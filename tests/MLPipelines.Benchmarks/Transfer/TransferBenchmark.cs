using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.AutoML;
using MLPipelines.AutoML.Experiments;
using MLPipelines.AutoML.Verdicts;
using MLPipelines.Data.DataViews;
using MLPipelines.Deep;
using MLPipelines.Deep.Options;
using MLPipelines.Deep.Training;
using MLPipelines.Deep.Transfer;
using MLPipelines.Trainers;
using MLPipelines.XGBoost;
using MLPipelines.XGBoost.Training;

namespace MLPipelines.Benchmarks.Transfer;

/// <summary>
/// What pretraining buys where labels are few, on real rows, with the default MLP (RealMLP-TD):
/// <list type="bullet">
/// <item>letters: pretrained (supervised) on every LetterRecognition row of A–M; fine-tuned on N–Z with
/// k labeled rows per class, tested on the N–Z rows outside the seed's 50-per-class pool; against the same
/// MLP from scratch, XGBoost and LightGbm on the same rows (ML.NET's and XGBoost's defaults).</item>
/// <item>diamonds: a fixed 80/20 split (a seeded permutation, 42); self-supervised pretraining on the training rows'
/// features (no label read), masked reconstruction and SCARF; n labeled training rows; test RMSE
/// against the MLP from scratch and XGBoost.</item>
/// </list>
/// Each fine-tuned MLP and the MLP from scratch also run bagged over 5 validation folds, as `--pretrained` adds the
/// fine-tuned candidate to a comparison (<see cref="Candidate.FineTuned"/>); the verdicts weigh that one.
/// Seeds draw the labeled rows (nested: the 5 of a class are the first 5 of its 10) and seed the models.
/// Pretraining time is reported apart from fine-tuning. Paired over seeds: mean difference, wins, and the
/// plain paired t-test (the seeds' labeled rows are disjoint draws; their test rows nearly the same).
/// On the first seeds (--verdict-seeds, 3) the letters part also runs `compare --pretrained`'s verdict on the labeled rows alone,
/// and the AutoML experiment's over r repetitions of 5-fold (--verdict-repeats, a list; default the experiment's own default).
///   scripts/benchmark.sh transfer [--parts letters,diamonds] [--seeds 5] [--verdict-seeds 3] [--verdict-repeats 10] [--letters-sizes 5,10,20,50]
///                                 [--diamonds-sizes 250,500,1000]
/// </summary>
public static class TransferBenchmark
{
    private sealed record Result(string Part, int Size, int Seed, string Model, double Score, double Seconds);

    public static int Run(string[] args)
    {
        var parts = BenchmarkArguments.Option(args, "--parts")?.Split(',') ?? ["letters", "diamonds"];
        var seeds = int.Parse(BenchmarkArguments.Option(args, "--seeds") ?? "5", CultureInfo.InvariantCulture);
        var root = PeerProcess.RepositoryRoot();
        Console.WriteLine($"Transfer learning, {Environment.ProcessorCount} cores, {seeds} seeds; default MLP (RealMLP-TD) everywhere");
        var results = new List<Result>();
        if (parts.Contains("letters"))
            Letters(root, seeds, Sizes(args, "--letters-sizes", [5, 10, 20, 50]), results,
                verdictSeeds: int.Parse(BenchmarkArguments.Option(args, "--verdict-seeds") ?? "3", CultureInfo.InvariantCulture),
                verdictRepeats: Sizes(args, "--verdict-repeats", [ExperimentSettings.DefaultRepeats]));
        if (parts.Contains("diamonds"))
            Diamonds(root, seeds, Sizes(args, "--diamonds-sizes", [250, 500, 1000]), results);
        return 0;
    }

    private static int[] Sizes(string[] args, string name, int[] defaults) =>
        BenchmarkArguments.Option(args, name)?.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() ?? defaults;

    private static void Letters(string root, int seeds, int[] sizes, List<Result> results, int verdictSeeds, int[] verdictRepeats)
    {
        var verdicts = new List<string>();
        void Verdicts(string line)
        {
            Console.WriteLine(line);
            verdicts.Add(line);
        }
        const string label = "lettr";
        var ml = new MLContext(42);
        IDataView view = ml.Data.LoadCsv(Path.Combine(root, "datasets", "LetterRecognition.csv"));
        var letters = view.GetColumn<ReadOnlyMemory<char>>(label).Select(l => l.ToString()).ToArray();
        IDataView Rows(IEnumerable<int> rows) => LabelPreparation.Prepare(ml, RowSubsetView.Of(view, rows.ToArray()), label, PredictionTask.MulticlassClassification);
        var upstreamRows = Enumerable.Range(0, letters.Length).Where(i => letters[i][0] <= 'M').ToArray();
        var targetRows = Enumerable.Range(0, letters.Length).Where(i => letters[i][0] > 'M').ToArray();

        var checkpoint = Path.Combine(Path.GetTempPath(), $"letters-a-m-{Environment.ProcessId}.zip");
        var watch = Stopwatch.StartNew();
        var upstream = Deep(PredictionTask.MulticlassClassification, new MlpOptions(), label, seed: 0);
        var upstreamData = Rows(upstreamRows);
        var pretrained = ml.Transforms.FeaturizeFor(upstream).Append(upstream).Fit(upstreamData);
        ml.Model.Save(pretrained, upstreamData.Schema, checkpoint);
        var info = pretrained.LastTransformer.Model.Info;
        Console.WriteLine($"\nletters: pretrained on {upstreamRows.Length} rows of A–M in {watch.Elapsed.TotalSeconds:F1} s ({info.Epochs} epochs, best {info.BestEpoch}); " +
                          $"N–Z has {targetRows.Length} rows");
        Console.WriteLine($"{"k/class",7} {"seed",4} {"model",-36} {"accuracy",10} {"fit s",7}");
        var pool = sizes.Max();
        try
        {
            for (var seed = 1; seed <= seeds; seed++)
            {
                var random = new Random(seed);
                var drawn = targetRows.GroupBy(i => letters[i]).ToDictionary(g => g.Key, g => g.OrderBy(_ => random.Next()).Take(pool).ToArray());
                var test = Rows(targetRows.Except(drawn.Values.SelectMany(r => r)));
                foreach (var k in sizes)
                {
                    var labeled = Rows(drawn.Values.SelectMany(r => r.Take(k)).Order());
                    var candidates = new (string Name, Func<IEstimator<ITransformer>> Pipeline)[]
                    {
                        ("MLP fine-tuned (full)", () => Featurized(ml, Deep(PredictionTask.MulticlassClassification, new MlpOptions { Pretrained = checkpoint }, label, seed))),
                        (FineTunedAsCandidate, () => Featurized(ml, Deep(PredictionTask.MulticlassClassification,
                            new MlpOptions { Pretrained = checkpoint, BaggingFolds = Candidate.FineTunedBaggingFolds }, label, seed))),
                        ("MLP fine-tuned (head only)", () => Featurized(ml, Deep(PredictionTask.MulticlassClassification,
                            new MlpOptions { Pretrained = checkpoint, FineTuning = new FineTuningOptions { Mode = FineTuningMode.HeadOnly } }, label, seed))),
                        ("MLP fine-tuned (refit scalers)", () => Featurized(ml, Deep(PredictionTask.MulticlassClassification,
                            new MlpOptions { Pretrained = checkpoint, FineTuning = new FineTuningOptions { Scaling = PretrainedScaling.Refit } }, label, seed))),
                        (Bagged("MLP from scratch"), () => Featurized(ml, Deep(PredictionTask.MulticlassClassification,
                            new MlpOptions { BaggingFolds = Candidate.FineTunedBaggingFolds }, label, seed))),
                        ("MLP from scratch", () => Featurized(ml, Deep(PredictionTask.MulticlassClassification, new MlpOptions(), label, seed))),
                        ("XGBoost", () => Featurized(ml, ml.MulticlassClassification.Trainers.XGBoost(new GradientBoostedTreesOptions { LabelColumnName = label, Seed = seed }))),
                        ("LightGbm", () => ml.Transforms.Concatenate("Features", LetterFeatures(view, label))
                            .Append(ml.MulticlassClassification.Trainers.LightGbm(labelColumnName: label))),
                    };
                    foreach (var (name, pipeline) in candidates)
                        results.Add(Measure("letters", k, seed, name, pipeline(), labeled,
                            model => ml.MulticlassClassification.Evaluate(model.Transform(test), label).MicroAccuracy));
                    if (seed <= verdictSeeds)
                    {
                        var raw = RowSubsetView.Of(view, drawn.Values.SelectMany(r => r.Take(k)).Order().ToArray());
                        Verdicts(Verdict(ml, raw, label, checkpoint, k, seed, results.Where(r => r.Part == "letters" && r.Size == k && r.Seed == seed).ToList()));
                        foreach (var repeats in verdictRepeats)
                            Verdicts(AutoMLVerdict(ml, raw, test, label, checkpoint, k, seed, repeats));
                    }
                }
            }
        }
        finally
        {
            File.Delete(checkpoint);
        }
        Summarize(results.Where(r => r.Part == "letters").ToList(), "accuracy", higherIsBetter: true, "MLP fine-tuned (full)", ["MLP from scratch", "XGBoost", "LightGbm"]);
        Summarize(results.Where(r => r.Part == "letters").ToList(), "accuracy", higherIsBetter: true, FineTunedAsCandidate,
            ["MLP fine-tuned (full)", Bagged("MLP from scratch"), "XGBoost", "LightGbm"]);
        if (verdicts.Count == 0) return;
        // Printed again together, after the summary (each was printed when it was reached: a long run stopped early keeps them).
        Console.WriteLine("\nthe verdict rule on the labeled rows (5-fold compare of LightGbm, XGBoost, MLP and MLP fine-tuned with 5 bags, defaults; then the AutoML " +
                          "experiment's verdict on the same four defaults over r repetitions of 5-fold) against the held-out test rows:");
        foreach (var line in verdicts) Console.WriteLine(line);
    }

    /// <summary>
    /// What `compare --pretrained` decides from the labeled rows alone (the AutoML verdict's rule over 5 folds), beside what
    /// the held-out rows say of the two models it weighed: does the fine-tuned model win there by more than the 0.5% margin?
    /// </summary>
    private static string Verdict(MLContext ml, IDataView labeled, string label, string checkpoint, int k, int seed, List<Result> heldOut)
    {
        var candidates = Candidate.Named(["lightgbm", "xgboost", "mlp"]).Append(Candidate.FineTuned(checkpoint)).ToList();
        var comparison = CrossValidation.Compare(ml, labeled, new ComparisonSettings(label, PredictionTask.MulticlassClassification, Folds: 5, Seed: seed), candidates);
        var verdict = comparison.DefaultsVerdict();
        var classical = comparison.Best(ModelFamily.Classical)!.Candidate;
        var tuned = heldOut.Single(r => r.Model == FineTunedAsCandidate).Score;
        var rival = heldOut.Single(r => r.Model == classical).Score;
        var wins = WinsByMargin(tuned, rival);
        var (onlyTuned, onlyRival, rows) = PooledOutOfFold(ml, labeled, label, seed, comparison, candidates[^1].Name, classical);
        return $"{k,7} {seed,4} verdict: {verdict?.Sentence ?? "none"}\n" +
               $"             held out: MLP fine-tuned {tuned:F4} vs {classical} {rival:F4} ({(tuned - rival) / rival:+0.0%;-0.0%}): " +
               $"{(wins ? "the fine-tuned model wins by the margin" : "it does not win by the margin")}\n" +
               $"             the {rows} labeled rows' out-of-fold predictions: only the fine-tuned model right on {onlyTuned}, only {classical} on {onlyRival}; " +
               $"exact McNemar p = {McNemar(onlyTuned, onlyRival):G2} (a test that ignores the variance of the training sets, less strict than the verdict's)";
    }

    /// <summary>
    /// What `automl --pretrained` decides from the labeled rows alone: the experiment on the same four defaults (no tuning:
    /// four trials, no budget), its verdict over <paramref name="repeats"/> repetitions of 5-fold, and its two finalists refitted
    /// on the labeled rows and scored on the held-out rows: does the deep finalist win there by the margin?
    /// </summary>
    private static string AutoMLVerdict(MLContext ml, IDataView labeled, IDataView test, string label, string checkpoint, int k, int seed, int repeats)
    {
        var settings = new ExperimentSettings(label, PredictionTask.MulticlassClassification) { MaxTrials = 4, Repeats = repeats, Seed = seed, RefitFinalists = true };
        var candidates = Candidate.Named(["lightgbm", "xgboost", "mlp"]).Append(Candidate.FineTuned(checkpoint));
        var watch = Stopwatch.StartNew();
        var result = new TabularExperiment(ml).SetDataset(labeled).SetSettings(settings).SetCandidates(candidates).Run();
        var seconds = watch.Elapsed.TotalSeconds;
        double Accuracy(ITransformer model) => ml.MulticlassClassification.Evaluate(model.Transform(test), label).MicroAccuracy;
        var heldOut = result.RefittedFinalists.ToDictionary(f => f.Trial!.Family, f => Accuracy(f.Model));
        var names = result.Finalists.ToDictionary(f => f.Key, f => f.Value.Candidate);
        var (deep, classical) = (heldOut[ModelFamily.Deep], heldOut[ModelFamily.Classical]);
        var line = $"{k,7} {seed,4} automl, {repeats} × 5-fold ({seconds:F0} s): {result.Verdict?.Sentence ?? result.Summary}\n" +
                   $"             held out: {names[ModelFamily.Deep]} {deep:F4} vs {names[ModelFamily.Classical]} {classical:F4}: {Judged(deep, classical, "the deep finalist")}";
        if (result.Verdict?.Outcome == VerdictOutcome.Ensemble && result.Champion is { } ensemble)
        {
            var score = Accuracy(ensemble.Model);
            line += $"\n             held out: the ensemble {score:F4} vs {names[ModelFamily.Classical]} {classical:F4}: {Judged(score, classical, "the ensemble")}; " +
                    $"vs {names[ModelFamily.Deep]} alone {(score - deep) / deep:+0.0%;-0.0%}";
            (ensemble.Model as IDisposable)?.Dispose();
        }
        foreach (var finalist in result.RefittedFinalists) (finalist.Model as IDisposable)?.Dispose();
        return line;

        string Judged(double challenger, double rival, string name) =>
            $"{(challenger - rival) / rival:+0.0%;-0.0%}, {(WinsByMargin(challenger, rival) ? $"{name} wins by the margin" : "not by the margin")}";
    }

    /// <summary>Whether a held-out accuracy beats another by more than the verdict's default margin of practical equivalence.</summary>
    private static bool WinsByMargin(double challenger, double rival) => challenger > rival * (1 + new VerdictSettings().RelativeMargin);

    /// <summary>
    /// The two models' out-of-fold predictions from the comparison, pooled over its folds: on how many labeled rows only
    /// the first is right, and only the second.
    /// </summary>
    private static (int OnlyFirst, int OnlySecond, int Rows) PooledOutOfFold(MLContext ml, IDataView labeled, string label, int seed, ComparisonResult comparison,
        string first, string second)
    {
        var prepared = LabelPreparation.Prepare(ml, labeled, label, PredictionTask.MulticlassClassification);
        var keys = prepared.GetColumn<uint>(label).ToArray();
        int onlyFirst = 0, onlySecond = 0;
        // The comparison's folds again (seeded, no fitting): which labeled row each prediction belongs to.
        foreach (var fold in DataCatalogExtensions.StratifiedFolds(prepared, label, comparison.Folds, seed))
        {
            var a = Classes(first, fold);
            var b = Classes(second, fold);
            for (var i = 0; i < fold.TestRows.Length; i++)
            {
                var truth = (int)keys[fold.TestRows[i]] - 1;
                if (a[i] == truth && b[i] != truth) onlyFirst++;
                if (b[i] == truth && a[i] != truth) onlySecond++;
            }
        }
        return (onlyFirst, onlySecond, keys.Length);

        int[] Classes(string candidate, Data.Fold fold)
        {
            var scores = comparison.Results.Single(r => r.Candidate == candidate && r.Fold == fold.Index + 1).Predictions!;
            var classes = scores.Length / fold.TestRows.Length;
            return Enumerable.Range(0, fold.TestRows.Length).Select(r => ArgMax(scores.AsSpan(r * classes, classes))).ToArray();
        }
    }

    private static int ArgMax(ReadOnlySpan<float> scores)
    {
        var best = 0;
        for (var i = 1; i < scores.Length; i++)
            if (scores[i] > scores[best]) best = i;
        return best;
    }

    /// <summary>Two-sided exact McNemar test: the binomial(b + c, ½) probability of a split at least as uneven as b : c.</summary>
    private static double McNemar(int b, int c) =>
        b + c == 0 ? 1 : Math.Min(1, 2 * MathNet.Numerics.Distributions.Binomial.CDF(0.5, b + c, Math.Min(b, c)));

    private static string[] LetterFeatures(IDataView view, string label) =>
        view.Schema.Where(c => !c.IsHidden && c.Name != label).Select(c => c.Name).ToArray();

    private static void Diamonds(string root, int seeds, int[] sizes, List<Result> results)
    {
        const string label = "price";
        var ml = new MLContext(42);
        var data = LabelPreparation.Prepare(ml, ml.Data.LoadCsv(Path.Combine(root, "datasets", "diamonds.csv")), label, PredictionTask.Regression);
        var all = (int)data.GetRowCount()!.Value;
        var split = new Random(42);
        var permutation = Enumerable.Range(0, all).OrderBy(_ => split.Next()).ToArray();
        var testRows = permutation[..(all / 5)].Order().ToArray();
        var trainSet = RowSubsetView.Of(data, permutation[(all / 5)..].Order().ToArray());
        var testSet = RowSubsetView.Of(data, testRows);
        var trainRows = all - testRows.Length;
        var unlabeled = ml.Transforms.DropColumns(label).Fit(trainSet).Transform(trainSet);
        var architecture = new MlpOptions();
        var featurizer = ml.Transforms.FeaturizeFor(Deep(PredictionTask.Regression, architecture, label, 0)).Fit(unlabeled);
        var features = featurizer.Transform(unlabeled);

        var checkpoints = new Dictionary<string, string>();
        Console.WriteLine($"\ndiamonds: {trainRows} training rows (their features pretrain, no label read), test RMSE on a fixed 20% of the rows (seed 42)");
        foreach (var objective in new[] { PretrainingObjective.MaskedReconstruction, PretrainingObjective.Contrastive })
        {
            var watch = Stopwatch.StartNew();
            var pretrainer = new SelfSupervisedPretrainer(architecture, new PretrainingOptions { Objective = objective }, seed: 0);
            using var checkpoint = pretrainer.Pretrain(features);
            var path = Path.Combine(Path.GetTempPath(), $"diamonds-{objective}-{Environment.ProcessId}.ckpt");
            checkpoint.Save(path);
            checkpoints[objective == PretrainingObjective.Contrastive ? "MLP fine-tuned (SCARF)" : "MLP fine-tuned (masked rec.)"] = path;
            Console.WriteLine($"pretraining, {objective}: {watch.Elapsed.TotalSeconds:F1} s, {pretrainer.Summary}");
        }
        Console.WriteLine($"{"labels",7} {"seed",4} {"model",-36} {"RMSE",10} {"fit s",7}");
        try
        {
            var order = Enumerable.Range(0, trainRows).ToArray();
            for (var seed = 1; seed <= seeds; seed++)
            {
                var random = new Random(seed);
                var shuffled = order.OrderBy(_ => random.Next()).ToArray();
                foreach (var n in sizes)
                {
                    var labeled = RowSubsetView.Of(trainSet, shuffled.Take(n).Order().ToArray());
                    var candidates = checkpoints.SelectMany(c => new[] { 1, Candidate.FineTunedBaggingFolds }.Select(bags => (Name: bags == 1 ? c.Key : Bagged(c.Key),
                        Pipeline: (Func<IEstimator<ITransformer>>)(() => Featurized(ml, Deep(PredictionTask.Regression, new MlpOptions { Pretrained = c.Value, BaggingFolds = bags }, label, seed))))))
                        .ToList();
                    candidates.Add(("MLP from scratch", () => Featurized(ml, Deep(PredictionTask.Regression, new MlpOptions(), label, seed))));
                    candidates.Add((Bagged("MLP from scratch"), () => Featurized(ml, Deep(PredictionTask.Regression, new MlpOptions { BaggingFolds = Candidate.FineTunedBaggingFolds }, label, seed))));
                    candidates.Add(("XGBoost", () => Featurized(ml, ml.Regression.Trainers.XGBoost(new GradientBoostedTreesOptions { LabelColumnName = label, Seed = seed }))));
                    foreach (var (name, pipeline) in candidates)
                        results.Add(Measure("diamonds", n, seed, name, pipeline(), labeled,
                            model => ml.Regression.Evaluate(model.Transform(testSet), label).RootMeanSquaredError));
                }
            }
        }
        finally
        {
            foreach (var path in checkpoints.Values) File.Delete(path);
        }
        foreach (var pretrained in checkpoints.Keys)
        {
            Summarize(results.Where(r => r.Part == "diamonds").ToList(), "RMSE", higherIsBetter: false, pretrained, ["MLP from scratch", "XGBoost"]);
            Summarize(results.Where(r => r.Part == "diamonds").ToList(), "RMSE", higherIsBetter: false, Bagged(pretrained), [pretrained, Bagged("MLP from scratch"), "XGBoost"]);
        }
    }

    /// <summary>A model's name bagged as the fine-tuned candidate is (<see cref="Candidate.FineTunedBaggingFolds"/>).</summary>
    private static string Bagged(string name) => $"{name}, {Candidate.FineTunedBaggingFolds} bags";

    /// <summary>The fine-tuned MLP as <c>--pretrained</c> adds it to a comparison (<see cref="Candidate.FineTuned"/>): what the verdicts weigh.</summary>
    private static readonly string FineTunedAsCandidate = Bagged("MLP fine-tuned (full)");

    /// <summary>Fits one candidate on the labeled rows and scores it on the test rows; prints the line and returns the result.</summary>
    private static Result Measure(string part, int size, int seed, string name, IEstimator<ITransformer> pipeline, IDataView labeled, Func<ITransformer, double> score)
    {
        var fit = Stopwatch.StartNew();
        var model = pipeline.Fit(labeled);
        var seconds = fit.Elapsed.TotalSeconds;
        var value = score(model);
        (model as IDisposable)?.Dispose();
        Console.WriteLine($"{size,7} {seed,4} {name,-36} {value,10:0.0000} {seconds,7:F1}");
        return new Result(part, size, seed, name, value, seconds);
    }

    private static DeepTrainer Deep(PredictionTask task, DeepModelOptions options, string label, int seed) =>
        new(task, options with { LabelColumnName = label, Seed = seed }, seed);

    private static IEstimator<ITransformer> Featurized<TModel>(MLContext ml, TabularTrainer<TModel> trainer)
        where TModel : TabularModelParameters, ILoadableModel<TModel> =>
        ml.Transforms.FeaturizeFor(trainer).Append(trainer);

    /// <summary>Per size: every model's mean ± std and fit seconds; the focus model against each rival, paired over seeds.</summary>
    private static void Summarize(List<Result> results, string metric, bool higherIsBetter, string focus, string[] rivals)
    {
        Console.WriteLine($"\nsummary ({metric}, mean ± std over seeds; fit seconds median)");
        foreach (var size in results.Select(r => r.Size).Distinct())
        {
            var at = results.Where(r => r.Size == size).ToList();
            foreach (var model in at.Select(r => r.Model).Distinct())
            {
                var scores = at.Where(r => r.Model == model).Select(r => r.Score).ToList();
                Console.WriteLine($"{size,7} {model,-36} {scores.Average(),9:F4} ± {StandardDeviation(scores),7:F4}   {Timings.Median(at.Where(r => r.Model == model).Select(r => r.Seconds)),6:F1} s");
            }
            foreach (var rival in rivals)
            {
                var differences = at.Where(r => r.Model == focus).OrderBy(r => r.Seed)
                    .Zip(at.Where(r => r.Model == rival).OrderBy(r => r.Seed), (a, b) => higherIsBetter ? a.Score - b.Score : b.Score - a.Score).ToList();
                if (differences.Count < 2) continue;
                var test = CorrectedResampledTTest.Test(differences, testToTrainRatio: 0);
                Console.WriteLine($"{size,7} {focus} vs {rival}: better by {test.MeanDifference:+0.0000;-0.0000} on average, on {differences.Count(d => d > 0)}/{differences.Count} seeds, " +
                                  $"paired t = {test.T:F2}, p = {VerdictRule.PValue(test.PValue)}");
            }
        }
    }

    private static double StandardDeviation(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        return values.Count < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
