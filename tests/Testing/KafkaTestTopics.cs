using Confluent.Kafka;

namespace Fraud.Streaming.Testing;

/// <summary>
/// Topic names unique to one test, so tests sharing a broker never read each other's messages.
/// </summary>
/// <remarks>
/// DevKafka (librdkafka's mock cluster) does not support the CreateTopics admin call. Instead it creates a topic,
/// with 4 partitions, on the first produce or metadata request that names it; consumers must set
/// <c>AllowAutoCreateTopics = true</c> (see <see cref="ConsumerConfig"/>) or subscribe only after something was
/// produced. <see cref="EnsureCreatedAsync"/> forces that creation up front. On a real broker (Testcontainers) the
/// broker's auto-create setting applies. Tests that need a particular partition count use a topic DevKafka
/// creates at start (<c>--topic NAME:PARTITIONS</c>).
/// </remarks>
public sealed class KafkaTestTopics(string purpose = "test")
{
    /// <summary>Partition count of an auto-created topic on DevKafka.</summary>
    public const int MockAutoCreatedPartitions = 4;

    /// <summary>A prefix unique to this instance, e.g. <c>test.roundtrip.1f2e...</c>.</summary>
    public string Prefix { get; } = $"test.{purpose}.{Guid.NewGuid():N}";

    /// <summary>The unique topic for a role, e.g. <c>Name("transactions")</c>.</summary>
    public string Name(string role) => $"{Prefix}.{role}";

    /// <summary>Asks the broker for the topic's metadata until it exists (auto-creating it), and returns its partition count.</summary>
    public static async Task<int> EnsureCreatedAsync(string bootstrapServers, string topic, TimeSpan? timeout = null)
    {
        using var producer = new ProducerBuilder<Null, Null>(new ProducerConfig { BootstrapServers = bootstrapServers }).Build();
        using var admin = new DependentAdminClientBuilder(producer.Handle).Build();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            try
            {
                var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(2));
                var found = metadata.Topics.FirstOrDefault(t => t.Topic == topic);
                if (found is { Error.IsError: false } && found.Partitions.Count > 0)
                {
                    return found.Partitions.Count;
                }
            }
            catch (KafkaException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"topic {topic} did not appear at {bootstrapServers}");
            }

            await Task.Delay(100);
        }
    }
}
