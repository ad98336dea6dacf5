using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.AutoML.Ensembles;
using MLPipelines.AutoML.Search;
using MLPipelines.AutoML.Trials;
using MLPipelines.AutoML.Verdicts;
using MLPipelines.Data;
using MLPipelines.Data.DataViews;
using MLPipelines.Deep.Training;
using MLPipelines.Ensembles;
using MLPipelines.Torch;
using MLPipelines.Trainers;

namespace MLPipelines.AutoML.Experiments;

/// <summary>
/// An AutoML experiment over classical and deep candidates, shaped like ML.NET AutoML's
/// <c>AutoMLExperiment</c>: set the data, the settings (label, task, budget, trial limit,
/// folds, seed, threads, verdict), the candidates, a trial store and a monitor, then
/// <see cref="Run"/>. Every trial is a candidate with a configuration, scored on the same
/// folds; the search (<see cref="SearchPlan"/>) runs the portfolio of defaults, then tunes each
/// family with the sampler (TPE by default). A tuned trial behind its candidate's earlier ones
/// at an epoch or round of its first fold is halved there (<see cref="SuccessiveHalving"/>), and
/// one clearly behind its family's best after its first fold (worse than that trial's worst
/// fold) is stopped there, as is a deep default whose first fold its time limit cut
/// (<see cref="TrialRunner"/>). The verdict (<see cref="VerdictRule"/>) weighs the best classical
/// against the best deep model and a cross-fitted ensemble of both families
/// (<see cref="CrossFittedEnsemble"/>), on further repetitions of k-fold as the budget allows
/// (<see cref="VerdictRepeats"/>; which folds it pairs: <see cref="VerdictFolds"/>); the champion is refitted on all rows. Trials are written to
/// the store as they finish, so a killed experiment run again with the same settings and store
/// resumes where it was.
/// </summary>
public sealed class TabularExperiment(MLContext ml)
{
    private IDataView? _data;
    private ExperimentSettings? _settings;
    private IReadOnlyList<Candidate> _candidates = Candidate.Portfolio;
    private ITrialStore? _store;
    private IProgress<ExperimentProgress>? _monitor;
    private ISampler _sampler = new TpeSampler();

    public TabularExperiment SetDataset(IDataView data) => Set(() => _data = data);

    public TabularExperiment SetSettings(ExperimentSettings settings) => Set(() => _settings = settings);

    /// <summary>The candidates, in the order the portfolio runs them (cheapest first). Default: <see cref="Candidate.Portfolio"/>.</summary>
    public TabularExperiment SetCandidates(IEnumerable<Candidate> candidates) => Set(() => _candidates = candidates.ToList());

    /// <summary>Where trials are kept (the caller disposes it). Default: in memory only.</summary>
    public TabularExperiment SetStore(ITrialStore store) => Set(() => _store = store);

    public TabularExperiment SetMonitor(IProgress<ExperimentProgress> monitor) => Set(() => _monitor = monitor);

    public TabularExperiment SetSampler(ISampler sampler) => Set(() => _sampler = sampler);

    private TabularExperiment Set(Action set)
    {
        set();
        return this;
    }

