using System.CommandLine;
using MLPipelines.Cli.Shared;

namespace MLPipelines.Cli.Experiments;

/// <summary>
/// <c>mlpipelines run pipelines/diamonds.yaml</c>: the AutoML experiment a pipeline file
/// describes (<see cref="PipelineFile"/>), run exactly as <c>mlpipelines automl</c> runs one —
/// same output, same store (the same command resumes), same exit status. The file is the
/// record of the experiment; only the budget may be changed on the command line, for a quick
/// try of a file without editing it.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The pipeline file (YAML), e.g. pipelines/diamonds.yaml; pipelines/README.md describes its keys" };
        var budget = new Option<string?>("--budget") { Description = "Replaces the file's budget: 300, 300s, 5m, 1h30m" };
        var command = new Command("run", "Run the AutoML experiment a pipeline file describes") { file, budget };
        command.SetAction((parse, cancellation) =>
        {
            ExperimentJob job;
            try
            {
                job = PipelineFile.Read(parse.GetValue(file)!, CsvFormat.Given);
                if (parse.GetValue(budget) is { } text) job = job with { Budget = Durations.Parse(text, "--budget") };
            }
            catch (Exception e) when (e is PipelineFileException or ArgumentException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return Task.FromResult(2);
            }
            return Task.FromResult(ExperimentRunner.Run(job, cancellation));
        });
        return command;
    }
}
