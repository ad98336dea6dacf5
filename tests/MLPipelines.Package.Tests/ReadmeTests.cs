using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace MLPipelines.Package.Tests;

/// <summary>Every C# block of the README, compiled against the packages as its own console program and run, as a reader would.</summary>
[Collection(nameof(PackagesCollection))]
public sealed partial class ReadmeTests(PackedLibraries packages, ITestOutputHelper output)
{
    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [Fact]
    public void Every_csharp_block_of_the_README_compiles_against_the_packages_and_runs()
    {
        var readme = File.ReadAllText(Path.Combine(packages.Root, "README.md"));
        var blocks = CSharpBlock().Matches(readme).Select(m => m.Groups[1].Value).ToList();
        Assert.True(blocks.Count >= 5, $"the README has {blocks.Count} C# blocks");

        // The blocks read datasets/… and write model files where they run: a folder of their own.
        var work = Path.Combine(packages.Directory, "readme");
        Directory.CreateDirectory(work);
        Directory.CreateSymbolicLink(Path.Combine(work, "datasets"), Path.Combine(packages.Root, "datasets"));
        // One project per block, built together (one solution, built in parallel).
        // A block that needs other packages says so in its first line: "// NuGet: Name Version, Name" (no version: this run's of ours).
        var projects = blocks.Select((block, i) => packages.Sample($"Readme{i + 1}", block, ["MLPipelines.AutoML"], OtherPackages(block, packages.Version))).ToList();
        var solution = Path.Combine(packages.Directory, "readme.slnx");
        File.WriteAllText(solution, $"<Solution>\n{string.Concat(projects.Select(p => $"  <Project Path=\"{Path.Combine(p, Path.GetFileName(p) + ".csproj")}\" />\n"))}</Solution>\n");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Process.Run("dotnet", ["build", solution, "-nologo", "-v", "q"], packages.Directory);
        output.WriteLine($"built {projects.Count} blocks in {clock.Elapsed.TotalSeconds:F0} s");
        for (var i = 0; i < projects.Count; i++)
        {
            clock.Restart();
            var printed = Process.Run("dotnet", [Path.Combine(projects[i], "bin", "Debug", "net10.0", $"Readme{i + 1}.dll")], work);
            output.WriteLine($"block {i + 1} ({clock.Elapsed.TotalSeconds:F0} s):\n{printed}");
            Assert.False(string.IsNullOrWhiteSpace(printed), $"block {i + 1} printed nothing");
        }
    }

    private static (string Name, string Version)[] OtherPackages(string block, string ourVersion)
    {
        var first = block.Split('\n')[0];
        const string prefix = "// NuGet:";
        if (!first.StartsWith(prefix, StringComparison.Ordinal)) return [];
        return first[prefix.Length..].Split(',').Select(p => p.Trim().Split(' ')).Select(p => (p[0], p.Length > 1 ? p[1] : ourVersion)).ToArray();
    }
}
