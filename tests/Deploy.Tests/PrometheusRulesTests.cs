using Fraud.Streaming.Testing;
using Fraud.Streaming.Testing.Operations;

namespace Fraud.Streaming.Deploy.Tests;

/// <summary>The Prometheus configuration, rules and unit tests of <c>deploy/prometheus</c>, and the Alertmanager configuration.</summary>
public sealed class PrometheusRulesTests
{
    private static readonly string Deploy = RepoPaths.Combine("deploy", "prometheus");

    [ToolFact("promtool")]
    public async Task Configuration_and_every_rule_file_pass_promtool_check()
    {
        var (code, output) = await Tools.RunAsync("promtool", ["check", "config", Path.Combine(Deploy, "prometheus.yml")]);

        Assert.True(code == 0, output);
        Assert.Contains("4 rule files found", output, StringComparison.Ordinal);
    }

    [ToolFact("promtool")]
    public async Task Every_promtool_unit_test_passes_with_the_shipped_for_durations()
    {
        var tests = Directory.GetFiles(Path.Combine(Deploy, "tests"), "*.test.yml").Order(StringComparer.Ordinal).ToArray();

        var (code, output) = await Tools.RunAsync("promtool", ["test", "rules", .. tests]);

        Assert.True(code == 0, output);
        Assert.Equal(tests.Length, output.Split('\n').Count(l => l.Trim() == "SUCCESS"));
    }

    [Fact]
    public void Every_alert_has_a_unit_test_where_it_fires_and_one_where_it_stays_silent()
    {
        var tests = Directory.GetFiles(Path.Combine(Deploy, "tests"), "*.test.yml").Select(Yaml.LoadFile).ToList();
        var cases = tests.SelectMany(t => t["tests"]!.AsArray()).Select(c => c!.AsObject()).ToList();
        var firing = cases.SelectMany(c => c["promql_expr_test"]?.AsArray() ?? [])
            .Where(t => t!["exp_samples"]?.AsArray().Count > 0)
            .Select(t => (string)t!["expr"]!).ToList();
        var silent = cases.SelectMany(c => c["alert_rule_test"]?.AsArray() ?? [])
            .Where(t => t!["exp_alerts"]?.AsArray().Count == 0)
            .Select(t => (string)t!["alertname"]!).ToHashSet(StringComparer.Ordinal);
        var ruleFiles = tests.SelectMany(t => t["rule_files"]!.AsArray()).Select(f => Path.GetFileName((string)f!)).ToHashSet(StringComparer.Ordinal);

        var alerts = PrometheusRules.Load().Where(r => r.Alert is not null).ToList();

        Assert.NotEmpty(alerts);
        Assert.All(alerts, a => Assert.Contains(a.File, ruleFiles));
        Assert.All(alerts, a => Assert.True(firing.Any(e => e.Contains($"alertname=\"{a.Alert}\"", StringComparison.Ordinal) && e.Contains("alertstate=\"firing\"", StringComparison.Ordinal)),
            $"{a.Alert} has no promql_expr_test that sees it firing"));
        Assert.All(alerts, a => Assert.True(silent.Contains(a.Alert!), $"{a.Alert} has no alert_rule_test where it stays silent"));
    }

    [Fact]
    public void Every_alert_has_a_severity_a_summary_a_description_and_a_runbook()
    {
        var alerts = PrometheusRules.Load().Where(r => r.Alert is not null).ToList();

        Assert.All(alerts, a =>
        {
            Assert.Contains((string?)a.Definition["labels"]?["severity"], (string?[])["critical", "warning"]);
            foreach (var annotation in (string[])["summary", "description", "runbook"])
            {
                Assert.False(string.IsNullOrWhiteSpace((string?)a.Definition["annotations"]?[annotation]), $"{a.Alert} has no {annotation}");
            }
            Assert.StartsWith("Fraud", a.Alert!, StringComparison.Ordinal);
        });
        Assert.Equal(alerts.Count, alerts.Select(a => a.Alert).Distinct().Count());
    }

    [Fact]
    public void Rules_query_only_metrics_the_services_define()
    {
        var unknown = PrometheusRules.Load()
            .SelectMany(r => MetricCatalog.Referenced(r.Expr).Where(n => !MetricCatalog.Names.Contains(n)).Select(n => $"{r.Alert ?? r.Record}: {n}"))
            .ToList();

        Assert.True(unknown.Count == 0, "rules query series no service defines:\n" + string.Join('\n', unknown));
    }

    [Fact]
    public void Every_scrape_job_has_a_compose_target_file_and_scrapes_the_metrics_of_a_service()
    {
        var config = Yaml.LoadFile(Path.Combine(Deploy, "prometheus.yml"));
        var jobs = config["scrape_configs"]!.AsArray().Select(j => j!.AsObject()).ToList();

        Assert.Contains(jobs, j => (string?)j["job_name"] == "fraud-scorer");
        Assert.Contains(jobs, j => (string?)j["job_name"] == "fraud-monitoring");
        Assert.Contains(jobs, j => (string?)j["job_name"] == "fraud-trainer" && (string?)j["honor_labels"] == "true");
        foreach (var job in jobs)
        {
            var pattern = (string)job["file_sd_configs"]![0]!["files"]![0]!;
            var matches = Directory.GetFiles(Path.Combine(Deploy, Path.GetDirectoryName(pattern)!), Path.GetFileName(pattern));
            Assert.True(matches.Length == 1, $"job {job["job_name"]}: {pattern} should match one compose target file");
            Assert.Matches(@"^[a-z-]+:\d+$", (string)Yaml.LoadFile(matches[0])[0]!["targets"]![0]!);
        }
    }

    [Fact]
    public async Task The_Kubernetes_PrometheusRule_is_generated_from_the_rule_files()
    {
        var generated = Path.Combine(Path.GetTempPath(), $"prometheus-rules-{Guid.NewGuid():N}.yaml");
        try
        {
            var (code, output) = await Tools.RunAsync("bash", [Path.Combine(Deploy, "k8s-rules.sh"), generated]);
            Assert.True(code == 0, output);

            var committed = RepoPaths.Combine("k8s", "base", "prometheus-rules.yaml");
            Assert.True(await File.ReadAllTextAsync(generated) == await File.ReadAllTextAsync(committed),
                $"{committed} is out of date: run deploy/prometheus/k8s-rules.sh");
            var groups = Yaml.LoadFile(committed)["spec"]!["groups"]!.AsArray();
            Assert.Equal(PrometheusRules.Load().Count, groups.Sum(g => g!["rules"]!.AsArray().Count));
        }
        finally
        {
            File.Delete(generated);
        }
    }

    [ToolFact("amtool")]
    public async Task Alertmanager_configuration_passes_amtool_and_routes_critical_alerts_to_the_pager()
    {
        var file = RepoPaths.Combine("deploy", "alertmanager", "alertmanager.yml");

        var (code, output) = await Tools.RunAsync("amtool", ["check-config", file]);
        var (routeCode, route) = await Tools.RunForOutputAsync("amtool", ["config", "routes", "test", "--config.file", file, "severity=critical", "alertname=FraudScorerDown"]);

        Assert.True(code == 0, output);
        Assert.True(routeCode == 0, route);
        Assert.Equal("fraud-page", route.Trim());
    }
}
