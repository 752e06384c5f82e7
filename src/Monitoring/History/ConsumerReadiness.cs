using Confluent.Kafka;

namespace Fraud.Streaming.Monitoring.History;

/// <summary>What <c>/readyz</c> knows about the consumer: which partitions it owns right now.</summary>
internal sealed class ConsumerReadiness
{
    private readonly Lock _lock = new();
    private readonly HashSet<TopicPartition> _assigned = [];

    public int AssignedPartitions
    {
        get
        {
            lock (_lock)
            {
                return _assigned.Count;
            }
        }
    }

    public void Assigned(IEnumerable<TopicPartition> partitions)
    {
        lock (_lock)
        {
            _assigned.UnionWith(partitions);
        }
    }

    public void Removed(IEnumerable<TopicPartition> partitions)
    {
        lock (_lock)
        {
            _assigned.ExceptWith(partitions);
        }
    }

    public void Stopped()
    {
        lock (_lock)
        {
            _assigned.Clear();
        }
    }
}
