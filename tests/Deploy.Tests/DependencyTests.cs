using System.Xml.Linq;
using Fraud.Streaming.Testing;

namespace Fraud.Streaming.Deploy.Tests;

/// <summary>Deployables meet only through libraries (Shared, DataSets, Gbdt): none references another, none opens its internals to another.</summary>
public sealed class DependencyTests
{
    private static readonly string[] Deployables = ["Producer", "Scorer", "Trainer", "Monitoring", "Aggregator"];

    [Fact]
    public void No_deployable_references_or_opens_its_internals_to_another()
    {
        var problems = new List<string>();
        foreach (var deployable in Deployables)
        {
            var project = XDocument.Load(RepoPaths.Combine("src", deployable, $"{deployable}.csproj"));
            problems.AddRange(project.Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value))
                .Where(Deployables.Contains)
                .Select(other => $"{deployable} references {other}"));
            problems.AddRange(project.Descendants("InternalsVisibleTo")
                .Select(r => r.Attribute("Include")!.Value)
                .Where(name => Deployables.Any(other => name == $"Fraud.Streaming.{other}"))
                .Select(other => $"{deployable} opens its internals to {other}"));
        }
        Assert.Empty(problems);
    }
}
