using System.Text.Json.Nodes;
using Fraud.Streaming.Testing;
using Fraud.Streaming.Testing.Operations;

namespace Fraud.Streaming.Deploy.Tests;

/// <summary>
/// The Grafana dashboards: valid against Grafana's dashboard model, complete for provisioning and the on-call, and
/// pinned to the metrics the services define (that every query returns data is shown by the end-to-end test).
/// </summary>
public sealed class DashboardTests
{
    private static readonly string[] Boards = ["fraud-model", "fraud-monitoring", "fraud-overview", "fraud-scorer"];

    [ToolFact("tsc")]
    public async Task Every_dashboard_type_checks_against_Grafanas_dashboard_schema()
    {
        // Each dashboard becomes a constant of the type tools/grafana-schema/dashboard.ts builds from @grafana/schema.
        var checkedFolder = RepoPaths.Combine("tools", "grafana-schema", "checked");
        Directory.CreateDirectory(checkedFolder);
        foreach (var stale in Directory.GetFiles(checkedFolder, "*.ts"))
        {
            File.Delete(stale);
        }
        foreach (var (name, _) in GrafanaDashboards.Load())
        {
            var json = await File.ReadAllTextAsync(Path.Combine(GrafanaDashboards.Folder, name + ".json"));
            await File.WriteAllTextAsync(Path.Combine(checkedFolder, name + ".ts"),
                $"import type {{ CheckedDashboard }} from '../dashboard';\nexport const dashboard: CheckedDashboard = {json};\n");
        }

        var (code, output) = await Tools.RunAsync(Tools.Tsc, ["-p", RepoPaths.Combine("tools", "grafana-schema")]);

        Assert.True(code == 0, $"tsc found dashboards that do not fit Grafana's dashboard model:\n{output}");
    }

    [Fact]
    public void The_trainers_last_run_panel_names_every_exit_code_of_the_shared_table()
    {
        var codes = typeof(Fraud.Streaming.Shared.Cli.ExitCodes).GetFields()
            .Where(f => f.IsLiteral).Select(f => (int)f.GetRawConstantValue()!).Order().ToList();
        var model = GrafanaDashboards.Load().Single(b => b.Name == "fraud-model").Model;
        var panel = model["panels"]!.AsArray().Single(p => ((string?)p!["targets"]?[0]?["expr"] ?? "").Contains("fraud_trainer_last_run_exit_code", StringComparison.Ordinal))!;
        var mapped = panel["fieldConfig"]!["defaults"]!["mappings"]!.AsArray()
            .SelectMany(m => m!["options"]!.AsObject().Select(o => int.Parse(o.Key, System.Globalization.CultureInfo.InvariantCulture))).Order().ToList();

        Assert.Equal(codes, mapped);
    }

    [Fact]
    public void The_four_boards_exist_with_unique_uids_and_titles()
    {
        var boards = GrafanaDashboards.Load();

        Assert.Equal(Boards, boards.Select(b => b.Name));
        Assert.All(boards, b => Assert.Equal(b.Name, (string?)b.Model["uid"]));
        Assert.Equal(boards.Count, boards.Select(b => (string?)b.Model["title"]).Distinct().Count());
    }

    [Fact]
    public void Every_board_has_data_source_namespace_and_instance_or_model_variables_and_model_swap_annotations()
    {
        foreach (var (name, model) in GrafanaDashboards.Load())
        {
            var variables = model["templating"]!["list"]!.AsArray().Select(v => v!.AsObject()).ToList();
            Assert.Contains(variables, v => (string?)v["name"] == "datasource" && (string?)v["type"] == "datasource" && (string?)v["query"] == "prometheus");
            Assert.Contains(variables, v => (string?)v["name"] == "namespace" && (bool?)v["includeAll"] == true && (string?)v["allValue"] == ".*");
            Assert.Contains(variables, v => (string?)v["name"] is "instance" or "model" && (bool?)v["includeAll"] == true);
            var annotations = model["annotations"]!["list"]!.AsArray();
            Assert.Contains(annotations, a => (string?)a!["name"] == "Model swaps" && ((string?)a["target"]?["expr"])!.Contains("fraud_scorer_model_swaps_total", StringComparison.Ordinal));
            Assert.True(GrafanaDashboards.Queries(name, model).Any(), name);
        }
    }

