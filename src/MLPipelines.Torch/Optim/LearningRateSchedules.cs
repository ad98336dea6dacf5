namespace MLPipelines.Torch.Optim;

/// <summary>A learning-rate multiplier as a function of the optimizer step (0, 1, 2, ...).</summary>
public interface ILearningRateSchedule
{
    /// <summary>The factor applied to each group's base learning rate at <paramref name="step"/>.</summary>
    double Factor(long step);
}

/// <summary>The base learning rate throughout.</summary>
public sealed class ConstantSchedule : ILearningRateSchedule
{
    public double Factor(long step) => 1.0;
}

/// <summary>Cosine decay from 1 to <paramref name="MinimumFactor"/> over <paramref name="TotalSteps"/>, then flat.</summary>
public sealed record CosineSchedule(long TotalSteps, double MinimumFactor = 0.0) : ILearningRateSchedule
{
    public double Factor(long step)
    {
        if (TotalSteps <= 0 || step >= TotalSteps) return MinimumFactor;
        var progress = (double)step / TotalSteps;
        return MinimumFactor + (1 - MinimumFactor) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}

/// <summary>
/// A linear ramp from 1/(warm-up steps) to 1 over the first <paramref name="WarmupSteps"/>,
/// then <paramref name="After"/> (counted from the end of the warm-up).
/// </summary>
public sealed record LinearWarmupSchedule(long WarmupSteps, ILearningRateSchedule After) : ILearningRateSchedule
{
    public double Factor(long step) =>
        step < WarmupSteps ? (step + 1.0) / WarmupSteps : After.Factor(step - WarmupSteps);
}

/// <summary>
/// Applies a schedule to an optimizer: each group's learning rate becomes its base rate times
/// the schedule's factor, and, with a weight-decay schedule, each group's weight decay its base
/// decay times that schedule's factor. Call <see cref="Step"/> once after each optimizer step.
/// </summary>
public sealed class LearningRateScheduler
{
    private readonly Optimizer _optimizer;
    private ILearningRateSchedule _schedule;
    private ILearningRateSchedule? _weightDecaySchedule;

    public LearningRateScheduler(Optimizer optimizer, ILearningRateSchedule schedule, ILearningRateSchedule? weightDecaySchedule = null)
    {
        _optimizer = optimizer;
        _schedule = schedule;
        _weightDecaySchedule = weightDecaySchedule;
        Apply();
    }

    /// <summary>How many optimizer steps have been taken.</summary>
    public long StepCount { get; private set; }

    /// <summary>The current factor.</summary>
    public double CurrentFactor => _schedule.Factor(StepCount);

    /// <summary>Goes on from the step reached with other schedules (a training plan shortened on the way), setting the rates they give there.</summary>
    public void Replace(ILearningRateSchedule schedule, ILearningRateSchedule? weightDecaySchedule)
    {
        _schedule = schedule;
        _weightDecaySchedule = weightDecaySchedule;
        Apply();
    }

    /// <summary>Advances one step and sets the learning rates for the next optimizer step.</summary>
    public void Step()
    {
        StepCount++;
        Apply();
    }

    private void Apply()
    {
        var factor = _schedule.Factor(StepCount);
        for (var g = 0; g < _optimizer.Groups.Count; g++)
            _optimizer.SetLearningRate(g, _optimizer.Groups[g].LearningRate * factor);
        if (_weightDecaySchedule is null) return;
        var decay = _weightDecaySchedule.Factor(StepCount);
        for (var g = 0; g < _optimizer.Groups.Count; g++)
            if (_optimizer.Groups[g].WeightDecay > 0) _optimizer.SetWeightDecay(g, _optimizer.Groups[g].WeightDecay * decay);
    }
}

/// <summary>
/// RealMLP's "flat_cos" (Holzmüller et al. 2024), for its weight decay and dropout: 1 for the
/// first half of training, then a half cosine down to 0: ½·(1 + cos(π·(2t − 1))) for t ≥ ½.
/// </summary>
public sealed record FlatCosineSchedule(long TotalSteps) : ILearningRateSchedule
{
    public double Factor(long step) => At((double)step / Math.Max(1, TotalSteps));

    /// <summary>The factor at a fraction t of training done.</summary>
    public static double At(double t)
    {
        t = Math.Clamp(t, 0, 1);
        return t < 0.5 ? 1.0 : 0.5 * (1 + Math.Cos(Math.PI * (2 * t - 1)));
    }
}

/// <summary>
/// RealMLP's "coslog" schedule (Holzmüller et al. 2024): with t the fraction of training done,
/// ½·(1 − cos(2π·log₂(1 + (2^c − 1)·t))) — c cosine cycles that get longer as training goes
/// on, ending at 0. "coslog4" is c = 4.
/// </summary>
public sealed record CoslogSchedule(long TotalSteps, int Cycles = 4) : ILearningRateSchedule
{
    public double Factor(long step)
    {
        var t = Math.Min(1.0, (double)step / Math.Max(1, TotalSteps));
        return 0.5 * (1 - Math.Cos(2 * Math.PI * Math.Log2(1 + (Math.Pow(2, Cycles) - 1) * t)));
    }
}
