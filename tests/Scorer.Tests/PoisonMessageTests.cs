using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;
using Fraud.Streaming.Testing;
using Xunit.Abstractions;

namespace Fraud.Streaming.Scorer.Tests;

/// <summary>
/// Messages that used to stop the scorer process (a crash loop: exit, restart, read the same batch, exit again) or
/// slip through, published between ordinary traffic to a running <c>scorer run</c> process: each is dead-lettered
/// with its reason, the process stays up, and every ordinary transaction around them gets exactly one verdict.
/// </summary>
public sealed class PoisonMessageTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly TempDirectory _dir = new();
    private readonly KafkaTestTopics _topics = new("poison");

    [KafkaFact]
    public async Task Poison_messages_are_dead_lettered_with_their_reason_and_the_scorer_keeps_scoring()
    {
        var bootstrap = await KafkaServer.GetBootstrapServersAsync();
        foreach (var role in new[] { "transactions", "verdicts", "dlq", "models" })
        {
            await KafkaTestTopics.EnsureCreatedAsync(bootstrap, _topics.Name(role));
        }
        var model = _dir.File("store/fraud-gbdt/poison-1");
        TestModels.WritePackage(model, "poison-1", seed: 1);
        var before = TestData.Transactions(200, cards: 20, seed: 31, prefix: "before");
        var after = TestData.Transactions(200, cards: 20, seed: 32, prefix: "after");
        var template = JsonNode.Parse(ContractJson.Serialize(before[0]))!.AsObject();
        JsonObject Variant(string id, Action<JsonObject> change)
        {
            var json = (JsonObject)template.DeepClone();
            json["transaction_id"] = id;
            change(json);
            return json;
        }

        // Each with the reason it must get; keyed by its card unless the key is the point.
        var poison = new (string Name, string? Key, byte[] Value, string Reason)[]
        {
            ("finite amount whose features overflow float32", before[0].CardId, Bytes(Variant("p-amount", j => j["amount"] = 3.0e38)), "invalid_amount"),
            ("null channel", before[0].CardId, Bytes(Variant("p-channel", j => j["channel"] = null)), "invalid_field"),
            ("far-future event time", before[0].CardId, Bytes(Variant("p-future", j => j["event_time"] = "9999-12-31T00:00:00Z")), "invalid_event_time"),
            ("NUL in a text", before[0].CardId, Bytes(Variant("p-nul", j => j["merchant_id"] = "m\u0000x")), "invalid_field"),
            ("key is not the card", "someone-else", Bytes(Variant("p-key", _ => { })), "key_mismatch"),
            ("duplicate transaction id", before[5].CardId, ContractJson.Serialize(before[5] with { Amount = 1 }), "duplicate_transaction_id"),
            // Just under the broker's limit, so it is accepted; its copy plus the dead-letter headers is not.
            ("oversized", before[0].CardId, Encoding.UTF8.GetBytes(new string('x', 999_700)), "bad_json"),
        };

        await using var scorer = ProcessRunner.StartDotnet(
            RepoPaths.BuiltAssembly("src/Scorer", "Fraud.Streaming.Scorer"), ["run", "--urls", "http://127.0.0.1:0"], Environment(model));
        await scorer.WaitForLineAsync("partitions assigned", Patience);

        using (var producer = new ProducerBuilder<string?, byte[]>(new ProducerConfig { BootstrapServers = bootstrap, EnableIdempotence = true }).Build())
        {
            var topic = _topics.Name("transactions");
            foreach (var t in before)
            {
                producer.Produce(topic, new Message<string?, byte[]> { Key = t.CardId, Value = ContractJson.Serialize(t) });
            }
            producer.Flush(Patience);
            foreach (var (_, key, value, _) in poison)
            {
                producer.Produce(topic, new Message<string?, byte[]> { Key = key, Value = value });
            }
            foreach (var t in after)
            {
                producer.Produce(topic, new Message<string?, byte[]> { Key = t.CardId, Value = ContractJson.Serialize(t) });
            }
            Assert.Equal(0, producer.Flush(Patience));
        }

        var expected = before.Concat(after).Select(t => t.TransactionId).Order().ToList();
        var verdicts = TopicReader.ReadAll(bootstrap, _topics.Name("verdicts"), expected.Count, Patience);
        var dead = TopicReader.ReadAll(bootstrap, _topics.Name("dlq"), poison.Length, Patience);
        output.WriteLine(string.Join('\n', scorer.Lines.Select(l => l.Text).Where(l => !l.Contains("info: Microsoft", StringComparison.Ordinal))));

        Assert.False(scorer.HasExited, $"the scorer stopped:\n{scorer.Output}");
        Assert.Equal(expected, verdicts.Select(m => ContractJson.DeserializeVerdict(m.Message.Value).TransactionId).Order());
        Assert.Equal(poison.Select(p => p.Reason).Order(), dead.Select(m => TopicReader.Header(m, DlqHeaders.Reason)).Order());
        var stub = Assert.Single(dead, m => TopicReader.Header(m, DlqHeaders.Stub) == "true");
        Assert.Null(stub.Message.Value);
        Assert.Equal("999700", TopicReader.Header(stub, DlqHeaders.Size));
        Assert.StartsWith($"{_topics.Name("transactions")}/", TopicReader.Header(stub, DlqHeaders.Source), StringComparison.Ordinal);
        Assert.All(dead.Where(m => m != stub), m => Assert.NotNull(m.Message.Value));
        Assert.Equal(0, await scorer.StopAsync(TimeSpan.FromSeconds(30)));
    }

    private Dictionary<string, string?> Environment(string model)
    {
        var environment = TestSigning.Environment();
        environment["Kafka__BootstrapServers"] = KafkaServer.GetBootstrapServersAsync().GetAwaiter().GetResult();
        environment["Kafka__TransactionsTopic"] = _topics.Name("transactions");
        environment["Kafka__VerdictsTopic"] = _topics.Name("verdicts");
        environment["Kafka__DlqTopic"] = _topics.Name("dlq");
        environment["Kafka__ModelsTopic"] = _topics.Name("models");
        environment["Scorer__GroupId"] = $"{_topics.Prefix}.scorer";
        environment["Scorer__InitialModel"] = model;
        environment["ModelStore__Folder"] = _dir.File("store");
        environment["State__Directory"] = _dir.File("state");
        environment["DOTNET_gcServer"] = "0";
        return environment;
    }

    private static byte[] Bytes(JsonObject json) => Encoding.UTF8.GetBytes(json.ToJsonString());

    public void Dispose() => _dir.Dispose();
}
