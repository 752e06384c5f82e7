using Fraud.Streaming.Testing;
using System.Text;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;
using Fraud.Streaming.Shared.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Fraud.Streaming.Scorer.Tests;

/// <summary>The <c>run</c> worker hosted in-process against a real Kafka protocol endpoint (DevKafka or a broker).</summary>
public sealed class KafkaScorerTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();
    private readonly string _bootstrap = TestEnvironment.KafkaBootstrap ?? string.Empty;
    private readonly string _prefix = $"test.scorer.{Guid.NewGuid():N}";

    private string Topic(string role) => $"{_prefix}.{role}";

    [KafkaFact]
    public async Task Scores_valid_transactions_dead_letters_bad_ones_and_hot_swaps_the_model()
    {
        var v1 = TestModels.WritePackage(_dir.File("v1"), $"it-{_prefix[^8..]}-1", seed: 1);
        var v2 = TestModels.WritePackage(_dir.File("v2"), $"it-{_prefix[^8..]}-2", seed: 2);
        foreach (var role in new[] { "transactions", "verdicts", "dlq", "models", "entities" })
        {
            await EnsureTopicAsync(Topic(role));
        }
        using var producer = new ProducerBuilder<string?, byte[]>(new ProducerConfig { BootstrapServers = _bootstrap, EnableIdempotence = true }).Build();
        await producer.ProduceAsync(Topic("models"), Signed(v1));

        var first = TestData.Transactions(300, cards: 30, seed: 4, prefix: "first");
        foreach (var t in first)
        {
            producer.Produce(Topic("transactions"), new Message<string?, byte[]> { Key = t.CardId, Value = ContractJson.Serialize(t) });
        }
        foreach (var (line, _) in TestData.Malformed)
        {
            producer.Produce(Topic("transactions"), new Message<string?, byte[]> { Key = "bad", Value = Encoding.UTF8.GetBytes(line) });
        }
        producer.Flush(TimeSpan.FromSeconds(10));

        await using var app = BuildScorer();
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        await WaitUntilAsync(async () => (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode, "scorer ready");

        using var verdicts = new TopicReader(_bootstrap, Topic("verdicts"));
        using var dlq = new TopicReader(_bootstrap, Topic("dlq"));
        var firstVerdicts = await verdicts.ReadAsync(first.Count, Patience);
        Assert.Equal(first.Select(t => t.TransactionId).Order(), firstVerdicts.Select(m => Verdict(m).TransactionId).Order());
        Assert.All(firstVerdicts, m => Assert.Equal(v1.Version, Verdict(m).ModelVersion));
        Assert.All(firstVerdicts, m => Assert.Equal(Verdict(m).CardId, Encoding.UTF8.GetString(m.Key)));

        var dead = await dlq.ReadAsync(TestData.Malformed.Length, Patience);
        Assert.Equal(
            TestData.Malformed.Select(m => (m.Line, m.Code)).Order(),
            dead.Select(m => (Encoding.UTF8.GetString(m.Value), Header(m, DlqHeaders.Reason))).Order());
        Assert.All(dead, m => Assert.StartsWith($"{Topic("transactions")}/", Header(m, DlqHeaders.Source), StringComparison.Ordinal));
        Assert.All(dead, m => Assert.False(string.IsNullOrEmpty(Header(m, DlqHeaders.Detail))));

        // A new model announced on the compacted topic: later transactions are scored by it.
        await producer.ProduceAsync(Topic("models"), Signed(v2));
        var holder = app.Services.GetRequiredService<ModelHolder>();
        await WaitUntilAsync(() => Task.FromResult(holder.CurrentVersion == v2.Version), "swap to v2");
        var second = TestData.Transactions(100, cards: 30, seed: 5, prefix: "second");
        foreach (var t in second)
        {
            producer.Produce(Topic("transactions"), new Message<string?, byte[]> { Key = t.CardId, Value = ContractJson.Serialize(t) });
        }
        producer.Flush(TimeSpan.FromSeconds(10));
        var secondVerdicts = await verdicts.ReadAsync(second.Count, Patience);
        Assert.Equal(second.Select(t => t.TransactionId).Order(), secondVerdicts.Select(m => Verdict(m).TransactionId).Order());
        Assert.All(secondVerdicts, m => Assert.Equal(v2.Version, Verdict(m).ModelVersion));

        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains($"fraud_scorer_model_info{{version=\"{v2.Version}\"}} 1", metrics, StringComparison.Ordinal);
        // The last batch produced is committed while the scorer runs, with no next batch to read: it does not wait for
        // one, nor for the next snapshot (every 30 s), which commits what is pending too.
        await Waits.UntilAsync(() => Task.FromResult(CommittedTotal($"{_prefix}.scorer", Topic("transactions")) == first.Count + TestData.Malformed.Length + second.Count),
            TimeSpan.FromSeconds(10), "last batch committed without a next one");

        await app.StopAsync();
        Assert.True(app.Services.GetRequiredService<ScorerStatus>().IsHealthy);

        // Everything was committed: nothing more arrives, and the group's committed offsets cover every message.
        Assert.Empty(await verdicts.ReadAsync(1, TimeSpan.FromSeconds(2), allowFewer: true));
        Assert.Equal(first.Count + TestData.Malformed.Length + second.Count, CommittedTotal($"{_prefix}.scorer", Topic("transactions")));
    }

    [KafkaFact]
    public async Task The_challenger_is_scored_in_shadow_beside_the_champion_until_the_challenge_ends()
    {
        var v1 = TestModels.WritePackage(_dir.File("v1"), $"it-{_prefix[^8..]}-1", seed: 1);
        var v2 = TestModels.WritePackage(_dir.File("v2"), $"it-{_prefix[^8..]}-2", seed: 2, thresholds: new(0.3f, 0.9f));
        foreach (var role in new[] { "transactions", "verdicts", "shadow", "models", "entities" })
        {
            await EnsureTopicAsync(Topic(role));
        }
        using var producer = new ProducerBuilder<string?, byte[]?>(new ProducerConfig { BootstrapServers = _bootstrap, EnableIdempotence = true }).Build();
        await producer.ProduceAsync(Topic("models"), SignedAs(TestModels.Name, ContractJson.Serialize(v1)));
        await producer.ProduceAsync(Topic("models"), SignedAs(ModelTopicKeys.Challenger(TestModels.Name), ContractJson.Serialize(v2)));
        await using var app = BuildScorer($"--Kafka:ShadowVerdictsTopic={Topic("shadow")}");
        await app.StartAsync();
        var challengers = app.Services.GetRequiredService<ShadowModels>().Holder;
        await WaitUntilAsync(() => Task.FromResult(challengers.CurrentVersion == v2.Version), "challenger loaded");

        var first = TestData.Transactions(200, cards: 30, seed: 4, prefix: "first");
        Publish(producer, first);
        using var verdicts = new TopicReader(_bootstrap, Topic("verdicts"));
        using var shadow = new TopicReader(_bootstrap, Topic("shadow"));
        var live = (await verdicts.ReadAsync(first.Count, Patience)).Select(Verdict).ToDictionary(v => v.TransactionId);
        var shadowed = (await shadow.ReadAsync(first.Count, Patience)).Select(Verdict).ToList();

        // Every transaction once in shadow, by the challenger and its own thresholds, beside the champion's decision.
        Assert.Equal(live.Keys.Order(), shadowed.Select(v => v.TransactionId).Order());
        Assert.All(live.Values, v => Assert.Equal(v1.Version, v.ModelVersion));
        Assert.All(shadowed, v => Assert.Equal(v2.Version, v.ModelVersion));
        Assert.All(shadowed, v => Assert.Equal(DecisionPolicy.Decide(v.Score, v2.Thresholds), v.Decision));
        Assert.All(shadowed, v => Assert.Empty(v.Reasons));
        Assert.Contains(shadowed, v => v.Score != live[v.TransactionId].Score);

        // A tombstone under the challenger key ends the challenge: later transactions are scored by the champion only.
        // Signed over no bytes, as the trainer withdraws a challenger.
        await producer.ProduceAsync(Topic("models"), SignedAs(ModelTopicKeys.Challenger(TestModels.Name), null));
        await WaitUntilAsync(() => Task.FromResult(challengers.Current is null), "challenger withdrawn");
        var second = TestData.Transactions(50, cards: 30, seed: 5, prefix: "second");
        Publish(producer, second);
        Assert.Equal(second.Count, (await verdicts.ReadAsync(second.Count, Patience)).Count);
        Assert.Empty(await shadow.ReadAsync(1, TimeSpan.FromSeconds(3), allowFewer: true));
        await app.StopAsync();
    }

    private void Publish(IProducer<string?, byte[]?> producer, IEnumerable<Transaction> transactions)
    {
        foreach (var t in transactions)
        {
            producer.Produce(Topic("transactions"), new Message<string?, byte[]?> { Key = t.CardId, Value = ContractJson.Serialize(t) });
        }
        producer.Flush(TimeSpan.FromSeconds(10));
    }

    private static Message<string?, byte[]?> SignedAs(string key, byte[]? value) =>
        new() { Key = key, Value = value, Headers = TestSigning.Headers(value ?? []) };

    [KafkaFact]
    public async Task A_missing_transactions_topic_is_named_by_readyz_and_not_created_and_scoring_starts_once_it_exists()
    {
        var v1 = TestModels.WritePackage(_dir.File("v1"), $"it-{_prefix[^8..]}-1", seed: 1);
        foreach (var role in new[] { "verdicts", "dlq", "models", "entities" })
        {
            await EnsureTopicAsync(Topic(role));
        }
        using var producer = new ProducerBuilder<string?, byte[]>(new ProducerConfig { BootstrapServers = _bootstrap }).Build();
        await producer.ProduceAsync(Topic("models"), Signed(v1));

        await using var app = BuildScorer();
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var said = string.Empty;
        await WaitUntilAsync(async () =>
        {
            using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
            said = await response.Content.ReadAsStringAsync();
            return !response.IsSuccessStatusCode && said.Contains(Topic("transactions"), StringComparison.Ordinal);
        }, "readyz naming the missing topic");
        Assert.Contains("does not exist", said, StringComparison.Ordinal);
        // Waiting on it never creates it (a mistyped name stays an error).
        await Task.Delay(TimeSpan.FromSeconds(2));
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _bootstrap }).Build())
        {
            Assert.DoesNotContain(admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics, t => t.Topic == Topic("transactions") && !t.Error.IsError);
        }

        await EnsureTopicAsync(Topic("transactions"));
        await WaitUntilAsync(async () => (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode, "scorer ready once the topic exists");
        var transaction = TestData.Transactions(1, cards: 1, seed: 9, prefix: "late")[0];
        await producer.ProduceAsync(Topic("transactions"), new Message<string?, byte[]> { Key = transaction.CardId, Value = ContractJson.Serialize(transaction) });
        using var verdicts = new TopicReader(_bootstrap, Topic("verdicts"));
        Assert.Equal(transaction.TransactionId, Verdict(Assert.Single(await verdicts.ReadAsync(1, Patience))).TransactionId);
        await app.StopAsync();
    }
    /// <summary>The worker on this test's topics, trusting the test signing key; <paramref name="more"/> settings after these.</summary>
    private WebApplication BuildScorer(params string[] more) => ScorerHosting.Build(
    [
        "--urls", "http://127.0.0.1:0",
        $"--Kafka:BootstrapServers={_bootstrap}",
        $"--Kafka:TransactionsTopic={Topic("transactions")}",
        $"--Kafka:VerdictsTopic={Topic("verdicts")}",
        $"--Kafka:DlqTopic={Topic("dlq")}",
        $"--Kafka:ModelsTopic={Topic("models")}",
        $"--Kafka:EntityTotalsTopic={Topic("entities")}",
        "--Scorer:EntityMaxWaitMs=0",
        $"--Scorer:GroupId={_prefix}.scorer",
        $"--State:Directory={_dir.File("state")}",
        $"--ModelStore:Folder={_dir.Path}",
        $"--Trust:PublicKeyFiles:0={TestSigning.PublicKeyFile}",
        .. more,
    ]);

    private static Message<string?, byte[]> Signed(ModelManifest manifest)
    {
        var value = ContractJson.Serialize(manifest);
        return new Message<string?, byte[]> { Key = TestModels.Name, Value = value, Headers = TestSigning.Headers(value) };
    }

    private static Verdict Verdict(Message<byte[], byte[]> message) => ContractJson.DeserializeVerdict(message.Value);

    private static string Header(Message<byte[], byte[]> message, string name) =>
        message.Headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : string.Empty;

    private long CommittedTotal(string groupId, string topic)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = _bootstrap, GroupId = groupId }).Build();
        var partitions = Partitions(topic).Select(p => new TopicPartition(topic, p));
        return consumer.Committed(partitions, TimeSpan.FromSeconds(10)).Sum(o => Math.Max(0, o.Offset.Value));
    }

    private List<Partition> Partitions(string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _bootstrap }).Build();
        return admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single(t => t.Topic == topic).Partitions.Select(p => new Partition(p.PartitionId)).ToList();
    }

    /// <summary>A metadata request creates the topic where the broker auto-creates (DevKafka does).</summary>
    private async Task EnsureTopicAsync(string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _bootstrap }).Build();
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                var found = admin.GetMetadata(topic, TimeSpan.FromSeconds(2)).Topics.Find(t => t.Topic == topic);
                if (found is { Error.IsError: false } && found.Partitions.Count > 0)
                {
                    return;
                }
            }
            catch (KafkaException) when (DateTime.UtcNow < deadline)
            {
            }
            Assert.True(DateTime.UtcNow < deadline, $"topic {topic} never appeared");
            await Task.Delay(100);
        }
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition, string what) => Waits.UntilAsync(condition, Patience, what);

    public void Dispose() => _dir.Dispose();

    /// <summary>Reads a topic from the beginning with a throwaway group.</summary>
    private sealed class TopicReader : IDisposable
    {
        private readonly IConsumer<byte[], byte[]> _consumer;

        public TopicReader(string bootstrap, string topic)
        {
            _consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
            {
                BootstrapServers = bootstrap,
                GroupId = $"{topic}.reader.{Guid.NewGuid():N}",
                AutoOffsetReset = AutoOffsetReset.Earliest,
                EnableAutoCommit = false,
            }).Build();
            _consumer.Subscribe(topic);
        }

        public Task<List<Message<byte[], byte[]>>> ReadAsync(int count, TimeSpan timeout, bool allowFewer = false) => Task.Run(() =>
        {
            var messages = new List<Message<byte[], byte[]>>();
            var deadline = DateTime.UtcNow + timeout;
            while (messages.Count < count && DateTime.UtcNow < deadline)
            {
                var result = _consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (result is not null && !result.IsPartitionEOF)
                {
                    messages.Add(result.Message);
                }
            }
            Assert.True(allowFewer || messages.Count == count, $"read {messages.Count} of {count} messages");
            return messages;
        });

        public void Dispose() => _consumer.Close();
    }
}
