using System.Text.Json.Nodes;
using Fraud.Streaming.Testing;
using Fraud.Streaming.Testing.Operations;

namespace Fraud.Streaming.Deploy.Tests;

/// <summary>
/// docker-compose.yml, as <c>docker-compose config</c> resolves it (anchors merged, variables at their defaults).
/// No Docker engine runs here: images are neither built nor started.
/// </summary>
public sealed class ComposeTests
{
    private static readonly Dictionary<string, string> Deployables = new(StringComparer.Ordinal)
    {
        ["producer"] = "producer",
        ["scorer"] = "scorer",
        ["monitoring"] = "monitoring",
        ["aggregator"] = "aggregator",
        ["trainer"] = "trainer",
        ["trainer-gpu"] = "trainer",
    };

    [ToolFact("docker-compose")]
    public async Task The_compose_file_validates()
    {
        var (code, output) = await Tools.RunAsync("docker-compose", ["-f", RepoPaths.Combine("docker-compose.yml"), "config", "-q"]);

        Assert.True(code == 0, output);
    }

    [ToolFact("docker-compose")]
    public async Task Services_set_only_configuration_keys_they_read_and_the_ones_they_need()
    {
        var services = await ServicesAsync();

        foreach (var (service, deployable) in Deployables)
        {
            var keys = Environment(services[service]).Keys.Where(ConfigurationKeys.IsSetting).ToList();
            var unknown = keys.Where(k => !ConfigurationKeys.Reads(deployable, k)).ToList();
            Assert.True(unknown.Count == 0, $"{service} sets keys {deployable} does not read: {string.Join(", ", unknown)}");
            Assert.Contains("Kafka__BootstrapServers", keys);
        }
        Assert.Contains("Postgres__ConnectionString", Environment(services["monitoring"]).Keys);
        Assert.Contains("Postgres__ConnectionString", Environment(services["trainer"]).Keys);
        Assert.Contains("Pushgateway__Url", Environment(services["trainer"]).Keys);
        Assert.Equal("s3", Environment(services["scorer"])["State__Kind"]);
    }

    [ToolFact("docker-compose")]
    public async Task The_stack_has_KRaft_Kafka_storage_monitoring_and_health_checked_services_in_order()
    {
        var services = await ServicesAsync();

        Assert.Equal("broker,controller", Environment(services["kafka"])["KAFKA_PROCESS_ROLES"]);
        foreach (var name in (string[])["kafka", "postgres", "minio", "prometheus", "alertmanager", "grafana", "pushgateway"])
        {
            Assert.True(services.ContainsKey(name), $"no {name} service");
        }
        foreach (var name in (string[])["kafka", "postgres", "minio", "prometheus", "alertmanager", "grafana", "scorer", "monitoring"])
        {
            Assert.True(services[name]!["healthcheck"]?["test"] is not null, $"{name} has no health check");
        }
        foreach (var name in Deployables.Keys)
        {
            var dependsOn = services[name]!["depends_on"]!.AsObject();
            Assert.All(dependsOn, d => Assert.NotNull((string?)d.Value!["condition"]));
            Assert.Equal("service_completed_successfully", (string?)dependsOn["kafka-topics"]!["condition"]);
            Assert.Equal($"deploy/docker/{Deployables[name]}.Dockerfile", (string?)services[name]!["build"]!["dockerfile"]);
        }
        Assert.Equal("service_healthy", (string?)services["monitoring"]!["depends_on"]!["postgres"]!["condition"]);
        Assert.Equal("train", (string?)services["trainer"]!["profiles"]![0]);
        Assert.Equal("nvidia", (string?)services["trainer-gpu"]!["deploy"]!["resources"]!["reservations"]!["devices"]![0]!["driver"]);
        Assert.Null(services["scorer"]!["profiles"]);
    }

    [ToolFact("docker-compose")]
    public async Task Data_lives_in_named_volumes_and_the_monitoring_tools_mount_the_repository_files()
    {
        var config = Yaml.Load((await Tools.RunForOutputAsync("docker-compose", ["-f", RepoPaths.Combine("docker-compose.yml"), "config"])).Stdout);
        var services = config["services"]!.AsObject();
        var volumes = config["volumes"]!.AsObject().Select(v => v.Key).ToHashSet(StringComparer.Ordinal);

        foreach (var (service, path) in new[] { ("kafka", "/var/lib/kafka/data"), ("postgres", "/var/lib/postgresql/data"), ("minio", "/data"), ("prometheus", "/prometheus"), ("grafana", "/var/lib/grafana") })
        {
            var mount = Mounts(services[service]).Single(m => m.Target == path);
            Assert.Contains(mount.Source, volumes);
        }
        Assert.Contains(Mounts(services["prometheus"]), m => m.Source.EndsWith("/deploy/prometheus", StringComparison.Ordinal) && m.Target == "/etc/prometheus");
        Assert.Contains(Mounts(services["alertmanager"]), m => m.Source.EndsWith("/deploy/alertmanager", StringComparison.Ordinal));
        Assert.Contains(Mounts(services["grafana"]), m => m.Source.EndsWith("/grafana/provisioning", StringComparison.Ordinal));
    }

    /// <summary>Volume mounts as docker-compose 1.29 prints them: SOURCE:TARGET[:MODE].</summary>
    private static IEnumerable<(string Source, string Target)> Mounts(JsonNode? service) =>
        (service?["volumes"]?.AsArray() ?? []).Select(v => ((string)v!).Split(':')).Select(p => (p[0], p[1]));

    private static async Task<JsonObject> ServicesAsync()
    {
        var (code, stdout) = await Tools.RunForOutputAsync("docker-compose", ["-f", RepoPaths.Combine("docker-compose.yml"), "config"]);
        Assert.Equal(0, code);
        return Yaml.Load(stdout)["services"]!.AsObject();
    }

    private static Dictionary<string, string> Environment(JsonNode? service) =>
        (service?["environment"]?.AsObject() ?? []).ToDictionary(e => e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
}
