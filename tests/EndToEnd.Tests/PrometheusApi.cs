using System.Globalization;
using System.Text.Json.Nodes;

namespace Fraud.Streaming.EndToEnd.Tests;

/// <summary>The HTTP API of a real Prometheus (queries, discovered targets, rule health, reload) and of Alertmanager (alerts).</summary>
internal sealed class PrometheusApi(HttpClient http, Uri prometheus, Uri alertmanager)
{
    /// <summary>An instant query's result vector.</summary>
    public async Task<JsonArray> QueryAsync(string expr) =>
        await DataAsync(new Uri(prometheus, $"/api/v1/query?query={Uri.EscapeDataString(expr)}"), "result");

    /// <summary>A range query's result matrix over [<paramref name="start"/>, <paramref name="end"/>].</summary>
    public async Task<JsonArray> QueryRangeAsync(string expr, DateTimeOffset start, DateTimeOffset end, TimeSpan step) =>
        await DataAsync(new Uri(prometheus, "/api/v1/query_range" +
            $"?query={Uri.EscapeDataString(expr)}&start={Unix(start)}&end={Unix(end)}&step={step.TotalSeconds.ToString(CultureInfo.InvariantCulture)}"), "result");

    /// <summary>The series a selector matches now.</summary>
    public async Task<JsonArray> SeriesAsync(string selector, DateTimeOffset since) =>
        (await GetAsync(new Uri(prometheus, $"/api/v1/series?match[]={Uri.EscapeDataString(selector)}&start={Unix(since)}")))["data"]!.AsArray();

    /// <summary>Every rule group Prometheus evaluates.</summary>
    public async Task<JsonArray> RuleGroupsAsync() => await DataAsync(new Uri(prometheus, "/api/v1/rules"), "groups");

    /// <summary>Whether a scrape target with this address is up.</summary>
    public async Task<bool> TargetUpAsync(string address)
    {
        var targets = await DataAsync(new Uri(prometheus, "/api/v1/targets?state=active"), "activeTargets");
        return targets.Any(t => (string?)t!["labels"]!["instance"] == address && (string?)t["health"] == "up");
    }

    /// <summary>Re-reads configuration and rule files (the dev stack starts Prometheus with --web.enable-lifecycle).</summary>
    public async Task ReloadAsync()
    {
        using var response = await http.PostAsync(new Uri(prometheus, "/-/reload"), null);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The alerts Alertmanager holds that match every <c>label="value"</c> filter.</summary>
    public async Task<JsonArray> AlertmanagerAlertsAsync(params string[] filters) =>
        (await GetAsync(new Uri(alertmanager, "/api/v2/alerts?" + string.Join('&', filters.Select(f => $"filter={Uri.EscapeDataString(f)}")))))!.AsArray();

    /// <summary>True when a series of a result has at least one number that is not NaN.</summary>
    public static bool HasNumbers(JsonArray result) => result.Any(series =>
        (series!["values"] is JsonArray values ? values.AsEnumerable() : [series["value"]]).Any(v => v is not null && (string?)v[1] is { } text && text != "NaN"));

    private async Task<JsonArray> DataAsync(Uri url, string field)
    {
        var body = await GetAsync(url);
        return body["data"]![field]!.AsArray();
    }

    private async Task<JsonNode> GetAsync(Uri url)
    {
        using var response = await http.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {url}: {(int)response.StatusCode} {text}");
        }
        return JsonNode.Parse(text)!;
    }

    private static string Unix(DateTimeOffset at) => (at.ToUnixTimeMilliseconds() / 1000.0).ToString("F3", CultureInfo.InvariantCulture);
}
