namespace Fraud.Streaming.Testing;

/// <summary>Paths inside the repository, found from the test assembly's folder.</summary>
public static class RepoPaths
{
    public const string SolutionFile = "Fraud.Streaming.sln";

    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The folder that holds <c>Fraud.Streaming.sln</c>.</summary>
    public static string Root => RootPath.Value;

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>The configuration this test assembly was built in; built deployables are looked for there first.</summary>
    public static string Configuration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    /// <summary>
    /// The newest built <c>{assemblyName}.dll</c> of a project (e.g. <c>("src/Scorer", "Fraud.Streaming.Scorer")</c>),
    /// preferring the test's own configuration.
    /// </summary>
    /// <exception cref="FileNotFoundException">the project has not been built.</exception>
    /// <remarks>
    /// <c>FRAUD_DEPLOYABLES_ROOT</c> names another checkout whose builds to run instead (e.g. the previous version, to
    /// see a process test fail where a fix is missing).
    /// </remarks>
    public static string BuiltAssembly(string projectDirectory, string assemblyName)
    {
        var root = Environment.GetEnvironmentVariable("FRAUD_DEPLOYABLES_ROOT") is { Length: > 0 } other ? other : Root;
        var bin = Path.Combine(root, projectDirectory, "bin");
        string[] configurations = [Configuration, Configuration == "Debug" ? "Release" : "Debug"];
        foreach (var configuration in configurations)
        {
            var folder = Path.Combine(bin, configuration);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            var newest = Directory.EnumerateFiles(folder, assemblyName + ".dll", SearchOption.AllDirectories)
                .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}ref{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .OrderByDescending(File.GetLastWriteTimeUtc)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        throw new FileNotFoundException(
            $"{assemblyName}.dll not found under {bin}; build it first: dotnet build {projectDirectory} -c {Configuration}");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no {SolutionFile} above {AppContext.BaseDirectory}");
    }
}
