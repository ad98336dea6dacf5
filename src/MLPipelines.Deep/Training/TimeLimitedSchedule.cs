namespace MLPipelines.Deep.Training;

/// <summary>
/// How many epochs a time limit holds, projected from the epochs so far: where the limit binds,
/// the trainer plans its schedules over them (<see cref="Options.DeepModelOptions.FitScheduleToTimeLimit"/>).
/// </summary>
internal static class TimeLimitedSchedule
{
    /// <summary>
    /// The share of the projected epochs planned: the rest is kept for a machine that gets busier
    /// (the limit still cuts a fit that falls behind, as it does one that planned none).
    /// </summary>
    public const double Safety = 0.95;

    /// <summary>
    /// The epochs to plan after <paramref name="epochsDone"/>: those that fit in
    /// <paramref name="limit"/> at the pace so far, at most <paramref name="maxEpochs"/>; where no
    /// more fit, those done (the fit ends there rather than start an epoch the limit would cut).
    /// The pace leaves out the first epoch once there is a second: the first carries the fit's
    /// warm-up (on diamonds, 2 cores, counting it made the MLP plan 36–40 epochs in 46 s and use
    /// 37–41 s of them). Projected again after every epoch, the plan may grow as well as shrink;
    /// a change of a few epochs moves the schedules' phase by as little.
    /// </summary>
    public static int Planned(int epochsDone, TimeSpan elapsed, TimeSpan firstEpoch, TimeSpan limit, int maxEpochs)
    {
        if (epochsDone <= 0 || elapsed <= TimeSpan.Zero) return maxEpochs;
        var pace = epochsDone >= 2 && elapsed > firstEpoch ? (elapsed - firstEpoch) / (epochsDone - 1) : elapsed / epochsDone;
        var more = Math.Floor(Math.Max(0, (limit - elapsed) / pace) * Safety);
        return (int)Math.Min(maxEpochs, epochsDone + more);
    }
}