    [Fact]
    public void Every_panel_has_an_id_a_place_on_the_grid_a_unit_thresholds_and_the_data_source_variable()
    {
        foreach (var (name, model) in GrafanaDashboards.Load())
        {
            var panels = GrafanaDashboards.Panels(model).ToList();
            Assert.Equal(panels.Count, panels.Select(p => (int)p["id"]!).Distinct().Count());
            foreach (var panel in panels)
            {
                var where = $"{name}: \"{panel["title"]}\"";
                var grid = panel["gridPos"]!;
                Assert.True((int)grid["x"]! + (int)grid["w"]! <= 24 && (int)grid["h"]! > 0, $"{where} does not fit the 24-column grid");
                if ((string?)panel["type"] == "row")
                {
                    continue;
                }
                Assert.Equal("${datasource}", (string?)panel["datasource"]?["uid"]);
                Assert.False(string.IsNullOrWhiteSpace((string?)panel["description"]), $"{where} has no description");
                var defaults = panel["fieldConfig"]!["defaults"]!;
                if ((string?)panel["type"] != "table")
                {
                    Assert.False(string.IsNullOrEmpty((string?)defaults["unit"]), $"{where} has no unit");
                }
                Assert.NotEmpty(defaults["thresholds"]!["steps"]!.AsArray());
                var targets = panel["targets"]!.AsArray();
                Assert.NotEmpty(targets);
                Assert.Equal(targets.Count, targets.Select(t => (string?)t!["refId"]).Distinct().Count());
            }
        }
    }

    [Fact]
    public void Every_query_uses_only_metrics_the_services_define()
    {
        var unknown = new List<string>();
        foreach (var (name, model) in GrafanaDashboards.Load())
        {
            var queries = GrafanaDashboards.Queries(name, model).Select(q => (q.Where, q.Expr))
                .Concat(GrafanaDashboards.VariableQueries(model).Select(v => ($"variable {v.Variable}", v.Selector)));
            unknown.AddRange(queries.SelectMany(q => MetricCatalog.Referenced(q.Item2).Where(n => !MetricCatalog.Names.Contains(n)).Select(n => $"{name} {q.Item1}: {n}")));
            Assert.All(GrafanaDashboards.Queries(name, model), q => Assert.True(
                MetricCatalog.Referenced(q.Expr).Count > 0 || q.Expr.Contains("up{job=\"fraud-", StringComparison.Ordinal), $"{name} {q.Where} names none of our series"));
        }

        Assert.True(unknown.Count == 0, "dashboards query series no service defines (renamed in code?):\n" + string.Join('\n', unknown));
    }

    [ToolFact("promtool")]
    public async Task Every_query_is_valid_PromQL_once_Grafana_fills_in_its_variables()
    {
        // promtool parses every expression of a rule file offline: each query becomes a recording rule.
        var rules = new JsonArray();
        var i = 0;
        foreach (var (name, model) in GrafanaDashboards.Load())
        {
            foreach (var query in GrafanaDashboards.Queries(name, model))
            {
                rules.Add(new JsonObject { ["record"] = $"query_{i++}", ["expr"] = GrafanaDashboards.Expand(model, query.Expr, "1m") });
            }
        }
        var file = Path.Combine(Path.GetTempPath(), $"dashboard-queries-{Guid.NewGuid():N}.rules.json");
        await File.WriteAllTextAsync(file, new JsonObject { ["groups"] = new JsonArray(new JsonObject { ["name"] = "dashboards", ["rules"] = rules }) }.ToJsonString());
        try
        {
            var (code, output) = await Tools.RunAsync("promtool", ["check", "rules", file]);

            Assert.True(code == 0, output);
            Assert.Contains($"SUCCESS: {i} rules found", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Compose_provisioning_and_the_Kubernetes_sidecar_load_every_board()
    {
        var provider = Yaml.LoadFile(RepoPaths.Combine("grafana", "provisioning", "dashboards", "fraud-streaming.yml"));
        var path = (string)provider["providers"]![0]!["options"]!["path"]!;
        var compose = File.ReadAllText(RepoPaths.Combine("docker-compose.yml"));
        var sidecar = Yaml.LoadFile(RepoPaths.Combine("grafana", "kustomization.yaml"))["configMapGenerator"]!.AsArray()
            .SelectMany(g => g!["files"]!.AsArray()).Select(f => Path.GetFileNameWithoutExtension((string)f!)).Order(StringComparer.Ordinal);

        Assert.Contains($"./grafana/dashboards:{path}:ro", compose, StringComparison.Ordinal);
        Assert.Equal(Boards, sidecar);
    }
}
