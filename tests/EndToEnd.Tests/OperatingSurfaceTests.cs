using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Fraud.Streaming.Testing;
using Fraud.Streaming.Testing.Operations;
using Xunit.Abstractions;

using static Fraud.Streaming.EndToEnd.Tests.EndToEndSteps;

namespace Fraud.Streaming.EndToEnd.Tests;

/// <summary>
/// The operating surface against the running services: monitoring, producer, the trainer run as the Kubernetes
/// CronJob runs it, and the scorer under traffic, scraped by the dev stack's real Prometheus (shipped configuration
/// and rules), with the trainer pushing to its Pushgateway and alerts going to its Alertmanager. One stack run, many
/// assertions: every dashboard query returns data, every recording rule evaluates, a rerun of the CronJob registers
/// nothing, and a stopped scorer raises FraudScorerDown in Alertmanager.
/// </summary>
public sealed partial class OperatingSurfaceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(120);

    /// <summary>The `for:` every alert gets in this test instead of minutes (promtool tests cover the shipped durations).</summary>
    private const string ShortFor = "4s";

    [OperatingStackFact]
    public async Task Dashboards_show_data_and_a_stopped_scorer_reaches_Alertmanager_with_the_shipped_rules()
    {
        var started = DateTimeOffset.UtcNow;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var api = new PrometheusApi(http, new Uri(TestEnvironment.Get("FRAUD_PROMETHEUS_URL")!), new Uri(TestEnvironment.Get("FRAUD_ALERTMANAGER_URL")!));
        var prometheusDir = TestEnvironment.Get("FRAUD_PROMETHEUS_DIR")!;
        await using var db = await PostgresTestDatabase.CreateAsync();
        var bootstrap = await KafkaServer.GetBootstrapServersAsync();
        var topics = new KafkaTestTopics("ops");
        var work = Directory.CreateTempSubdirectory("fraud-ops-").FullName;
        var (kafka, env) = await StackEnvironmentAsync(bootstrap, topics, db.ConnectionString, work);
        env["State__SnapshotIntervalSeconds"] = "2";
        // A scorer that joins the group is assigned partitions within seconds, not the default 45 s.
        env["Scorer__SessionTimeoutMs"] = "6000";
        env["ModelStore__Kind"] = "folder";
        env["Pushgateway__Url"] = TestEnvironment.Get("FRAUD_PUSHGATEWAY_URL");
        env["Pushgateway__Job"] = $"fraud-trainer-{topics.Prefix}";
        void Mark(string step) => output.WriteLine(FormattableString.Invariant($"{(DateTimeOffset.UtcNow - started).TotalSeconds,6:F1} s  {step}"));
        var scorerPort = Ports.Free();
        var monitoringPort = Ports.Free();
        var aggregatorPort = Ports.Free();
        var scorerAddress = $"127.0.0.1:{scorerPort}";
        var targets = new[]
        {
            Path.Combine(prometheusDir, "targets", $"fraud-scorer-{topics.Prefix}.yml"),
            Path.Combine(prometheusDir, "targets", $"fraud-monitoring-{topics.Prefix}.yml"),
            Path.Combine(prometheusDir, "targets", $"fraud-aggregator-{topics.Prefix}.yml"),
        };
        try
        {
            await ShortenAlertDelaysAsync(api, prometheusDir);
            await File.WriteAllTextAsync(targets[0], $"- targets: [\"{scorerAddress}\"]\n");
            await File.WriteAllTextAsync(targets[1], $"- targets: [\"127.0.0.1:{monitoringPort}\"]\n");
            await File.WriteAllTextAsync(targets[2], $"- targets: [\"127.0.0.1:{aggregatorPort}\"]\n");

            await using var monitoring = ProcessRunner.StartDotnet(Dll("Monitoring"), ["--urls", $"http://127.0.0.1:{monitoringPort}"], env);
            await WaitUntilAsync(async () => await IsOk(http, $"http://127.0.0.1:{monitoringPort}/healthz"), Step, monitoring, "monitoring healthy");
            // The aggregator, so the scorer's merchant/device features and the aggregator's panels and rules have data.
            await using var aggregator = ProcessRunner.StartDotnet(Dll("Aggregator"), ["--urls", $"http://127.0.0.1:{aggregatorPort}"], env);
            await WaitUntilAsync(async () => await IsOk(http, $"http://127.0.0.1:{aggregatorPort}/healthz"), Step, aggregator, "aggregator healthy");

            // History with malformed messages (dead letters for the scorer, unparseable rows for monitoring).
            const int history = 3000;
            // Labels as issuers send them: fraud reports and a few reviews, silence for the rest.
            var produced = await RunToEndAsync(output, Dll("Producer"), ["synthetic", "--count", $"{history}", "--cards", "300", "--fraud-rate", "0.05", "--seed", "11",
                "--rate", "0", "--label-delay-seconds", "0", "--malformed", "10"], env, Step);
            var labels = int.Parse(Regex.Match(produced, @"labels=(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
            await WaitUntilAsync(async () => await CountAsync(db.ConnectionString, "labels") == labels && await CountAsync(db.ConnectionString, "transactions") == history,
                Step, monitoring, $"{history} transactions and {labels} labels in Postgres");

            Mark("history in Postgres");
            // The trainer exactly as the CronJob runs it (only --out points here instead of the pod's volume).
            var cronJobArgs = await CronJobArgumentsAsync();
            var v1 = await TrainAsync(Dll("Trainer"), WithOut(cronJobArgs, Path.Combine(work, "v1")), env, "champion=true");
            Assert.Equal(1L, await ScalarAsync<long>(db.ConnectionString, "select count(*) from model_versions"));
            // The next hourly run: the champion is fresh and no retrain request is open, so it is not due.
            var scheduled = await RunToEndAsync(output, Dll("Trainer"), WithOut(cronJobArgs, Path.Combine(work, "scheduled")), env, Step);
            Assert.Contains("[schedule] not due", scheduled, StringComparison.Ordinal);
            // A run by hand, on the same data, registers nothing new either.
            var rerun = await RunToEndAsync(output, Dll("Trainer"), Unscheduled(WithOut(cronJobArgs, Path.Combine(work, "rerun"))), env, Step);
            Assert.Contains("already registered", rerun, StringComparison.Ordinal);
            Assert.Equal(1L, await ScalarAsync<long>(db.ConnectionString, "select count(*) from model_versions"));

            Mark("v1 trained, rerun registered nothing");
            await using var scorer = ProcessRunner.StartDotnet(Dll("Scorer"), ["run", "--urls", $"http://{scorerAddress}"], env);
            await WaitUntilAsync(async () => await IsOk(http, $"http://{scorerAddress}/readyz"), Step, scorer, "scorer ready");
            await using var traffic = ProcessRunner.StartDotnet(Dll("Producer"), ["synthetic", "--duration-seconds", "600", "--cards", "300",
                "--fraud-rate", "0.05", "--seed", "12", "--rate", "200", "--label-delay-seconds", "0", "--malformed", "10"], env);

            Mark("scorer ready, traffic flowing");
            // A broken announcement the scorer must refuse, then a real new model it must swap to under traffic.
            await AnnounceGarbageAsync(bootstrap, kafka.ModelsTopic);
            await WaitUntilAsync(async () => await CountAsync(db.ConnectionString, "transactions") >= history + 1500, Step, traffic, "history from live traffic");
            var v2 = await TrainAsync(Dll("Trainer"), [.. Unscheduled(WithOut(cronJobArgs, Path.Combine(work, "v2"))), "--promote-margin", "-1"], env, "champion=true");
            Assert.NotEqual(v1, v2);
            await WaitUntilAsync(async () => (await api.QueryAsync($"fraud_scorer_model_info{{instance=\"{scorerAddress}\", version=\"{v2}\"}} == 1")).Count == 1
                                             && PrometheusApi.HasNumbers(await api.QueryAsync($"changes(fraud_scorer_model_swaps_total{{instance=\"{scorerAddress}\"}}[1m]) > 0"))
                                             && (await api.QueryAsync($"fraud_scorer_model_rejected_total{{instance=\"{scorerAddress}\"}}")).Count > 0
                                             && (await api.QueryAsync($"fraud_scorer_ready{{instance=\"{scorerAddress}\"}} == 1")).Count == 1,
                Step, scorer, $"Prometheus to see the swap to {v2} and the refused announcement");

            Mark("swap and refusal seen by Prometheus");
            // A rebalance: a second scorer takes some partitions and leaves again; the first restores them while
            // Prometheus scrapes it (restores at process start finish before the first scrape and show in no rate).
            var secondAddress = $"127.0.0.1:{Ports.Free()}";
            await using (var second = ProcessRunner.StartDotnet(Dll("Scorer"), ["run", "--urls", $"http://{secondAddress}"], env))
            {
                await WaitUntilAsync(async () => await IsOk(http, $"http://{secondAddress}/readyz"), Step, second, "second scorer ready");
                Assert.Equal(0, await second.StopAsync(TimeSpan.FromSeconds(60)));
            }
            await WaitUntilAsync(async () => PrometheusApi.HasNumbers(await api.QueryAsync($"increase(fraud_scorer_state_restore_seconds_count{{instance=\"{scorerAddress}\"}}[1m]) > 0")),
                Step, scorer, "Prometheus to see the first scorer restore the partitions it got back");
            Mark("rebalance restore seen by Prometheus");
            // Two more scrapes and evaluations after the last event, so every range query's final step includes it.
            await Task.Delay(TimeSpan.FromSeconds(5));

            await AssertEveryDashboardQueryReturnsDataAsync(api, started);
            await AssertEveryRuleEvaluatesAsync(api);

            Mark("dashboards and rules checked");
            // Stop the scorer: with the shipped rules (only `for:` shortened) the alert must reach Alertmanager.
            Assert.Equal(0, await traffic.StopAsync(TimeSpan.FromSeconds(60)));
            Assert.Equal(0, await scorer.StopAsync(TimeSpan.FromSeconds(60)));
            string[] down = ["alertname=\"FraudScorerDown\"", $"instance=\"{scorerAddress}\""];
            await WaitForAlertAsync(api, monitoring, down);
            // It was the only scorer up, so FraudScorerAbsent fires too, and the shipped inhibition holds the
            // per-instance alert back from the receivers while the whole job is missing.
            var absent = await WaitForAlertAsync(api, monitoring, "alertname=\"FraudScorerAbsent\"");
            Mark("FraudScorerDown and FraudScorerAbsent held by Alertmanager");
            Assert.Equal("active", (string?)absent["status"]!["state"]);
            var alert = (await api.AlertmanagerAlertsAsync(down)).Single()!;
            Assert.Equal("critical", (string?)alert["labels"]!["severity"]);
            Assert.Equal("fraud-scorer", (string?)alert["labels"]!["job"]);
            Assert.Equal("suppressed", (string?)alert["status"]!["state"]);
            Assert.Equal([(string?)absent["fingerprint"]], alert["status"]!["inhibitedBy"]!.AsArray().Select(f => (string?)f));
            Assert.Equal($"Scorer {scorerAddress} is down", (string?)alert["annotations"]!["summary"]);
            Assert.Contains("/metrics does not answer", (string?)alert["annotations"]!["runbook"], StringComparison.Ordinal);
            Assert.Equal("fraud-page", (string?)alert["receivers"]![0]!["name"]);

            Assert.Equal(0, await monitoring.StopAsync(TimeSpan.FromSeconds(30)));
            output.WriteLine($"v1={v1} v2={v2}; alert: {alert.ToJsonString()}");
        }
        finally
        {
            foreach (var target in targets)
            {
                File.Delete(target);
            }
            await RestoreShippedRulesAsync(api, prometheusDir);
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// The dev Prometheus evaluates copies of the shipped rule files; here each `for:` becomes <see cref="ShortFor"/>
    /// and nothing else changes, so the alerts under test are the shipped expressions, labels and annotations.
    /// </summary>
    private static async Task ShortenAlertDelaysAsync(PrometheusApi api, string prometheusDir)
    {
        foreach (var shipped in Directory.GetFiles(PrometheusRules.Folder, "*.rules.yml"))
        {
            var text = ForDuration().Replace(await File.ReadAllTextAsync(shipped), $"${{key}} {ShortFor}");
            await File.WriteAllTextAsync(Path.Combine(prometheusDir, "rules", Path.GetFileName(shipped)), text);
        }
        await api.ReloadAsync();
    }

    private static async Task RestoreShippedRulesAsync(PrometheusApi api, string prometheusDir)
    {
        foreach (var shipped in Directory.GetFiles(PrometheusRules.Folder, "*.rules.yml"))
        {
            File.Copy(shipped, Path.Combine(prometheusDir, "rules", Path.GetFileName(shipped)), overwrite: true);
        }
        await api.ReloadAsync();
    }

    private static async Task<string[]> CronJobArgumentsAsync()
    {
        var cronJob = (await Kustomize.RenderAsync("prod")).Single("CronJob", "fraud-trainer");
        return [.. cronJob.Containers().Single()["args"]!.AsArray().Select(a => (string)a!)];
    }

    /// <summary>The CronJob's arguments as a run by hand: trains whatever the schedule says.</summary>
    private static string[] Unscheduled(string[] args)
    {
        var at = Array.IndexOf(args, "--schedule-hours");
        return at < 0 ? args : [.. args[..at], .. args[(at + 2)..]];
    }

    private static string[] WithOut(string[] args, string folder)
    {
        var copy = args.ToArray();
        copy[Array.IndexOf(copy, "--out") + 1] = folder;
        return copy;
    }

    /// <summary>Runs the trainer, expects <paramref name="expected"/> in its summary line, returns the version it trained.</summary>
    private async Task<string> TrainAsync(string dll, string[] args, Dictionary<string, string?> env, string expected)
    {
        var summary = await RunToEndAsync(output, dll, args, env, Step);
        Assert.Contains(expected, summary, StringComparison.Ordinal);
        return Regex.Match(summary, @"version=(\S+)").Groups[1].Value;
    }

    private static async Task AnnounceGarbageAsync(string bootstrap, string topic)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrap }).Build();
        await producer.ProduceAsync(topic, new Message<string, string> { Key = "fraud-gbdt", Value = "{ this is not a manifest" });
    }

    /// <summary>
    /// Panels left out of "every query returns data": live quality exists only once labels matured
    /// (Quality:MaturityDays), and shadow figures only while a challenger is announced; this short run has neither.
    /// </summary>
    private static readonly string[] NeedMaturedLabelsOrAChallenger =
    [
        "Live recall", "Live precision", "Live ROC-AUC and PR-AUC", "Fraud money caught and false declines",
        "Challenger vs champion PR-AUC", "Shadow scoring",
    ];

    private async Task AssertEveryDashboardQueryReturnsDataAsync(PrometheusApi api, DateTimeOffset started)
    {
        var empty = new List<string>();
        var checkedQueries = 0;
        foreach (var (name, model) in GrafanaDashboards.Load())
        {
            foreach (var query in GrafanaDashboards.Queries(name, model).Where(q => !NeedMaturedLabelsOrAChallenger.Any(p => q.Where.StartsWith($"panel \"{p}\"", StringComparison.Ordinal))))
            {
                // Grafana's $__rate_interval with 2 s scrapes would be 8 s; 30 s keeps a few samples in every window.
                var expr = GrafanaDashboards.Expand(model, query.Expr, "30s");
                var result = query.Instant
                    ? await api.QueryAsync(expr)
                    : await api.QueryRangeAsync(expr, started, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(2));
                checkedQueries++;
                if (!PrometheusApi.HasNumbers(result))
                {
                    empty.Add($"{name} {query.Where}: {expr}");
                }
            }
            foreach (var (variable, selector, label) in GrafanaDashboards.VariableQueries(model))
            {
                if ((await api.SeriesAsync(GrafanaDashboards.Expand(model, selector, "30s"), started)).Count == 0)
                {
                    empty.Add($"{name} variable {variable}: label_values({selector}, {label}) matches no series");
                }
            }
        }
        output.WriteLine($"{checkedQueries} dashboard queries checked against Prometheus");
        Assert.True(empty.Count == 0, "dashboard queries without data:\n" + string.Join('\n', empty));
    }

    /// <summary>Every shipped rule evaluates without error, and every recording rule has produced data.</summary>
    private static async Task AssertEveryRuleEvaluatesAsync(PrometheusApi api)
    {
        var shipped = PrometheusRules.Load();
        var groups = (await api.RuleGroupsAsync()).Select(g => g!.AsObject()).Where(g => shipped.Any(r => r.Group == (string?)g["name"])).ToList();
        var rules = groups.SelectMany(g => g["rules"]!.AsArray()).Select(r => r!.AsObject()).ToList();

        Assert.Equal(shipped.Count, rules.Count);
        Assert.All(rules, r => Assert.True((string?)r["health"] == "ok", $"{r["name"]}: {r["lastError"]}"));
        foreach (var record in shipped.Where(r => r.Record is not null))
        {
            Assert.True((await api.QueryAsync(record.Record!)).Count > 0, $"recording rule {record.Record} has no data");
        }
        // The restore alert selects a bucket boundary by its label text: the scorer must expose it so.
        var restoreAlert = shipped.Single(r => r.Alert == "FraudScorerStateRestoreSlow").Expr;
        var bucket = Regex.Match(restoreAlert, @"fraud_scorer_state_restore_seconds_bucket\{[^}]*\}").Value;
        Assert.NotEmpty(await api.QueryAsync(bucket));
    }

    private static async Task<JsonNode> WaitForAlertAsync(PrometheusApi api, ProcessRunner watched, params string[] filters)
    {
        JsonNode? alert = null;
        await WaitUntilAsync(async () => (alert = (await api.AlertmanagerAlertsAsync(filters)).FirstOrDefault()) is not null,
            TimeSpan.FromSeconds(90), watched, $"Alertmanager to hold an alert {string.Join(' ', filters)}");
        return alert!;
    }

    [GeneratedRegex(@"^(?<key>\s+for:) \S+$", RegexOptions.Multiline)]
    private static partial Regex ForDuration();

    /// <summary>Needs the dev stack with Prometheus, Alertmanager and the Pushgateway, and kubectl for the CronJob's command.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    private sealed class OperatingStackFactAttribute : FactAttribute
    {
        public OperatingStackFactAttribute() => Skip ??= SkipReasons.Stack
            ?? (new[] { "FRAUD_PROMETHEUS_URL", "FRAUD_PROMETHEUS_DIR", "FRAUD_ALERTMANAGER_URL", "FRAUD_PUSHGATEWAY_URL" }.All(v => TestEnvironment.Get(v) is not null)
                ? null
                : "needs the dev stack's Prometheus, Alertmanager and Pushgateway: run `deploy/devstack.sh up`")
            ?? Tools.Kubectl;
    }
}
