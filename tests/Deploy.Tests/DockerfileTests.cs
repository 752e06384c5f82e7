using System.Text.RegularExpressions;
using System.Xml.Linq;
using Fraud.Streaming.Testing;

namespace Fraud.Streaming.Deploy.Tests;

/// <summary>
/// The Dockerfiles of deploy/docker, read as text: no Docker engine here can build them, so these are the
/// properties that can be checked without one.
/// </summary>
public sealed partial class DockerfileTests
{
    public static TheoryData<string, string> Deployables => new()
    {
        { "producer", "Producer" },
        { "scorer", "Scorer" },
        { "monitoring", "Monitoring" },
        { "trainer", "Trainer" },
    };

    [Theory]
    [MemberData(nameof(Deployables))]
    public void Builds_in_stages_and_runs_on_a_runtime_image_as_a_non_root_user(string name, string project)
    {
        var lines = Instructions(name);
        var froms = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        var final = lines.Skip(lines.LastIndexOf(froms[^1])).ToList();

        Assert.True(froms.Count >= 2, $"{name}: one stage only");
        Assert.Contains("/dotnet/sdk:", froms[0], StringComparison.Ordinal);
        Assert.Matches(@"/dotnet/(runtime|aspnet):", froms[^1]);
        Assert.Contains("USER $APP_UID", final);
        Assert.Contains(final, l => l.StartsWith("COPY --from=build ", StringComparison.Ordinal));
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{AssemblyName(project)}.dll\"]", final);
    }

    [Theory]
    [MemberData(nameof(Deployables))]
    public void Restores_in_its_own_layer_from_the_project_files_it_needs(string name, string project)
    {
        var lines = Instructions(name);
        var restore = lines.FindIndex(l => l.StartsWith($"RUN dotnet restore src/{project}/{project}.csproj", StringComparison.Ordinal));
        var firstSource = lines.FindIndex(l => SourceCopy().IsMatch(l));
        var copiedProjects = lines.Take(restore).Select(l => ProjectCopy().Match(l)).Where(m => m.Success).Select(m => m.Groups["path"].Value).ToHashSet(StringComparer.Ordinal);

        Assert.True(restore > 0 && restore < firstSource, $"{name}: dotnet restore must run before the sources are copied");
        Assert.Contains(lines.Take(restore), l => l.Contains("Directory.Packages.props", StringComparison.Ordinal));
        var closure = ProjectClosure($"src/{project}/{project}.csproj");
        Assert.Equal(closure.Order(StringComparer.Ordinal), copiedProjects.Order(StringComparer.Ordinal));
        foreach (var path in closure)
        {
            Assert.Contains($"COPY {Path.GetDirectoryName(path)}/ {Path.GetDirectoryName(path)}/", lines.Skip(restore));
        }
    }

    [Fact]
    public void The_trainer_image_asks_for_the_hosts_NVIDIA_driver_and_the_services_listen_beyond_loopback()
    {
        var trainer = Instructions("trainer");
        Assert.Contains(trainer, l => l.StartsWith("ENV NVIDIA_VISIBLE_DEVICES=all NVIDIA_DRIVER_CAPABILITIES=compute,utility", StringComparison.Ordinal));
        Assert.Contains(trainer, l => l.Contains("libgomp1", StringComparison.Ordinal));
        Assert.Contains(Instructions("scorer"), l => l.StartsWith("ENV ASPNETCORE_URLS=http://+:9401", StringComparison.Ordinal));
        Assert.Contains(Instructions("monitoring"), l => l.StartsWith("ENV ASPNETCORE_URLS=http://+:9402", StringComparison.Ordinal));
    }

    /// <summary>The Dockerfile's instructions, continuation lines joined, comments left out.</summary>
    private static List<string> Instructions(string name)
    {
        var text = File.ReadAllText(RepoPaths.Combine("deploy", "docker", $"{name}.Dockerfile"));
        return [.. text.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n')
            .Select(l => Regex.Replace(l.Trim(), @"\s+", " ")).Where(l => l.Length > 0 && !l.StartsWith('#'))];
    }

    private static string AssemblyName(string project) =>
        XDocument.Load(RepoPaths.Combine("src", project, $"{project}.csproj")).Descendants("AssemblyName").Single().Value;

    /// <summary>The project and every project it references, transitively, as repository paths.</summary>
    private static HashSet<string> ProjectClosure(string project)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var path))
        {
            if (!found.Add(path))
            {
                continue;
            }
            foreach (var reference in XDocument.Load(RepoPaths.Combine(path)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(RepoPaths.Combine(Path.GetDirectoryName(path)!), reference.Attribute("Include")!.Value));
                pending.Push(Path.GetRelativePath(RepoPaths.Root, full).Replace('\\', '/'));
            }
        }
        return found;
    }

    [GeneratedRegex(@"^COPY (?<path>src/[^ ]+\.csproj) ")]
    private static partial Regex ProjectCopy();

    [GeneratedRegex(@"^COPY src/[A-Za-z]+/ ")]
    private static partial Regex SourceCopy();
}