    /// <summary>
    /// Runs the experiment. Bad settings throw <see cref="ArgumentException"/>, a label that
    /// does not fit the task <see cref="DataValidationException"/>, before any training.
    /// Cancellation ends it after recording what finished (the running trial is rerun when
    /// the experiment resumes) and returns what was found so far.
    /// </summary>
    public ExperimentResult Run(CancellationToken cancellation = default)
    {
        var data = _data ?? throw new InvalidOperationException("SetDataset first");
        var settings = _settings ?? throw new InvalidOperationException("SetSettings first");
        settings.Validate();
        CheckCandidates(_candidates);
        var metric = TaskMetric.For(settings.Task);
        var prepared = LabelPreparation.Prepare(ml, data, settings.Label, settings.Task, out var classes);
        var rows = prepared.GetRowCount() ?? ColumnReaders.ToTable(prepared, [prepared.Schema[settings.Label]]).RowCount;
        if (rows < 2 * settings.Folds)
            throw new ArgumentException($"{settings.Folds} folds need at least {2 * settings.Folds} rows (2 held out per fold); the data has {rows}");
        var folds = DataCatalogExtensions.StratifiedFolds(prepared, settings.Label, settings.Folds, settings.Seed);
        _ensembles.Clear();
        // The experiment owns the cores: libtorch's intra-op threads take them, BLAS runs inside one of them.
        TorchRuntime.SetThreads(settings.ThreadCount, 1);

        using var memoryStore = _store is null ? new InMemoryTrialStore() : null;
        var store = _store ?? memoryStore!;
        var history = store.Open(Identity(settings, prepared, rows)).ToList();
        var spentBefore = TimeSpan.FromSeconds(history.Sum(t => t.Seconds));
        var clock = Stopwatch.StartNew();
        TimeSpan Spent() => spentBefore + clock.Elapsed;
        if (history.Count > 0) _monitor?.Report(new ExperimentResumed(Spent(), history.ToList()));
        _repeats = new VerdictRepeats(ml, prepared, folds, _candidates, settings, store, _monitor, Spent);

        var plan = new SearchPlan(_candidates, settings, metric, _sampler);
        SearchEnd end;
        _repeatsDeclined = false;
        // The search stops where the time kept for the verdict's repetitions begins; they run, and the search goes on
        // with what they left (fewer repetitions to keep time for; once one did not fit, only what a contender found later needs
        // to catch up with the others), until neither has anything to do.
        do
        {
            end = Search(history, prepared, folds, store, plan, settings, metric, Spent, cancellation);
            if (end == SearchEnd.Cancelled) break;
            var repeated = RepeatVerdict(history, settings, metric, Spent, cancellation);
            if (repeated == RepeatEnd.Cancelled) end = SearchEnd.Cancelled;
            else if (repeated == RepeatEnd.Nothing || (repeated == RepeatEnd.Declined && _repeatsDeclined)) break;
            else if (repeated == RepeatEnd.Declined) _repeatsDeclined = true;
        } while (end == SearchEnd.Reserve);

        var cancelled = end == SearchEnd.Cancelled;
        var choice = Decide(history, settings, metric, final: true);
        var refitClock = Stopwatch.StartNew();
        var (champion, finalists) = cancelled ? (null, []) : Refit(choice, prepared, classes, settings, Spent, cancellation);
        return new ExperimentResult(settings, metric, history, choice.Verdict, choice.Summary, choice.Champion, choice.Finalists,
            champion, finalists, Spent(), cancelled)
        {
            Ensemble = choice.Ensemble, VerdictFolds = choice.Folds, RefitSeconds = refitClock.Elapsed.TotalSeconds,
            NotTried = _candidates.Where(c => history.All(t => t.Candidate != c.Name)).Select(c => c.Name).ToList(),
        };
    }

    /// <summary>How a round of the verdict's repetitions ended.</summary>
    private enum RepeatEnd
    {
        /// <summary>Folds ran.</summary>
        Ran,

        /// <summary>No repetition was missing.</summary>
        Nothing,

        /// <summary>The next repetition did not fit in the budget left.</summary>
        Declined,

        Cancelled,
    }

    /// <summary>Set when a repetition did not fit: the search then takes what is left, keeping back only what a contender it finds needs to catch up.</summary>
    private bool _repeatsDeclined;

    private enum SearchEnd
    {
        /// <summary>The time left is what the verdict's repetitions and the refits need, or a trial ran into that time (or there is nothing more to try).</summary>
        Reserve,

        /// <summary>The trial limit was reached.</summary>
        Limit,

        Cancelled,
    }

