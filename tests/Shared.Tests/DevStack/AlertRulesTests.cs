using System.Diagnostics;
using System.Text.RegularExpressions;
using Fraud.Streaming.Testing;

namespace Fraud.Streaming.Shared.Tests.DevStack;

/// <summary>The alert rules in deploy/prometheus/rules: valid, unit-tested with promtool, and on metrics the services export.</summary>
public sealed partial class AlertRulesTests
{
    private static readonly string Rules = RepoPaths.Combine("deploy", "prometheus", "rules");

    private static bool HasPromtool => Environment.GetEnvironmentVariable("PATH")?.Split(':').Any(d => File.Exists(Path.Combine(d, "promtool"))) == true;

    public sealed class PromtoolFactAttribute : FactAttribute
    {
        public PromtoolFactAttribute() => Skip ??= HasPromtool ? null : "needs promtool on the PATH: apt-get install prometheus (deploy/devstack.sh up installs it as root)";
    }

    private static (int Code, string Output) Promtool(params string[] args)
    {
        var start = new ProcessStartInfo("promtool") { WorkingDirectory = Rules, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error);
    }

    [PromtoolFact]
    public void The_rules_are_valid_and_their_unit_tests_pass()
    {
        foreach (var rules in Directory.GetFiles(Rules, "*.rules.yml"))
        {
            var (code, output) = Promtool("check", "rules", Path.GetFileName(rules));
            Assert.True(code == 0, output);
        }
        foreach (var tests in Directory.GetFiles(Rules, "*.test.yml"))
        {
            var (code, output) = Promtool("test", "rules", Path.GetFileName(tests));
            Assert.True(code == 0, output);
            Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_metric_a_rule_queries_is_one_a_service_exports()
    {
        var exported = Directory.GetFiles(RepoPaths.Combine("src"), "*Metrics.cs", SearchOption.AllDirectories)
            .SelectMany(f => MetricName().Matches(File.ReadAllText(f)).Select(m => m.Value.Trim('"')))
            .ToHashSet(StringComparer.Ordinal);
        var queried = Directory.GetFiles(Rules, "*.rules.yml")
            .SelectMany(f => MetricName().Matches(File.ReadAllText(f)).Select(m => m.Value))
            .Distinct()
            .ToList();
        Assert.NotEmpty(queried);
        Assert.All(queried, metric => Assert.Contains(metric, exported));
    }

    [GeneratedRegex("\"?fraud_[a-z_]+\"?")]
    private static partial Regex MetricName();
}
