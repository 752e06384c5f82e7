using System.Text.Json.Nodes;
using Fraud.Streaming.Scorer;
using Fraud.Streaming.Testing.Operations;

namespace Fraud.Streaming.Deploy.Tests;

/// <summary>
/// Every overlay of k8s/ rendered by <c>kubectl kustomize</c> and checked for what running it safely needs. No
/// cluster runs here; what a cluster would add (scheduling, KEDA, the Prometheus operator) is not exercised.
/// </summary>
public sealed class KubernetesTests
{
    public static TheoryData<string> Overlays => [.. Kustomize.Overlays];

    [ToolTheory("kubectl")]
    [MemberData(nameof(Overlays))]
    public async Task The_scorer_has_probes_a_drain_long_enough_to_snapshot_and_a_disruption_budget(string overlay)
    {
        var objects = await Kustomize.RenderAsync(overlay);
        var scorer = objects.Single("Deployment", "fraud-scorer");
        var container = scorer.Containers().Single();

        Assert.Equal("/readyz", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/healthz", (string?)container["livenessProbe"]!["httpGet"]!["path"]);
        var preStop = int.Parse((string)container["lifecycle"]!["preStop"]!["sleep"]!["seconds"]!, System.Globalization.CultureInfo.InvariantCulture);
        var drain = Env(container).TryGetValue("Scorer__DrainTimeoutSeconds", out var d) ? int.Parse(d, System.Globalization.CultureInfo.InvariantCulture) : new ScorerOptions().DrainTimeoutSeconds;
        var grace = int.Parse((string)scorer.PodSpec()["terminationGracePeriodSeconds"]!, System.Globalization.CultureInfo.InvariantCulture);
        // After preStop and the drain, the scorer snapshots its partitions and closes the consumer: leave 15 s for that.
        Assert.True(grace >= preStop + drain + 15, $"{overlay}: grace {grace}s < preStop {preStop}s + drain {drain}s + 15s");
        Assert.NotNull(container["resources"]!["requests"]!["cpu"]);
        Assert.NotNull(container["resources"]!["limits"]!["memory"]);

        var budget = objects.Single("PodDisruptionBudget", "fraud-scorer");
        Assert.Equal("1", (string?)budget["spec"]!["maxUnavailable"]);
        Assert.Equal((string?)scorer["spec"]!["selector"]!["matchLabels"]!["app.kubernetes.io/name"], (string?)budget["spec"]!["selector"]!["matchLabels"]!["app.kubernetes.io/name"]);
        var monitoring = objects.Single("Deployment", "fraud-monitoring").Containers().Single();
        Assert.Equal("/readyz", (string?)monitoring["readinessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/healthz", (string?)monitoring["livenessProbe"]!["httpGet"]!["path"]);
    }

    [ToolTheory("kubectl")]
    [MemberData(nameof(Overlays))]
    public async Task Scorers_never_outnumber_the_partitions_of_the_transactions_topic(string overlay)
    {
        var objects = await Kustomize.RenderAsync(overlay);
        var partitions = int.Parse((string)objects.Single("KafkaTopic", "fraud-transactions")["spec"]!["partitions"]!, System.Globalization.CultureInfo.InvariantCulture);
        var scaled = objects.Single("ScaledObject", "fraud-scorer")["spec"]!;
        var scorer = objects.Single("Deployment", "fraud-scorer");

        Assert.Equal("fraud.transactions", (string?)objects.Single("KafkaTopic", "fraud-transactions")["spec"]!["topicName"]);
        Assert.Equal(partitions, int.Parse((string)scaled["maxReplicaCount"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(int.Parse((string)scaled["minReplicaCount"]!, System.Globalization.CultureInfo.InvariantCulture), 1, partitions);
        Assert.InRange(int.Parse((string)scorer["spec"]!["replicas"]!, System.Globalization.CultureInfo.InvariantCulture), 1, partitions);
        Assert.Equal("fraud-scorer", (string?)scaled["scaleTargetRef"]!["name"]);

        // KEDA reads bootstrap servers, group and topic from the scorer's own environment: they must be there.
        var trigger = scaled["triggers"]![0]!;
        Assert.Equal("kafka", (string?)trigger["type"]);
        var env = ResolvedEnv(objects, scorer.Containers().Single());
        foreach (var key in (string[])["bootstrapServersFromEnv", "consumerGroupFromEnv", "topicFromEnv"])
        {
            var variable = (string)trigger["metadata"]![key]!;
            Assert.True(env.ContainsKey(variable), $"{overlay}: KEDA's {key} names {variable}, which the scorer container does not set");
        }
        Assert.Equal((string?)objects.Single("KafkaTopic", "fraud-transactions")["spec"]!["topicName"], env["Kafka__TransactionsTopic"]);
    }

    [ToolTheory("kubectl")]
    [MemberData(nameof(Overlays))]
    public async Task Only_the_trainer_CronJob_asks_for_a_GPU_and_the_cpu_and_dev_overlays_for_none(string overlay)
    {
        var objects = await Kustomize.RenderAsync(overlay);
        var workloads = objects.Where(o => (string?)o["kind"] is "Deployment" or "CronJob").ToList();
        var withGpu = workloads.Where(w => w.Containers().Any(c => c["resources"]?["limits"]?["nvidia.com/gpu"] is not null)).Select(w => (string?)w["metadata"]!["name"]).ToList();
        var trainer = objects.Single("CronJob", "fraud-trainer").PodSpec();

        if (overlay == "prod")
        {
            Assert.Equal(["fraud-trainer"], withGpu);
            Assert.Equal("1", (string?)objects.Single("CronJob", "fraud-trainer").Containers().Single()["resources"]!["limits"]!["nvidia.com/gpu"]);
            Assert.Equal("true", (string?)trainer["nodeSelector"]!["nvidia.com/gpu.present"]);
            Assert.Contains(trainer["tolerations"]!.AsArray(), t => (string?)t!["key"] == "nvidia.com/gpu");
        }
        else
        {
            Assert.Empty(withGpu);
            Assert.Null(trainer["nodeSelector"]);
            Assert.Null(trainer["tolerations"]);
        }
        Assert.DoesNotContain(workloads.Where(w => (string?)w["kind"] == "Deployment"), w => w.PodSpec()["nodeSelector"]?["nvidia.com/gpu.present"] is not null);
    }

    [ToolTheory("kubectl")]
    [MemberData(nameof(Overlays))]
    public async Task The_trainer_runs_daily_with_device_auto_one_run_at_a_time_with_retries_and_a_deadline(string overlay)
    {
        var cronJob = (await Kustomize.RenderAsync(overlay)).Single("CronJob", "fraud-trainer");
        var job = cronJob["spec"]!["jobTemplate"]!["spec"]!;
        var args = cronJob.Containers().Single()["args"]!.AsArray().Select(a => (string)a!).ToList();

        Assert.Equal("Forbid", (string?)cronJob["spec"]!["concurrencyPolicy"]);
        Assert.NotNull((string?)cronJob["spec"]!["schedule"]);
        Assert.InRange(int.Parse((string)job["backoffLimit"]!, System.Globalization.CultureInfo.InvariantCulture), 1, 5);
        Assert.True(int.Parse((string)job["activeDeadlineSeconds"]!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal("Never", (string?)cronJob.PodSpec()["restartPolicy"]);
        Assert.Equal("train", args[0]);
        Assert.Equal("auto", args[args.IndexOf("--device") + 1]);
        Assert.Contains("--out", args);
    }

    [ToolTheory("kubectl")]
    [MemberData(nameof(Overlays))]
    public async Task The_aggregator_runs_alone_is_replaced_not_rolled_and_publishes_to_a_compacted_topic_partitioned_like_the_transactions(string overlay)
    {
        var objects = await Kustomize.RenderAsync(overlay);

        var aggregator = objects.Single("Deployment", "fraud-aggregator");
        Assert.Equal("1", (string?)aggregator["spec"]!["replicas"]);
        Assert.Equal("Recreate", (string?)aggregator["spec"]!["strategy"]!["type"]);
        var topics = objects.OfKind("KafkaTopic").ToDictionary(t => (string)t["spec"]!["topicName"]!, t => t["spec"]!);
        Assert.Equal((string?)topics["fraud.transactions"]["partitions"], (string?)topics["fraud.entity-totals"]["partitions"]);
        Assert.Equal("compact", (string?)topics["fraud.entity-totals"]["config"]!["cleanup.policy"]);
        Assert.Contains("fraud.labels.dlq", topics.Keys);
    }

    [ToolTheory("kubectl")]
    [MemberData(nameof(Overlays))]
    public async Task Connection_strings_and_keys_come_only_from_Secrets(string overlay)
    {
        var objects = await Kustomize.RenderAsync(overlay);

        foreach (var configMap in objects.OfKind("ConfigMap"))
        {
            var keys = configMap["data"]?.AsObject().Select(d => d.Key) ?? [];
            Assert.DoesNotContain(keys, ConfigurationKeys.IsCredential);
            Assert.DoesNotContain(keys, k => k.Contains("Password", StringComparison.OrdinalIgnoreCase) || k.Contains("Secret", StringComparison.Ordinal));
        }
        foreach (var workload in objects.Where(o => (string?)o["kind"] is "Deployment" or "CronJob"))
        {
            foreach (var variable in workload.Containers().SelectMany(c => c["env"]?.AsArray() ?? []))
            {
                var name = (string)variable!["name"]!;
                if (ConfigurationKeys.IsCredential(name))
                {
                    Assert.Null(variable["value"]);
                    Assert.NotNull(variable["valueFrom"]!["secretKeyRef"]);
                }
                Assert.DoesNotContain("Password=", (string?)variable["value"] ?? "", StringComparison.OrdinalIgnoreCase);
            }
        }
        // Outside dev, the Secret is created in the cluster, never rendered from this repository.
        Assert.Equal(overlay == "dev", objects.OfKind("Secret").Any());
    }

    [ToolTheory("kubectl")]
    [MemberData(nameof(Overlays))]
    public async Task Every_configuration_key_given_to_a_service_is_one_it_reads(string overlay)
    {
        var objects = await Kustomize.RenderAsync(overlay);
        var workloads = new Dictionary<(string Kind, string Name), string>
        {
            [("Deployment", "fraud-scorer")] = "scorer",
            [("Deployment", "fraud-monitoring")] = "monitoring",
            [("Deployment", "fraud-aggregator")] = "aggregator",
            [("CronJob", "fraud-trainer")] = "trainer",
        };

        foreach (var ((kind, name), deployable) in workloads)
        {
            var env = ResolvedEnv(objects, objects.Single(kind, name).Containers().Single());
            var unknown = env.Keys.Where(ConfigurationKeys.IsSetting).Where(k => !ConfigurationKeys.Reads(deployable, k)).ToList();
            Assert.True(unknown.Count == 0, $"{overlay}: {name} gets keys {deployable} does not read: {string.Join(", ", unknown)}");
            Assert.Contains("Kafka__BootstrapServers", env.Keys);
        }
        Assert.Contains("Postgres__ConnectionString", ResolvedEnv(objects, objects.Single("Deployment", "fraud-monitoring").Containers().Single()).Keys);
        Assert.Contains("Pushgateway__Url", ResolvedEnv(objects, objects.Single("CronJob", "fraud-trainer").Containers().Single()).Keys);
        // Announcements are signed by the trainer and trusted by the scorers, with keys from the Secret.
        Assert.Contains("Signing__PrivateKey", ResolvedEnv(objects, objects.Single("CronJob", "fraud-trainer").Containers().Single()).Keys);
        Assert.Contains("Trust__PublicKeys__0", ResolvedEnv(objects, objects.Single("Deployment", "fraud-scorer").Containers().Single()).Keys);
    }

    [ToolTheory("kubectl")]
    [MemberData(nameof(Overlays))]
    public async Task ServiceMonitors_scrape_every_service_on_its_metrics_port(string overlay)
    {
        var objects = await Kustomize.RenderAsync(overlay);
        var monitors = objects.OfKind("ServiceMonitor").ToList();

        foreach (var service in objects.OfKind("Service"))
        {
            var name = (string)service["metadata"]!["labels"]!["app.kubernetes.io/name"]!;
            Assert.Contains(service["spec"]!["ports"]!.AsArray(), p => (string?)p!["name"] == "metrics");
            var monitor = monitors.SingleOrDefault(m => Selects(m["spec"]!["selector"]!, name));
            Assert.True(monitor is not null, $"{overlay}: no ServiceMonitor selects {name}");
            Assert.Equal("metrics", (string?)monitor["spec"]!["endpoints"]![0]!["port"]);
        }
        Assert.Equal("true", (string?)monitors.Single(m => (string?)m["metadata"]!["name"] == "fraud-pushgateway")["spec"]!["endpoints"]![0]!["honorLabels"]);
        Assert.Single(objects.OfKind("PrometheusRule"));
        Assert.Equal(4, objects.OfKind("ConfigMap").Count(c => (string?)c["metadata"]!["labels"]?["grafana_dashboard"] == "1"));
    }

    /// <summary>A container's environment: its env entries and the keys of the ConfigMaps and Secrets it takes whole.</summary>
    internal static Dictionary<string, string> ResolvedEnv(IReadOnlyList<JsonObject> objects, JsonObject container)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container["envFrom"]?.AsArray() ?? [])
        {
            var (kind, reference) = source!["configMapRef"] is { } c ? ("ConfigMap", c) : ("Secret", source["secretRef"]!);
            var data = objects.Single(kind, (string)reference["name"]!)["data"]!.AsObject();
            foreach (var (key, value) in data)
            {
                env[key] = (string?)value ?? "";
            }
        }
        foreach (var variable in container["env"]?.AsArray() ?? [])
        {
            env[(string)variable!["name"]!] = (string?)variable["value"] ?? "(from a reference)";
        }
        return env;
    }

    private static Dictionary<string, string> Env(JsonObject container) =>
        (container["env"]?.AsArray() ?? []).Where(e => e!["value"] is not null).ToDictionary(e => (string)e!["name"]!, e => (string)e!["value"]!, StringComparer.Ordinal);

    private static bool Selects(JsonNode selector, string name) =>
        (string?)selector["matchLabels"]?["app.kubernetes.io/name"] == name
        || (selector["matchExpressions"]?.AsArray() ?? []).Any(e => (string?)e!["key"] == "app.kubernetes.io/name" && e["values"]!.AsArray().Any(v => (string?)v == name));
}
