using System.Globalization;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Trust;
using Fraud.Streaming.Testing;
using Xunit.Abstractions;

namespace Fraud.Streaming.Scorer.Tests;

/// <summary>
/// What a scorer process does with announcements on the models topic that it must not obey: unsigned ones (such as a
/// manifest that declines everything), forged or altered ones, manifests with a null part, artifacts outside the store,
/// a device or a FIFO in it. Each is refused with its reason and counted; the model that serves stays, the watcher
/// goes on to load a good announcement later, and a restart whose newest announcement is bad comes up on the last
/// good one.
/// </summary>
public sealed class ModelTrustTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly TempDirectory _dir = new();
    private readonly KafkaTestTopics _topics = new("trust");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [KafkaFact]
    public async Task Untrusted_or_broken_announcements_are_refused_and_the_last_good_model_serves_also_after_a_restart()
    {
        var bootstrap = await KafkaServer.GetBootstrapServersAsync();
        foreach (var role in new[] { "transactions", "verdicts", "dlq", "models" })
        {
            await KafkaTestTopics.EnsureCreatedAsync(bootstrap, _topics.Name(role));
        }
        var store = _dir.File("store");
        var v1 = TestModels.WritePackage(Path.Combine(store, "fraud-gbdt", "trust-v1"), "trust-v1", seed: 1);
        var v2 = TestModels.WritePackage(Path.Combine(store, "fraud-gbdt", "trust-v2"), "trust-v2", seed: 2);
        var outside = TestModels.WritePackage(_dir.File("elsewhere/trust-out"), "trust-out", seed: 3);
        // A link inside the store that leads out of it (to a device): its target decides, and that is outside.
        var zero = Path.Combine(store, "fraud-gbdt", "trust-zero");
        Directory.CreateDirectory(zero);
        File.CreateSymbolicLink(Path.Combine(zero, ModelPackage.OnnxFileName), "/dev/zero");
        var fifo = Path.Combine(store, "fraud-gbdt", "trust-fifo");
        Directory.CreateDirectory(fifo);
        await RunAsync("mkfifo", Path.Combine(fifo, ModelPackage.OnnxFileName));
        var passwd = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes("/etc/passwd")));

        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrap, EnableIdempotence = true }).Build();
        var url = $"http://127.0.0.1:{Ports.Free()}";
        var scorer = Start(url);
        try
        {
            await AnnounceAsync(producer, ContractJson.Serialize(v1));
            await WaitUntilAsync(scorer, () => ServingAsync(url, v1.Version), "v1 serving");

            var untrusted = new AnnouncementSigner(Ed25519Keys.Generate().Private);
            var declineAll = ContractJson.Serialize(v1 with { Version = "trust-evil", Thresholds = new Thresholds(0f, 0f) });
            var bad = new (string Reason, byte[] Value, Headers? Headers)[]
            {
                ("unsigned", declineAll, []),
                ("untrusted_key", declineAll, TestSigning.Headers(declineAll, untrusted)),
                ("bad_signature", declineAll, TestSigning.Headers(ContractJson.Serialize(v1 with { Version = "trust-evil" }))),
                ("bad_manifest", WithNull(v1 with { Version = "trust-nospec" }, "feature_spec"), null),
                ("bad_manifest", WithNull(v1 with { Version = "trust-nothresholds" }, "thresholds"), null),
                (ArtifactFetcher.OutsideStore, ContractJson.Serialize(outside), null),
                (ArtifactFetcher.OutsideStore, ContractJson.Serialize(v1 with { Version = "trust-passwd", ArtifactUri = "file:///etc/passwd" }), null),
                (ArtifactFetcher.OutsideStore, ContractJson.Serialize(v1 with { Version = "trust-zero", ArtifactUri = new Uri(Path.Combine(zero, ModelPackage.OnnxFileName)).AbsoluteUri }), null),
                (ArtifactFetcher.NotAFile, ContractJson.Serialize(v1 with { Version = "trust-fifo", ArtifactUri = new Uri(Path.Combine(fifo, ModelPackage.OnnxFileName)).AbsoluteUri }), null),
            };
            var before = await RejectedAsync(url);
            foreach (var (_, value, headers) in bad)
            {
                await AnnounceAsync(producer, value, headers ?? TestSigning.Headers(value));
            }
            var expected = bad.GroupBy(b => b.Reason).ToDictionary(g => g.Key, g => before.GetValueOrDefault(g.Key) + g.Count());
            await WaitUntilAsync(scorer, async () =>
            {
                var now = await RejectedAsync(url);
                return expected.All(e => now.GetValueOrDefault(e.Key) >= e.Value);
            }, "every bad announcement refused");
            Assert.True(await ServingAsync(url, v1.Version), "v1 must still serve");
            Assert.DoesNotContain(scorer.Lines, l => l.Text.Contains(passwd, StringComparison.Ordinal));

            // The watcher lives on: a good announcement afterwards is obeyed.
            await AnnounceAsync(producer, ContractJson.Serialize(v2));
            await WaitUntilAsync(scorer, () => ServingAsync(url, v2.Version), "v2 serving");

            // A restart whose newest announcement is bad comes up on the last good one.
            var newestBad = ContractJson.Serialize(v1 with { Version = "trust-fifo-2", ArtifactUri = new Uri(Path.Combine(fifo, ModelPackage.OnnxFileName)).AbsoluteUri });
            await AnnounceAsync(producer, newestBad, TestSigning.Headers(newestBad));
            Assert.Equal(0, await scorer.StopAsync(TimeSpan.FromSeconds(30)));
            output.WriteLine(scorer.Output);
            await scorer.DisposeAsync();
            scorer = Start(url);
            await WaitUntilAsync(scorer, () => ServingAsync(url, v2.Version), "v2 serving after the restart");
            Assert.False(scorer.HasExited);
        }
        finally
        {
            output.WriteLine(scorer.Output);
            await scorer.DisposeAsync();
        }
    }

    private ProcessRunner Start(string url)
    {
        var environment = TestSigning.Environment();
        environment["Kafka__BootstrapServers"] = KafkaServer.GetBootstrapServersAsync().GetAwaiter().GetResult();
        environment["Kafka__TransactionsTopic"] = _topics.Name("transactions");
        environment["Kafka__VerdictsTopic"] = _topics.Name("verdicts");
        environment["Kafka__DlqTopic"] = _topics.Name("dlq");
        environment["Kafka__ModelsTopic"] = _topics.Name("models");
        environment["Scorer__GroupId"] = $"{_topics.Prefix}.scorer";
        environment["Scorer__InitialModel"] = null;
        environment["ModelStore__Folder"] = _dir.File("store");
        environment["ModelStore__FetchTimeoutSeconds"] = "5";
        environment["State__Directory"] = _dir.File("state");
        environment["DOTNET_gcServer"] = "0";
        return ProcessRunner.StartDotnet(RepoPaths.BuiltAssembly("src/Scorer", "Fraud.Streaming.Scorer"), ["run", "--urls", url], environment);
    }

    private async Task AnnounceAsync(IProducer<string, byte[]> producer, byte[] value, Headers? headers = null) =>
        await producer.ProduceAsync(_topics.Name("models"), new Message<string, byte[]> { Key = TestModels.Name, Value = value, Headers = headers ?? TestSigning.Headers(value) });

    private static byte[] WithNull(ModelManifest manifest, string part)
    {
        var json = JsonNode.Parse(ContractJson.Serialize(manifest))!.AsObject();
        json[part] = null;
        return System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    private async Task<bool> ServingAsync(string url, string version)
    {
        try
        {
            var ready = await _http.GetAsync(new Uri($"{url}/readyz"));
            var metrics = await _http.GetStringAsync(new Uri($"{url}/metrics"));
            return ready.IsSuccessStatusCode && metrics.Contains($"fraud_scorer_model_info{{version=\"{version}\"}} 1", StringComparison.Ordinal);
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary><c>fraud_scorer_model_rejected_total</c> by reason.</summary>
    private async Task<Dictionary<string, double>> RejectedAsync(string url)
    {
        var result = new Dictionary<string, double>();
        string metrics;
        try
        {
            metrics = await _http.GetStringAsync(new Uri($"{url}/metrics"));
        }
        catch (HttpRequestException)
        {
            return result;
        }
        const string prefix = "fraud_scorer_model_rejected_total{reason=\"";
        foreach (var line in metrics.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var reason = line[prefix.Length..line.IndexOf('"', prefix.Length)];
            result[reason] = double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }
        return result;
    }

    private static Task WaitUntilAsync(ProcessRunner watched, Func<Task<bool>> condition, string what) => Waits.UntilAsync(condition, Patience, what, watched);

    private static async Task RunAsync(string program, string argument)
    {
        await using var process = ProcessRunner.Start(program, [argument]);
        Assert.Equal(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(10)));
    }


    public void Dispose()
    {
        _http.Dispose();
        _dir.Dispose();
    }
}
