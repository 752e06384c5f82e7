using Confluent.Kafka;

namespace Fraud.Streaming.Monitoring.History;

/// <summary>The next offset to commit per partition: everything before it is written (or was skipped as unparseable).</summary>
internal sealed class OffsetTracker
{
    private readonly Dictionary<TopicPartition, Offset> _next = [];

    public bool HasPending => _next.Count > 0;

    public void Consumed(TopicPartitionOffset consumed) => _next[consumed.TopicPartition] = consumed.Offset + 1;

    public void Forget(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            _next.Remove(partition);
        }
    }

    public List<TopicPartitionOffset> Pending() => _next.Select(kv => new TopicPartitionOffset(kv.Key, kv.Value)).ToList();

    public void Clear() => _next.Clear();
}
