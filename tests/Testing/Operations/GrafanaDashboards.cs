using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Fraud.Streaming.Testing.Operations;

/// <summary>One PromQL query of a dashboard: a panel target or an annotation, with where it sits for messages.</summary>
public sealed record DashboardQuery(string Dashboard, string Where, string Expr, bool Instant);

/// <summary>The dashboards of <c>grafana/dashboards</c> and the PromQL they run.</summary>
public static partial class GrafanaDashboards
{
    public static string Folder => RepoPaths.Combine("grafana", "dashboards");

    public static IReadOnlyList<(string Name, JsonObject Model)> Load() =>
    [
        .. Directory.EnumerateFiles(Folder, "*.json").Order(StringComparer.Ordinal)
            .Select(path => (Path.GetFileNameWithoutExtension(path), JsonNode.Parse(File.ReadAllText(path))!.AsObject())),
    ];

    public static IEnumerable<JsonObject> Panels(JsonObject dashboard) =>
        dashboard["panels"]!.AsArray().Select(p => p!.AsObject());

    /// <summary>Every panel target and every Prometheus annotation of a dashboard.</summary>
    public static IEnumerable<DashboardQuery> Queries(string name, JsonObject dashboard)
    {
        foreach (var panel in Panels(dashboard).Where(p => (string?)p["type"] != "row"))
        {
            foreach (var target in panel["targets"]!.AsArray())
            {
                yield return new DashboardQuery(name, $"panel \"{panel["title"]}\" target {target!["refId"]}", (string)target["expr"]!,
                    (bool?)target["instant"] ?? false);
            }
        }
        foreach (var annotation in dashboard["annotations"]!["list"]!.AsArray())
        {
            if (annotation!["target"]?["expr"] is { } expr)
            {
                yield return new DashboardQuery(name, $"annotation \"{annotation["name"]}\"", (string)expr!, Instant: false);
            }
        }
    }

    /// <summary>The <c>label_values(SELECTOR, LABEL)</c> queries of the template variables, as (variable, selector, label).</summary>
    public static IEnumerable<(string Variable, string Selector, string Label)> VariableQueries(JsonObject dashboard)
    {
        foreach (var variable in dashboard["templating"]!["list"]!.AsArray().Where(v => (string?)v!["type"] == "query"))
        {
            var query = (string)variable!["query"]!["query"]!;
            var match = LabelValues().Match(query);
            if (!match.Success)
            {
                throw new InvalidOperationException($"variable {variable["name"]}: '{query}' is not label_values(selector, label)");
            }
            yield return ((string)variable["name"]!, match.Groups["selector"].Value, match.Groups["label"].Value);
        }
    }

    /// <summary>
    /// The query as Grafana sends it with every multi-value variable on "All" (its allValue) and
    /// <c>$__rate_interval</c>/<c>$__interval</c> as <paramref name="rateInterval"/>.
    /// </summary>
    public static string Expand(JsonObject dashboard, string expr, string rateInterval)
    {
        var text = expr.Replace("$__rate_interval", rateInterval, StringComparison.Ordinal).Replace("$__interval", rateInterval, StringComparison.Ordinal);
        foreach (var variable in dashboard["templating"]!["list"]!.AsArray())
        {
            if ((string?)variable!["allValue"] is { } all)
            {
                var name = (string)variable["name"]!;
                text = text.Replace($"${{{name}}}", all, StringComparison.Ordinal).Replace($"${name}", all, StringComparison.Ordinal);
            }
        }
        return text;
    }

    [GeneratedRegex(@"^label_values\((?<selector>.+),\s*(?<label>[a-zA-Z_][a-zA-Z0-9_]*)\)$")]
    private static partial Regex LabelValues();
}
