using System.Diagnostics;

namespace MLPipelines.Benchmarks;

/// <summary>Runs one measurement in a process of its own and returns its last line of output.</summary>
public static class PeerProcess
{
    /// <summary>Debian's interpreter, which has python3-torch and python3-xgboost (not whatever python3 is first on PATH).</summary>
    public const string Python = "/usr/bin/python3";

    public static string Run(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{fileName} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}:\n{errors.Result}");
        return output.Trim().Split('\n')[^1];
    }

    /// <summary>The command line that starts this benchmark program again (apphost or dotnet + dll).</summary>
    public static (string FileName, string[] Prefix) Self()
    {
        var processPath = Environment.ProcessPath!;
        var assembly = typeof(PeerProcess).Assembly.Location;
        return Path.GetFileNameWithoutExtension(processPath) == "dotnet" ? (processPath, [assembly]) : (processPath, []);
    }

    /// <summary>The repository root (where MLPipelines.sln is), for shared data and scripts.</summary>
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MLPipelines.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("run the benchmarks from inside the repository");
    }
}
