using System.Text.Json.Nodes;

namespace Fraud.Streaming.Testing.Operations;

/// <summary>One rule of <c>deploy/prometheus/rules</c>: a recording rule (<see cref="Record"/>) or an alert (<see cref="Alert"/>).</summary>
public sealed record PrometheusRule(string File, string Group, string? Record, string? Alert, string Expr, string? For, JsonObject Definition);

/// <summary>The shipped Prometheus rules.</summary>
public static class PrometheusRules
{
    public static string Folder => RepoPaths.Combine("deploy", "prometheus", "rules");

    public static IReadOnlyList<PrometheusRule> Load() =>
    [
        .. from path in Directory.EnumerateFiles(Folder, "*.rules.yml").Order(StringComparer.Ordinal)
           from g in Yaml.LoadFile(path)["groups"]!.AsArray()
           from r in g!["rules"]!.AsArray()
           select new PrometheusRule(Path.GetFileName(path), (string)g["name"]!, (string?)r!["record"], (string?)r["alert"],
               (string)r["expr"]!, (string?)r["for"], r.AsObject()),
    ];
}
