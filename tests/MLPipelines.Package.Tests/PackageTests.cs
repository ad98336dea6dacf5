
namespace MLPipelines.Package.Tests;

/// <summary>
/// The libraries packed once for the tests of this assembly, with a version of this run's own
/// (so that NuGet's package cache never serves an older build), into a folder feed; the
/// cached copies are deleted afterwards.
/// </summary>
public sealed class PackedLibraries : IDisposable
{
    private static readonly string[] Packages = ["MLPipelines.Onnx", "MLPipelines.Torch", "MLPipelines.Core", "MLPipelines.XGBoost", "MLPipelines.Deep", "MLPipelines.AutoML", "MLPipelines.Vision"];

    public PackedLibraries()
    {
        Feed = Path.Combine(Directory, "feed");
        foreach (var package in Packages)
            Process.Run("dotnet", ["pack", System.IO.Path.Combine(Root, "src", package), "-c", "Release", "--no-build", "-o", Feed, $"-p:Version={Version}", "-nologo"], Root);
        Assert.Equal(Packages.Select(p => $"{p}.{Version}.nupkg").Order(), System.IO.Directory.GetFiles(Feed).Select(System.IO.Path.GetFileName).Order());
    }

    public string Root { get; } = FindRoot();

    public string Version { get; } = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmssfff}";

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("mlpipelines-packages").FullName;

    public string Feed { get; }

    public static string PackageCache() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>
    /// A console project in its own folder, outside the solution, with this Program.cs, referencing
    /// the given packages at this run's version, and <paramref name="others"/> (name, version) as given.
    /// </summary>
    public string Sample(string name, string program, string[] packages, IReadOnlyList<(string Name, string Version)>? others = null)
    {
        var folder = System.IO.Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(folder);
        File.WriteAllText(System.IO.Path.Combine(folder, "Program.cs"), program);
        File.WriteAllText(System.IO.Path.Combine(folder, $"{name}.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
            {string.Concat(packages.Select(p => (p, Version)).Concat(others ?? []).Select(p => $"    <PackageReference Include=\"{p.Item1}\" Version=\"{p.Item2}\" />\n"))}  </ItemGroup>
            </Project>
            """);
        // The folder feed first; everything else (ML.NET) from the sources the repository uses.
        var repositoryConfig = File.ReadAllText(System.IO.Path.Combine(Root, "nuget.config"));
        File.WriteAllText(System.IO.Path.Combine(folder, "nuget.config"), repositoryConfig.Replace("<clear />", $"<clear />\n    <add key=\"mlpipelines\" value=\"{Feed}\" />"));
        return folder;
    }

    public void Dispose()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        foreach (var package in Packages)
        {
            var folder = System.IO.Path.Combine(PackageCache(), package.ToLowerInvariant(), Version);
            if (System.IO.Directory.Exists(folder)) System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "MLPipelines.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("the repository root (MLPipelines.sln) was not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A program run to its end, its output returned; a non-zero exit fails the test with what it printed.</summary>
internal static class Process
{
    public static string Run(string program, string[] arguments, string directory)
    {
        var start = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = System.Diagnostics.Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(8))) process.Kill(entireProcessTree: true);
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{output}\n{error.Result}");
        return output;
    }
}

/// <summary>
/// The packages as an ML.NET user gets them: console projects outside the solution restore
/// them from the folder feed, build, and run an ML.NET pipeline with the project's trainers.
/// </summary>
[Collection(nameof(PackagesCollection))]
public sealed class PackageTests(PackedLibraries packages)
{
    private static string SampleProgram(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", name, "Program.cs"));

    [Fact]
    public void A_console_project_restores_the_packages_from_a_folder_feed_and_runs_an_ML_NET_pipeline_with_them()
    {
        var user = packages.Sample("User", SampleProgram("User"), ["MLPipelines.Deep", "MLPipelines.XGBoost"]);
        var diamonds = Path.Combine(packages.Root, "datasets", "diamonds.csv");
        var model = Path.Combine(packages.Directory, "tabm.zip");
        var trained = Process.Run("dotnet", ["run", "--project", user, "--", "train", diamonds, model], user);
        var rmse = trained.Split('\n').Where(l => l.Contains(" RMSE ")).ToDictionary(l => l.Split(' ')[0], l => double.Parse(l.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["TabM", "XGBoost"], rmse.Keys.Order());
        Assert.InRange(rmse["XGBoost"], 200, 1500);   // carat, cut and depth explain most of a price (standard deviation ~4,000)
        Assert.InRange(rmse["TabM"], 200, 3000);      // three short epochs
        Assert.Contains("first prediction", Process.Run("dotnet", ["run", "--project", user, "--no-build", "--", "predict", model, diamonds], user));

        // Without the package that holds the model's type, loading says which package it needs.
        var coreOnly = packages.Sample("CoreOnly", SampleProgram("CoreOnly"), ["MLPipelines.Core"]);
        var missingAssembly = Process.Run("dotnet", ["run", "--project", coreOnly, "--", model], coreOnly);
        Assert.Contains("ModelFileException", missingAssembly);
        Assert.Contains("MLPipelines.Deep", missingAssembly);
        Assert.Contains("reference the package that holds it", missingAssembly);

        // Without the native shim, loading says which library is missing and how to install what it needs.
        // (A framework-dependent build copies the package's native assets under its output folder, and loads them from there.)
        var shims = Directory.GetFiles(user, "libmlptorch.so", SearchOption.AllDirectories);
        Assert.NotEmpty(shims);
        foreach (var shim in shims) File.Delete(shim);
        var missingNative = Process.Run("dotnet", ["run", "--project", user, "--no-build", "--", "predict", model, diamonds], user);
        Assert.Contains("ModelFileException", missingNative);
        Assert.Contains("libmlptorch.so", missingNative);
        Assert.Contains("apt-get install libtorch-dev", missingNative);
    }
}

[CollectionDefinition(nameof(PackagesCollection))]
public sealed class PackagesCollection : ICollectionFixture<PackedLibraries>;
