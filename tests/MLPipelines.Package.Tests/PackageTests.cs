using System.Diagnostics;

namespace MLPipelines.Package.Tests;

/// <summary>
/// The packages as an ML.NET user gets them: dotnet pack writes them to a folder feed, and
/// console projects outside the solution restore them from it, build, and run an ML.NET
/// pipeline with the project's trainers.
/// </summary>
public sealed class PackageTests : IDisposable
{
    private static readonly string[] Packages = ["MLPipelines.Torch", "MLPipelines.Core", "MLPipelines.XGBoost", "MLPipelines.Deep", "MLPipelines.AutoML"];

    private readonly string _root = FindRoot();
    private readonly string _directory = Directory.CreateTempSubdirectory("mlpipelines-packages").FullName;

    // A version of this run's own, so that NuGet's package cache never serves an older build.
    private readonly string _version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmssfff}";

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        foreach (var package in Packages)
        {
            var folder = Path.Combine(PackageCache(), package.ToLowerInvariant(), _version);
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_console_project_restores_the_packages_from_a_folder_feed_and_runs_an_ML_NET_pipeline_with_them()
    {
        var feed = Path.Combine(_directory, "feed");
        foreach (var package in Packages)
            Run("dotnet", ["pack", Path.Combine(_root, "src", package), "-c", "Release", "--no-build", "-o", feed, $"-p:Version={_version}", "-nologo"], _root);
        Assert.Equal(Packages.Select(p => $"{p}.{_version}.nupkg").Order(), Directory.GetFiles(feed).Select(Path.GetFileName).Order());

        var user = Sample("User", ["MLPipelines.Deep", "MLPipelines.XGBoost"], feed);
        var diamonds = Path.Combine(_root, "datasets", "diamonds.csv");
        var model = Path.Combine(_directory, "tabm.zip");
        var trained = Run("dotnet", ["run", "--project", user, "--", "train", diamonds, model], user);
        var rmse = trained.Split('\n').Where(l => l.Contains(" RMSE ")).ToDictionary(l => l.Split(' ')[0], l => double.Parse(l.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["TabM", "XGBoost"], rmse.Keys.Order());
        Assert.InRange(rmse["XGBoost"], 200, 1500);   // carat, cut and depth explain most of a price (standard deviation ~4,000)
        Assert.InRange(rmse["TabM"], 200, 3000);      // three short epochs
        Assert.Contains("first prediction", Run("dotnet", ["run", "--project", user, "--no-build", "--", "predict", model, diamonds], user));

        // Without the package that holds the model's type, loading says which package it needs.
        var coreOnly = Sample("CoreOnly", ["MLPipelines.Core"], feed);
        var missingAssembly = Run("dotnet", ["run", "--project", coreOnly, "--", model], coreOnly);
        Assert.Contains("ModelFileException", missingAssembly);
        Assert.Contains("MLPipelines.Deep", missingAssembly);
        Assert.Contains("reference the package that holds it", missingAssembly);

        // Without the native shim, loading says which library is missing and how to install what it needs.
        // (A framework-dependent build copies the package's native assets under its output folder.)
        foreach (var shim in Directory.GetFiles(user, "libmlptorch.so", SearchOption.AllDirectories)) File.Delete(shim);
        File.Delete(Path.Combine(PackageCache(), "mlpipelines.torch", _version, "runtimes", "linux-x64", "native", "libmlptorch.so"));
        var missingNative = Run("dotnet", ["run", "--project", user, "--no-build", "--", "predict", model, diamonds], user);
        Assert.Contains("ModelFileException", missingNative);
        Assert.Contains("libmlptorch.so", missingNative);
        Assert.Contains("apt-get install libtorch-dev", missingNative);
    }

    private static string PackageCache() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>A console project in its own folder, outside the solution, referencing the given packages at this run's version.</summary>
    private string Sample(string name, string[] packages, string feed)
    {
        var folder = Path.Combine(_directory, name);
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Samples", name, "Program.cs"), Path.Combine(folder, "Program.cs"));
        File.WriteAllText(Path.Combine(folder, $"{name}.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
            {string.Concat(packages.Select(p => $"    <PackageReference Include=\"{p}\" Version=\"{_version}\" />\n"))}  </ItemGroup>
            </Project>
            """);
        // The folder feed first; everything else (ML.NET) from the sources the repository uses.
        var repositoryConfig = File.ReadAllText(Path.Combine(_root, "nuget.config"));
        File.WriteAllText(Path.Combine(folder, "nuget.config"), repositoryConfig.Replace("<clear />", $"<clear />\n    <add key=\"mlpipelines\" value=\"{feed}\" />"));
        return folder;
    }

    private static string Run(string program, string[] arguments, string directory)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Outside the solution: none of the repository's build settings apply.
        start.Environment["MSBuildSDKsPath"] = null;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(8))) process.Kill(entireProcessTree: true);
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{output}\n{error.Result}");
        return output;
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MLPipelines.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("the repository root (MLPipelines.sln) was not found above " + AppContext.BaseDirectory);
    }
}
