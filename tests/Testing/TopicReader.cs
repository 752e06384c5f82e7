using System.Text;
using Confluent.Kafka;

namespace Fraud.Streaming.Testing;

/// <summary>Reads every partition of a topic from the beginning, for assertions on what a process published.</summary>
public static class TopicReader
{
    /// <summary>
    /// Reads until <paramref name="expected"/> messages arrived and then <paramref name="quiet"/> passed without more
    /// (to catch extras), or until <paramref name="timeout"/>.
    /// </summary>
    public static List<ConsumeResult<byte[], byte[]>> ReadAll(string bootstrap, string topic, int expected, TimeSpan timeout, TimeSpan? quiet = null)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = $"test-reader-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            AllowAutoCreateTopics = true,
        }).Build();
        // Assigned rather than subscribed: no group to join, so a short read is not spent waiting for an assignment.
        using (var admin = new DependentAdminClientBuilder(consumer.Handle).Build())
        {
            var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single(t => t.Topic == topic).Partitions;
            consumer.Assign(partitions.Select(p => new TopicPartitionOffset(topic, p.PartitionId, Offset.Beginning)));
        }
        var all = new List<ConsumeResult<byte[], byte[]>>();
        var deadline = DateTime.UtcNow + timeout;
        var settle = quiet ?? TimeSpan.FromSeconds(2);
        while (DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message is not null)
            {
                all.Add(result);
            }
            if (all.Count >= expected && deadline - DateTime.UtcNow > settle)
            {
                deadline = DateTime.UtcNow + settle;
            }
        }
        return all;
    }

    /// <summary>A header's value as UTF-8, or null when absent.</summary>
    public static string? Header(ConsumeResult<byte[], byte[]> message, string name) =>
        message.Message.Headers?.TryGetLastBytes(name, out var value) == true ? Encoding.UTF8.GetString(value) : null;
}
