using Confluent.Kafka;

namespace Fraud.Streaming.Scorer;

/// <summary>The highest offset consumed per partition in the current batch; commits go to that offset + 1.</summary>
internal sealed class OffsetTracker
{
    private readonly Dictionary<TopicPartition, long> _next = [];
    private readonly List<TopicPartitionOffset> _commit = [];

    public bool IsEmpty => _next.Count == 0;

    public void Consumed(TopicPartition partition, Offset offset)
    {
        if (!_next.TryGetValue(partition, out var next) || offset.Value + 1 > next)
        {
            _next[partition] = offset.Value + 1;
        }
    }

    /// <summary>The offsets to commit for the batch, valid until the next <see cref="Clear"/>.</summary>
    public IReadOnlyList<TopicPartitionOffset> ToCommit()
    {
        _commit.Clear();
        foreach (var (partition, next) in _next)
        {
            _commit.Add(new TopicPartitionOffset(partition, new Offset(next)));
        }
        return _commit;
    }

    public void Clear() => _next.Clear();
}
