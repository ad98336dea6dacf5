namespace MLPipelines.Deep.Tests;

/// <summary>A clock that advances by a fixed tick every time it is read: time limits measured in readings, not wall time.</summary>
internal sealed class TickingClock(TimeSpan tick) : TimeProvider
{
    private long _now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _now += tick.Ticks;
}
