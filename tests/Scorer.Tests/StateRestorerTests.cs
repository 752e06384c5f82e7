using System.Text;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fraud.Streaming.Scorer.Tests;

/// <summary>Restore on assignment against a real Kafka protocol endpoint: snapshot plus replay up to the committed offset.</summary>
public sealed class StateRestorerTests : IDisposable
{
    private const int Partition = 1;
    private readonly TempDirectory _dir = new();
    private readonly KafkaTestTopics _topics = new("restore");

    [KafkaFact]
    public async Task Snapshot_plus_replay_to_the_committed_offset_reproduces_the_state_of_an_uninterrupted_run()
    {
        var (bootstrap, topic, group, transactions) = await PublishAsync();
        const int snapshotAt = 150;
        const int committedAt = 320; // offsets: 300 transactions, then one malformed message, then more transactions
        var expected = CardStateSnapshotTests.Fold(Valid(transactions, committedAt));
        Commit(bootstrap, group, topic, committedAt);

        using var snapshots = SnapshotStore.Create(new StateOptions { Directory = _dir.File("state") }, new ModelStoreOptions(), group);
        await snapshots.WriteAsync(CardStateSnapshot.Of(CardStateSnapshotTests.Spec, topic, Partition, snapshotAt, CardStateSnapshotTests.Fold(Valid(transactions, snapshotAt))), CancellationToken.None);
        using var restorer = Restorer(bootstrap, group, snapshots);

        var state = restorer.Restore(new TopicPartition(topic, Partition), new Offset(committedAt), new RestoreBudget(60), CancellationToken.None);

        Assert.Equal(committedAt, state.NextOffset);
        Assert.Equal(snapshotAt, state.SnapshotOffset);
        Assert.True(state.NeedsSnapshot);
        Assert.Equal(CardStateSnapshotTests.Bytes(expected), CardStateSnapshotTests.Bytes(state.Cards));
        // The snapshot alone is not the answer: replay made the difference.
        Assert.NotEqual(CardStateSnapshotTests.Bytes(CardStateSnapshotTests.Fold(Valid(transactions, snapshotAt))), CardStateSnapshotTests.Bytes(state.Cards));
    }

    [KafkaFact]
    public async Task Without_a_snapshot_replay_from_the_earliest_offset_reproduces_the_state()
    {
        var (bootstrap, topic, group, transactions) = await PublishAsync();
        const int committedAt = 400;
        using var snapshots = SnapshotStore.Create(new StateOptions { Directory = _dir.File("empty") }, new ModelStoreOptions(), group);
        using var restorer = Restorer(bootstrap, group, snapshots);

        var state = restorer.Restore(new TopicPartition(topic, Partition), new Offset(committedAt), new RestoreBudget(60), CancellationToken.None);

        Assert.Equal(-1, state.SnapshotOffset);
        Assert.True(state.NeedsSnapshot);
        Assert.Equal(CardStateSnapshotTests.Bytes(CardStateSnapshotTests.Fold(Valid(transactions, committedAt))), CardStateSnapshotTests.Bytes(state.Cards));
    }

    [KafkaFact]
    public async Task A_snapshot_past_the_committed_offset_is_discarded_for_a_full_replay()
    {
        var (bootstrap, topic, group, transactions) = await PublishAsync();
        using var snapshots = SnapshotStore.Create(new StateOptions { Directory = _dir.File("ahead") }, new ModelStoreOptions(), group);
        await snapshots.WriteAsync(CardStateSnapshot.Of(CardStateSnapshotTests.Spec, topic, Partition, 350, CardStateSnapshotTests.Fold(Valid(transactions, 350))), CancellationToken.None);
        using var restorer = Restorer(bootstrap, group, snapshots);

        var state = restorer.Restore(new TopicPartition(topic, Partition), new Offset(200), new RestoreBudget(60), CancellationToken.None);

        Assert.Equal(-1, state.SnapshotOffset);
        Assert.Equal(CardStateSnapshotTests.Bytes(CardStateSnapshotTests.Fold(Valid(transactions, 200))), CardStateSnapshotTests.Bytes(state.Cards));
    }

    /// <summary>400 messages on one partition: transactions, with a malformed message at offset 300.</summary>
    private async Task<(string Bootstrap, string Topic, string Group, List<Transaction?> Messages)> PublishAsync()
    {
        var bootstrap = await KafkaServer.GetBootstrapServersAsync();
        var topic = _topics.Name("transactions");
        await KafkaTestTopics.EnsureCreatedAsync(bootstrap, topic);
        var transactions = TestData.Transactions(399, cards: 25, seed: 11);
        var messages = new List<Transaction?>(transactions);
        messages.Insert(300, null);
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrap, EnableIdempotence = true, LingerMs = 20 }).Build();
        foreach (var t in messages)
        {
            var value = t is null ? Encoding.UTF8.GetBytes(TestData.Malformed[0].Line) : ContractJson.Serialize(t);
            producer.Produce(new TopicPartition(topic, Partition), new Message<string, byte[]> { Key = t?.CardId ?? "bad", Value = value });
        }
        producer.Flush(TimeSpan.FromSeconds(30));
        return (bootstrap, topic, $"{_topics.Prefix}.scorer", messages);
    }

    private static IEnumerable<Transaction> Valid(List<Transaction?> messages, int before) => messages.Take(before).OfType<Transaction>();

    private static void Commit(string bootstrap, string group, string topic, long offset)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = group, EnableAutoCommit = false }).Build();
        consumer.Commit([new TopicPartitionOffset(topic, Partition, offset)]);
        var committed = consumer.Committed([new TopicPartition(topic, Partition)], TimeSpan.FromSeconds(10)).Single();
        Assert.Equal(offset, committed.Offset.Value);
    }

    private static StateRestorer Restorer(string bootstrap, string group, SnapshotStore snapshots) => new(
        new KafkaOptions { BootstrapServers = bootstrap },
        new ScorerOptions { GroupId = group },
        new TransactionAdmission(new ValidationOptions()),
        snapshots,
        NullLogger.Instance);

    public void Dispose() => _dir.Dispose();
}
