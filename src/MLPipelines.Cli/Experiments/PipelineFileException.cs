namespace MLPipelines.Cli.Experiments;

/// <summary>
/// A pipeline file that cannot be run. The message is complete for the user: the file, the line
/// and the key where the line is known ("pipelines/x.yaml line 4: 'budget': ..."), so that the
/// command prints it after "error: " and nothing else.
/// </summary>
internal sealed class PipelineFileException(string message) : Exception(message);
