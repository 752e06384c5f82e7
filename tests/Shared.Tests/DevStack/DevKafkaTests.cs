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

    [KafkaFact]
    public async Task Delivers_to_every_partition_whichever_broker_leads_it()
    {
        // Produce requests go to each partition's leader at its advertised address, and the mock rejects a request
        // that reaches a broker not leading the partition: a fixed port forwarding to the wrong broker fails this.
        var bootstrap = await KafkaServer.GetBootstrapServersAsync();
        var topics = new KafkaTestTopics("partitions");
        var brokerCount = GetMetadata(bootstrap).Brokers.Count;
        string topic;
        int partitions;
        var attempt = 0;
        while (true)
        {
            // The mock places auto-created partitions' leaders at random; pick a topic whose leaders cover every broker.
            topic = topics.Name($"spread{attempt}");
            partitions = await KafkaTestTopics.EnsureCreatedAsync(bootstrap, topic);
            var leaders = GetMetadata(bootstrap).Topics.Single(t => t.Topic == topic).Partitions.Select(p => p.Leader).ToHashSet();
            if (leaders.Count >= Math.Min(brokerCount, partitions) || ++attempt == 40)
            {
                Assert.True(!KafkaServer.IsMock || leaders.Count >= Math.Min(brokerCount, partitions), "no topic had leaders on every broker");
                break;
            }
        }

        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = bootstrap, MessageTimeoutMs = 10_000 }).Build();
        for (var p = 0; p < partitions; p++)
        {
            var result = await producer.ProduceAsync(new TopicPartition(topic, new Partition(p)), new Message<Null, string> { Value = $"to {p}" });
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