    /// <summary>Runs trials as the plan proposes them until the budget left is the reserve, the trial limit is reached, or the user cancels.</summary>
    private SearchEnd Search(List<TrialRecord> history, IDataView prepared, IReadOnlyList<Fold> folds, ITrialStore store, SearchPlan plan,
        ExperimentSettings settings, TaskMetric metric, Func<TimeSpan> spent, CancellationToken cancellation)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var runner = new TrialRunner(ml, prepared, folds, settings, metric, store, _monitor, spent, deadline.Token) { UserCancellation = cancellation };
        while (!(settings.MaxTrials is { } limit && history.Count >= limit))
        {
            if (cancellation.IsCancellationRequested) return SearchEnd.Cancelled;
            TimeSpan? available = settings.Budget is { } total ? total - spent() - Reserve(history, settings, metric) : null;
            // The deadline moves with the reserve: a trial that overshoots its time limit (a deep model checks it
            // between epochs) is stopped before it eats the time the verdict's repetitions and the champion's refit need.
            if (available is { } left) deadline.CancelAfter(Max(left, TimeSpan.Zero));
            var next = plan.Next(history, available);
            if (next is null) return SearchEnd.Reserve;
            try
            {
                var trial = runner.Run(history.Count + 1, next, history);
                history.Add(trial);
                // The deadline it ran into is where the reserve begins: the repetitions may hand that time back.
                if (trial.Status == TrialStatus.OverBudget) return SearchEnd.Reserve;
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                return SearchEnd.Cancelled;
            }
        }
        return SearchEnd.Limit;
    }

    /// <summary>
    /// The verdict as the trials so far give it: the champion is <see cref="Champion"/>, or the
    /// ensemble when the verdict chose it; <see cref="Ensemble"/> is the ensemble contender, if any.
    /// </summary>
    private sealed record Choice(Verdict? Verdict, string Summary, TrialRecord? Champion, IReadOnlyDictionary<ModelFamily, TrialRecord> Finalists,
        TrialEnsemble? Ensemble)
    {
        /// <summary>The folds the verdict paired its contenders on (null without a verdict).</summary>
        public VerdictFolds? Folds { get; init; }

        public bool EnsembleChosen => Verdict?.Outcome == VerdictOutcome.Ensemble;

        /// <summary>The trials the verdict weighs: where deep is judged, the best of each family and the ensemble's members.</summary>
        public List<TrialRecord> VerdictTrials() => [.. Champions().Concat(Ensemble?.Members.Select(m => m.Trial) ?? []).Distinct()];

        /// <summary>Where deep is judged, the best of each family.</summary>
        public List<TrialRecord> Champions() => Verdict?.Deep is null ? [] : [Finalists[ModelFamily.Classical], Finalists[ModelFamily.Deep]];

        /// <summary>The trials a repetition of k-fold scores again, with <paramref name="room"/> for repetitions (<see cref="VerdictRepeats.Scored"/>).</summary>
        public IReadOnlyList<TrialRecord> RepeatedTrials(ExperimentSettings settings, TimeSpan? room) => VerdictRepeats.Scored(VerdictTrials(), Champions(), settings, room);

        /// <summary>The trials refitted on all rows at the end: the champion's (an ensemble's members), and with finalists each family's best.</summary>
        public List<TrialRecord> RefitTrials(ExperimentSettings settings) =>
            RefitTrials(settings, EnsembleChosen ? Ensemble!.Members.Select(m => m.Trial) : Champion is null ? [] : [Champion]);

        /// <summary>
        /// <see cref="RefitTrials(ExperimentSettings)"/> for each outcome the verdict may still reach: as it stands, each
        /// family champion chosen, the ensemble chosen. The verdict's repetitions may turn it.
        /// </summary>
        public IEnumerable<List<TrialRecord>> RefitTrialsOfEachOutcome(ExperimentSettings settings)
        {
            yield return RefitTrials(settings);
            foreach (var champion in Champions()) yield return RefitTrials(settings, [champion]);
            if (Ensemble is not null) yield return RefitTrials(settings, Ensemble.Members.Select(m => m.Trial));
        }

        private List<TrialRecord> RefitTrials(ExperimentSettings settings, IEnumerable<TrialRecord> champion)
        {
            var trials = settings.RefitChampion ? champion.ToList() : [];
            if (settings.RefitFinalists) trials.AddRange(Finalists.Values.Where(t => !trials.Contains(t)));
            return trials;
        }
    }

    private VerdictRepeats _repeats = null!;

    /// <summary>Ensembles already selected, by their library: the selection is repeated only when a new trial enters it.</summary>
    private readonly Dictionary<string, TrialEnsemble?> _ensembles = [];

    /// <summary>The best trial of each family, and the verdict between them.</summary>
    /// <remarks>
    /// Only the <paramref name="final"/> decision lets near-equals scored on more repetitions stand for their family
    /// (<see cref="FamilyChampion"/>): before it, a better trial found late is the champion, so that the repetitions
    /// catch it up where the budget allows.
    /// </remarks>
    private Choice Decide(IReadOnlyList<TrialRecord> history, ExperimentSettings settings, TaskMetric metric, bool final = false)
    {
        var classical = FamilyChampion.Choose(history, ModelFamily.Classical, settings, metric, preferRepeated: final);
        var deep = FamilyChampion.Choose(history, ModelFamily.Deep, settings, metric, preferRepeated: final);
        var finalists = new Dictionary<ModelFamily, TrialRecord>();
        if (classical is not null) finalists[ModelFamily.Classical] = classical;
        if (deep is not null) finalists[ModelFamily.Deep] = deep;
        if (classical is null)
        {
            var best = history.Where(t => t.Mean(settings.Folds) is not null)
                .OrderBy(t => metric.Loss(t.Mean(settings.Folds)!.Value)).FirstOrDefault();
            var summary = best is null
                ? "No verdict: no candidate completed its folds."
                : $"No verdict: no classical model completed its folds; the best model is {Label(best)} ({metric.Name} {VerdictRule.Number(best.Mean(settings.Folds)!.Value)}).";
            return new Choice(null, summary, best, finalists, null);
        }
        // The verdict pairs the two on the repetitions of k-fold both have: the new ones alone once there are enough.
        var repeats = Math.Min(classical.RepeatsScored(settings.Folds, settings.Repeats), deep?.RepeatsScored(settings.Folds, settings.Repeats) ?? 1);
        var folds = VerdictFolds.For(repeats, settings.Folds);
        var deepContender = deep is null ? null : Contender(deep, settings, folds);
        // An ensemble is weighed only where deep is judged: it needs converged models of both families.
        var ensemble = deepContender is { Converged: true } ? Ensemble(history, settings, metric, repeats) : null;
        var verdict = VerdictRule.Decide(Contender(classical, settings, folds), deepContender, ensemble?.Contender(folds), metric,
            1.0 / (settings.Folds - 1), settings.Verdict, NoDeepReason(history));
        var champion = verdict.Outcome switch
        {
            VerdictOutcome.Deep => deep,
            VerdictOutcome.Ensemble => null,
            _ => classical,
        };
        return new Choice(verdict, verdict.Sentence, champion, finalists, ensemble) { Folds = folds };
    }

    private TrialEnsemble? Ensemble(IReadOnlyList<TrialRecord> history, ExperimentSettings settings, TaskMetric metric, int repeats)
    {
        var key = repeats + ":" + string.Join(",", CrossFittedEnsemble.Library(history, settings, metric, repeats).Select(t => t.Number));
        if (!_ensembles.TryGetValue(key, out var ensemble))
            _ensembles[key] = ensemble = CrossFittedEnsemble.Build(history, _repeats.Labels(repeats), settings, metric);
        return ensemble;
    }

    /// <summary>
    /// After the search: the verdict's contenders scored on further repetitions of k-fold, one
    /// repetition at a time, as long as the budget left (the refits kept back, <see cref="RefitReserve"/>)
    /// holds the whole repetition with the <see cref="VerdictRepeats.StartingSlack"/>.
    /// </summary>
    private RepeatEnd RepeatVerdict(List<TrialRecord> history, ExperimentSettings settings, TaskMetric metric, Func<TimeSpan> spent, CancellationToken cancellation)
    {
        var ran = false;
        for (var repeat = 2; repeat <= settings.Repeats; repeat++)
        {
            var choice = Decide(history, settings, metric);
            TimeSpan? left = settings.Budget is { } total ? total - spent() - RefitReserve(choice, settings) : null;
            // What is left decides, not the share planned: a champion found late may leave room for its own repetitions only.
            TimeSpan? room = left.HasValue ? VerdictRepeats.StartingRoom(left.Value) : null;
            var missing = choice.RepeatedTrials(settings, room).Where(t => t.RepeatedFoldScores(settings.Folds, repeat) is null).ToList();
            if (missing.Count == 0) continue;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            if (left is { } time)
            {
                if (VerdictRepeats.RepetitionTime(missing, settings.Folds) > room) return ran ? RepeatEnd.Ran : RepeatEnd.Declined;
                deadline.CancelAfter(time);
            }
            foreach (var trial in missing)
            {
                // Under a budget, a deep model may train each fold half as long again as its slowest search fold (the
                // repetition's slack), and a second more: a fit of hundredths of a second is at the mercy of a busy machine.
                TimeSpan? limit = settings.Budget is null || trial.Family != ModelFamily.Deep
                    ? null : TimeSpan.FromSeconds(VerdictRepeats.Slack * trial.Folds.Where(f => f.Fold <= settings.Folds).Max(f => f.FitSeconds) + 1);
                try
                {
                    var repeated = _repeats.Run(trial, repeat, limit, deadline.Token);
                    history[history.FindIndex(t => t.Number == trial.Number)] = repeated;
                    // A fold that failed before is not run again: only new folds count as progress.
                    ran |= repeated.Folds.Count > trial.Folds.Count;
                }
                catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
                {
                    return RepeatEnd.Cancelled;
                }
                catch (OperationCanceledException)
                {
                    // The deadline cut a fold short: what is left does not hold a repetition.
                    return ran ? RepeatEnd.Ran : RepeatEnd.Declined;
                }
            }
        }
        return ran ? RepeatEnd.Ran : RepeatEnd.Nothing;
    }

    /// <summary>Why no deep trial completed: none was a candidate, the budget ran out first, or they failed.</summary>
    private string NoDeepReason(IReadOnlyList<TrialRecord> history)
    {
        if (!_candidates.Any(c => c.Family == ModelFamily.Deep)) return "no deep model was among the candidates";
        var deepTrials = history.Where(t => t.Family == ModelFamily.Deep).ToList();
        if (deepTrials.Count == 0) return "budget too small — it ran out before any deep model was trained";
        if (deepTrials.All(t => t.Status == TrialStatus.OverBudget))
        {
            // The folds that finished say how long a converged fit of every fold would take.
            var folds = deepTrials.SelectMany(t => t.Folds).Where(f => f.Metric is not null).ToList();
            var needed = folds.Count == 0 ? "" : $"; at least {VerdictRule.Duration(folds.Average(f => f.ConvergedSeconds) * _settings!.Folds)} would be needed here";
            return $"budget too small — every deep trial was stopped by it before its folds were done{needed}";
        }
        return "no deep model succeeded (see the trials' notes)";
    }

    /// <summary>A trial as the verdict weighs it, on <paramref name="folds"/> (default: the search's); the budget it would need is one k-fold's.</summary>
    internal static Contender Contender(TrialRecord trial, ExperimentSettings settings, VerdictFolds? folds = null)
    {
        folds ??= VerdictFolds.For(1, settings.Folds);
        var paired = trial.Folds.Where(f => folds.Holds(f.Fold)).ToList();
        return new(Label(trial), trial.Family, folds.Take(trial.RepeatedFoldScores(settings.Folds, folds.Last)!), paired.Average(f => f.FitSeconds),
            paired.Average(f => f.PredictSeconds), trial.Converged(settings.Folds), trial.ConvergedSeconds(settings.Folds));
    }

    /// <summary>A trial as the verdict and the leaderboard name it: "XGBoost" for defaults, "XGBoost #12" for a tuned trial.</summary>
    public static string Label(TrialRecord trial) => trial.Configuration is null ? trial.Candidate : $"{trial.Candidate} #{trial.Number}";

    /// <summary>
    /// Refits the champion (an ensemble's members, then the ensemble of them) and the finalists
    /// as asked on all rows, each with the configuration and seed of its trial. A binary label's
    /// <paramref name="classes"/> (of a text or number label) are appended to the champion and the finalists as
    /// <see cref="PredictionColumns.PredictedClass"/>: a saved model then says 'Yes', not only true.
    /// </summary>
    private (RefittedModel? Champion, List<RefittedModel> Finalists) Refit(Choice choice, IDataView prepared, (string False, string True)? classes,
        ExperimentSettings settings, Func<TimeSpan> spent, CancellationToken cancellation)
    {
        RefittedModel Shipped(RefittedModel refitted)
        {
            if (classes is not { } names) return refitted;
            var naming = LabelPreparation.PredictedClass(ml, names).Fit(refitted.Model.Transform(prepared));
            // One flat chain, as a fitted pipeline is (ITransformer.Append would nest the model's chain in a new one).
            var stages = refitted.Model as IEnumerable<ITransformer> ?? [refitted.Model];
            return refitted with { Model = new TransformerChain<ITransformer>([.. stages, naming]) };
        }

        var refitted = new List<RefittedModel>();
        foreach (var trial in choice.RefitTrials(settings))
        {
            var candidate = _candidates.First(c => c.Name == trial.Candidate);
            _monitor?.Report(new Refitting(spent(), Label(trial)));
            var stopwatch = Stopwatch.StartNew();
            var candidateSettings = new CandidateSettings(ml, settings.Task, settings.Label, trial.Seed, settings.ThreadCount, RefitTimeLimit(trial, settings), null, cancellation)
            {
                Configuration = trial.Configuration is null ? null : Configuration.FromJson(trial.Configuration, candidate.SearchSpace!),
            };
            var model = candidate.CreatePipeline(candidateSettings).Fit(prepared);
            refitted.Add(new RefittedModel(Label(trial), trial, model, stopwatch.Elapsed.TotalSeconds));
        }
        var finalists = settings.RefitFinalists ? refitted.Where(r => choice.Finalists.Values.Contains(r.Trial)).Select(Shipped).ToList() : [];
        if (!settings.RefitChampion) return (null, finalists);
        if (!choice.EnsembleChosen) return (refitted.FirstOrDefault(r => r.Trial == choice.Champion) is { } single ? Shipped(single) : null, finalists);
        var members = choice.Ensemble!.Members.Select(m => refitted.First(r => r.Trial == m.Trial)).ToList();
        var ensemble = new WeightedEnsembleTransformer(settings.Task, members.Select(r => r.Model).ToList(), choice.Ensemble.Members.Select(m => m.Weight).ToList());
        return (Shipped(new RefittedModel(choice.Ensemble.Name, null, ensemble, members.Sum(r => r.FitSeconds))), finalists);
    }

    /// <summary>All rows are k/(k−1) times a fold's training rows: a deep model refitted on them may take that much longer than its slowest fold, and a fifth more.</summary>
    private static TimeSpan? RefitTimeLimit(TrialRecord trial, ExperimentSettings settings) =>
        trial.Family == ModelFamily.Deep ? TimeSpan.FromSeconds(trial.Folds.Max(f => f.FitSeconds) * settings.Folds / (settings.Folds - 1) * 1.2) : null;

    /// <summary>The time the search leaves for after it: the verdict's repetitions of k-fold and the final refits.</summary>
    private TimeSpan Reserve(IReadOnlyList<TrialRecord> history, ExperimentSettings settings, TaskMetric metric)
    {
        var choice = Decide(history, settings, metric);
        return RepeatReserve(choice, settings) + RefitReserve(choice, settings);
    }

    /// <summary>
    /// The repetitions of k-fold the verdict as it stands can have: each is given what its
    /// contenders' search folds cost and the slack, and all of them together at most a quarter of the budget
    /// (when one repetition costs more, there are none, and nothing is kept back). When all
    /// ran, one is still kept: the time a later champion's repetition needs, or handed back unused.
    /// Once a repetition did not fit, the search takes the rest but for the time a contender found
    /// since needs to catch up with the repetitions the others have: without it, a champion found
    /// in the last seconds leaves the verdict on the search's folds alone, where it was the best of
    /// hundreds of trials (measured: letters, 20 labeled rows per class, 10 minutes).
    /// </summary>
    private TimeSpan RepeatReserve(Choice choice, ExperimentSettings settings)
    {
        if (settings.Budget is not { } budget) return TimeSpan.Zero;
        var trials = choice.RepeatedTrials(settings, budget * VerdictRepeats.BudgetShare);
        if (_repeatsDeclined) return TimeSpan.FromSeconds(VerdictRepeats.Slack * VerdictRepeats.CatchUpCost(trials, settings.Folds, settings.Repeats));
        var perRepeat = VerdictRepeats.RepetitionTime(trials, settings.Folds);
        var done = trials.Count == 0 ? 0 : trials.Min(t => t.RepeatsScored(settings.Folds, settings.Repeats));
        if (perRepeat <= TimeSpan.Zero) return TimeSpan.Zero;
        // Once repetitions ran, one stays kept while the search goes on: a trial that displaces a contender
        // then is repeated in it, instead of leaving the verdict on one k-fold.
        var wanted = Math.Max(settings.Repeats - done, done > 1 ? 1 : 0);
        var affordable = Math.Min(wanted, (int)Math.Floor(budget * VerdictRepeats.BudgetShare / perRepeat));
        return Math.Max(0, affordable) * perRepeat;
    }

    /// <summary>
    /// The time kept back for the final refits, from the trials so far: each refitted trial's
    /// slowest fold fit scaled to all rows, for the costliest outcome the verdict may still reach
    /// (the champion, or an ensemble's members; with finalists each family champion too). Not the
    /// verdict as it stands: a repetition may turn it (ames, 4 minutes: one turned it from XGBoost
    /// to an ensemble with the MLP, whose refit took the 11 s that were not kept; 247 s of 240 spent).
    /// </summary>
    private static TimeSpan RefitReserve(Choice choice, ExperimentSettings settings) =>
        TimeSpan.FromSeconds(choice.RefitTrialsOfEachOutcome(settings).Max(trials => trials.Sum(t => t.Folds.Max(f => f.FitSeconds) * settings.Folds / (settings.Folds - 1))));

    private static void CheckCandidates(IReadOnlyList<Candidate> candidates)
    {
        if (candidates.Count == 0) throw new ArgumentException("an experiment needs at least one candidate");
        var duplicate = candidates.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"two candidates are named '{duplicate.Key}': names identify trials in the store");
    }

    /// <summary>
    /// What identifies the experiment in its store: the data's shape, label, task, folds, seed,
    /// candidates and verdict settings. The budget, trial limit and threads are left out, so a
    /// finished experiment can be continued with more of them.
    /// </summary>
    private static string Identity(ExperimentSettings settings, IDataView data, long rows) => JsonSerializer.Serialize(new
    {
        settings.Label,
        Task = settings.Task.ToString(),
        settings.Folds,
        settings.Seed,
        settings.Verdict.Alpha,
        settings.Verdict.RelativeMargin,
        Rows = rows,
        Columns = data.Schema.Where(c => !c.IsHidden).Select(c => $"{c.Name}:{c.Type}").ToArray(),
    });

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
