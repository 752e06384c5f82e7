using System.Reflection;
using System.Text.RegularExpressions;
using Fraud.Streaming.Aggregator;
using Fraud.Streaming.Monitoring;
using Fraud.Streaming.Scorer;
using Fraud.Streaming.Testing.Operations;
using Fraud.Streaming.Trainer.Metrics;
using Prometheus;

namespace Fraud.Streaming.Deploy.Tests;

/// <summary>
/// Every series name the deployables can expose, read from their metric definitions (so a metric renamed in code
/// leaves its old name out), plus the recording rules of <c>deploy/prometheus/rules</c>.
/// </summary>
internal static partial class MetricCatalog
{
    private static readonly Lazy<IReadOnlySet<string>> AllNames = new(Build);

    public static IReadOnlySet<string> Names => AllNames.Value;

    /// <summary>Our series names in a PromQL expression: <c>fraud_*</c> metrics and <c>fraud:*</c> recording rules (quoted text left out).</summary>
    public static IReadOnlyList<string> Referenced(string expr) =>
        [.. OurName().Matches(Quoted().Replace(expr, "\"\"")).Select(m => m.Value).Distinct(StringComparer.Ordinal)];

    /// <summary>Every metric the deployables define, as <c>name{label,label}</c> in name order: what dashboards and alerts rely on.</summary>
    public static IReadOnlyList<string> Signatures() =>
        [.. Collectors().Select(c => $"{c.Name}{{{string.Join(',', c.LabelNames)}}}").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private static IEnumerable<Collector> Collectors() =>
        StaticCollectors(typeof(ScorerMetrics)).Concat(StaticCollectors(typeof(MonitoringMetrics)))
            .Concat(StaticCollectors(typeof(AggregatorMetrics)))
            .Concat(InstanceCollectors(new TrainingMetrics()));

    private static HashSet<string> Build()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var collector in Collectors())
        {
            names.Add(collector.Name);
            if (collector is Histogram)
            {
                names.UnionWith([$"{collector.Name}_bucket", $"{collector.Name}_sum", $"{collector.Name}_count"]);
            }
        }
        names.UnionWith(PrometheusRules.Load().Where(r => r.Record is not null).Select(r => r.Record!));
        return names;
    }

    private static IEnumerable<Collector> StaticCollectors(Type metrics) =>
        metrics.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Select(f => f.GetValue(null)).OfType<Collector>();

    private static IEnumerable<Collector> InstanceCollectors(object metrics) =>
        metrics.GetType().GetFields(BindingFlags.NonPublic | BindingFlags.Instance)
            .Select(f => f.GetValue(metrics)).OfType<Collector>();

    [GeneratedRegex(@"(?<![a-zA-Z0-9_:])fraud[_:][a-zA-Z0-9_:]*")]
    private static partial Regex OurName();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Quoted();
}
