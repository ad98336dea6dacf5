using System.Runtime.InteropServices;

namespace MLPipelines.Cli.Shared;

/// <summary>
/// Turns SIGTERM (a container or CI stopping the job) into the same cancellation as Ctrl+C, so
/// that a long command records what finished and prints its summary instead of dying mid-write.
/// </summary>
internal sealed class Termination : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly PosixSignalRegistration _registration;

    public Termination(CancellationToken interrupt)
    {
        _source = CancellationTokenSource.CreateLinkedTokenSource(interrupt);
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            Terminated = true;
            _source.Cancel();
        });
    }

    public CancellationToken Token => _source.Token;

    /// <summary>True when SIGTERM (not Ctrl+C) cancelled the command.</summary>
    public bool Terminated { get; private set; }

    /// <summary>The conventional exit status of a command stopped by a signal: 128 + its number.</summary>
    public int ExitCode => Terminated ? 143 : 130;

    public void Dispose()
    {
        _registration.Dispose();
        _source.Dispose();
    }
}
