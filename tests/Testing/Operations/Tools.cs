namespace Fraud.Streaming.Testing.Operations;

/// <summary>The command-line tools the operations tests run, found on the PATH, and why a test cannot run without one.</summary>
public static class Tools
{
    /// <summary>The TypeScript compiler with Grafana's dashboard types, installed by <c>deploy/devstack.sh tools</c>.</summary>
    public static string Tsc => RepoPaths.Combine("tools", "grafana-schema", "node_modules", ".bin", "tsc");

    /// <summary>The full path of a program on the PATH, or null.</summary>
    public static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);

    /// <summary>Null when <paramref name="program"/> is on the PATH, else the skip reason with how to get it.</summary>
    public static string? Missing(string program, string howToGetIt) =>
        Find(program) is null ? $"needs {program} on the PATH: {howToGetIt}" : null;

    public static string? Promtool => Missing("promtool", "deploy/devstack.sh up installs the Debian package prometheus (as root)");

    public static string? Amtool => Missing("amtool", "deploy/devstack.sh up installs the Debian package prometheus-alertmanager (as root)");

    public static string? DockerCompose => Missing("docker-compose", "deploy/devstack.sh tools installs the Debian package docker-compose (as root)");

    public static string? Kubectl => Missing("kubectl", "kubectl 1.32 with kustomize v5 comes with the build machine image; Debian's kubernetes-client (1.20) is too old for components and replacements");

    public static string? GrafanaSchema => File.Exists(Tsc) && Directory.Exists(RepoPaths.Combine("tools", "grafana-schema", "node_modules", "@grafana", "schema"))
        ? null
        : "needs tsc and @grafana/schema in tools/grafana-schema: run deploy/devstack.sh tools (npm ci)";

    /// <summary>Runs a tool to its end; returns its exit code and everything it printed (stderr lines marked).</summary>
    public static async Task<(int Code, string Output)> RunAsync(string program, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        await using var process = ProcessRunner.Start(program, arguments, environment, workingDirectory);
        var code = await process.WaitForExitAsync(timeout ?? TimeSpan.FromMinutes(2));
        return (code, process.Output);
    }

    /// <summary>Runs a tool to its end; returns its exit code and its standard output alone.</summary>
    public static async Task<(int Code, string Stdout)> RunForOutputAsync(string program, IEnumerable<string> arguments)
    {
        await using var process = ProcessRunner.Start(program, arguments);
        var code = await process.WaitForExitAsync(TimeSpan.FromMinutes(2));
        return (code, string.Join('\n', process.Lines.Where(l => !l.IsError).Select(l => l.Text)));
    }
}
