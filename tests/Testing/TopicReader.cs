using System.Text;
using Confluent.Kafka;

namespace Fraud.Streaming.Testing;

/// <summary>Reads a topic from the beginning with a throwaway group, for assertions on what a process published.</summary>
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
        consumer.Subscribe(topic);
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
        consumer.Close();
        return all;
    }

    /// <summary>A header's value as UTF-8, or null when absent.</summary>
    public static string? Header(ConsumeResult<byte[], byte[]> message, string name) =>
        message.Message.Headers?.TryGetLastBytes(name, out var value) == true ? Encoding.UTF8.GetString(value) : null;
}
