using System.Text;
using Confluent.Kafka;
using Fraud.Streaming.Testing;

namespace Fraud.Streaming.Shared.Tests.DevStack;

public sealed class DevKafkaTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [KafkaFact]
    public async Task Round_trips_messages_through_the_fixed_ports()
    {
        var bootstrap = await KafkaServer.GetBootstrapServersAsync();
        var topic = new KafkaTestTopics("roundtrip").Name("messages");
        const int count = 200;

        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            EnableIdempotence = true,
            LingerMs = 5,
        }).Build())
        {
            for (var i = 0; i < count; i++)
            {
                producer.Produce(topic, new Message<string, string> { Key = $"card-{i % 17}", Value = $"payload-{i}" });
            }

            Assert.Equal(0, producer.Flush(Timeout));
        }

        var received = new HashSet<string>();
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = $"{topic}.group",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            AllowAutoCreateTopics = true,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topic);
        var deadline = DateTime.UtcNow + Timeout;
        while (received.Count < count && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result?.Message is { } message)
            {
                Assert.Equal($"card-{int.Parse(message.Value["payload-".Length..]) % 17}", message.Key);
                received.Add(message.Value);
            }
        }

        consumer.Close();
        Assert.Equal(count, received.Count);
    }

    [DevKafkaFact]
    public async Task Delivers_to_every_partition_of_fraud_transactions()
    {
        // Each partition's leader is a different broker, so this fails if any fixed port forwards to the wrong one.
        var bootstrap = await KafkaServer.GetBootstrapServersAsync();
        var partitions = GetMetadata(bootstrap).Topics.Single(t => t.Topic == "fraud.transactions").Partitions.Count;
        using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = bootstrap }).Build();
        var marker = Encoding.UTF8.GetBytes(Guid.NewGuid().ToString("N"));
        for (var p = 0; p < partitions; p++)
        {
            var result = await producer.ProduceAsync(
                new TopicPartition("fraud.transactions", new Partition(p)),
                new Message<Null, byte[]> { Value = marker });
            Assert.Equal(PersistenceStatus.Persisted, result.Status);
            Assert.Equal(p, result.Partition.Value);
        }
    }

    [DevKafkaFact]
    public async Task Metadata_shows_the_project_topics_with_their_partition_counts()
    {
        var bootstrap = await KafkaServer.GetBootstrapServersAsync();
        var topics = GetMetadata(bootstrap).Topics.ToDictionary(t => t.Topic, t => t.Partitions.Count);

        Assert.Equal(12, topics["fraud.transactions"]);
        Assert.Equal(12, topics["fraud.verdicts"]);
        Assert.Equal(12, topics["fraud.labels"]);
        Assert.Equal(1, topics["fraud.models"]);
        Assert.Equal(4, topics["fraud.transactions.dlq"]);
    }

    [DevKafkaFact]
    public async Task Brokers_advertise_the_fixed_loopback_ports()
    {
        var bootstrap = await KafkaServer.GetBootstrapServersAsync();
        var expected = bootstrap.Split(',').Order(StringComparer.Ordinal).ToArray();

        var advertised = GetMetadata(bootstrap).Brokers
            .OrderBy(b => b.BrokerId)
            .Select(b => $"{b.Host}:{b.Port}")
            .ToArray();

        Assert.Equal(expected, advertised);
        Assert.All(advertised, a => Assert.StartsWith("127.0.0.1:", a, StringComparison.Ordinal));
    }

    private static Metadata GetMetadata(string bootstrap)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        return admin.GetMetadata(Timeout);
    }
}
