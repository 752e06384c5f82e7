using Fraud.Streaming.Testing;

namespace Fraud.Streaming.Deploy.Tests;

/// <summary>
/// The metric names and label sets are an interface: Grafana dashboards, alert rules, runbooks and users' own queries
/// read them. A rename, a new label or a dropped one must be a deliberate change, made here with the dashboards and
/// rules it touches.
/// </summary>
public sealed class MetricNamesTests
{
    private static readonly string PinnedFile = Path.Combine(RepoPaths.Root, "tests", "Deploy.Tests", "metrics.pinned.txt");

    [Fact]
    public void The_metric_names_and_label_sets_are_the_pinned_ones()
    {
        var pinned = File.ReadAllLines(PinnedFile).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var actual = MetricCatalog.Signatures();
        var added = actual.Except(pinned, StringComparer.Ordinal).ToList();
        var removed = pinned.Except(actual, StringComparer.Ordinal).ToList();
        Assert.True(added.Count == 0 && removed.Count == 0,
            $"metrics changed against {PinnedFile} (update it, the dashboards and the rules together):\n"
            + string.Join('\n', added.Select(a => $"+ {a}").Concat(removed.Select(r => $"- {r}"))));
    }
}
