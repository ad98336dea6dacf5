using System.Diagnostics;

namespace MLPipelines.AutoML.Tests.Reports;

/// <summary>
/// Opens an HTML file in headless Chromium (Debian package chromium, installed by
/// scripts/setup.sh): the DOM after the page loaded, and a screenshot. A browser, not a
/// string search, says whether the report renders.
/// </summary>
internal static class HeadlessChromium
{
    private static readonly string[] Names = ["chromium", "chromium-browser", "google-chrome"];

    /// <summary>The document as Chromium serializes it after loading the page.</summary>
    public static string DumpDom(string htmlPath) => Run(htmlPath, "--dump-dom");

    /// <summary>Writes a PNG of the page, <paramref name="width"/> × <paramref name="height"/> pixels from its top.</summary>
    public static void Screenshot(string htmlPath, string pngPath, int width, int height) =>
        Run(htmlPath, $"--screenshot={pngPath}", $"--window-size={width},{height}", "--hide-scrollbars");

    private static string Run(string htmlPath, params string[] arguments)
    {
        var executable = Find() ?? throw new InvalidOperationException(
            $"headless Chromium is needed to check the report and none of {string.Join(", ", Names)} is on PATH: run scripts/setup.sh (Debian package chromium)");
        // A profile of its own: Chromium refuses a profile another instance holds, and leaves files in it.
        var profile = Directory.CreateTempSubdirectory("mlpipelines-chromium").FullName;
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", $"--user-data-dir={profile}" }.Concat(arguments))
            start.ArgumentList.Add(argument);
        start.ArgumentList.Add(new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri);
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{executable} did not finish within 60 s on {htmlPath}");
            }
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{executable} exited with {process.ExitCode} on {htmlPath}: {errors.Result}");
            return output.Result;
        }
        finally
        {
            // Chromium's crash handler can outlive the browser by a moment; a temporary folder left behind is harmless.
            try { Directory.Delete(profile, recursive: true); }
            catch (IOException) { }
        }
    }

    private static string? Find() => Names
        .SelectMany(name => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, name)))
        .FirstOrDefault(File.Exists);
}
