using Confluent.Kafka;

namespace Fraud.Streaming.Shared.Kafka;

/// <summary>
/// The next offset to commit per partition for what a consumer has handled since the last commit: one past the
/// highest offset consumed. Everything before it is done (written, produced, or skipped as unusable), so a commit
/// of <see cref="ToCommit"/> never skips unfinished input.
/// </summary>
public sealed class OffsetTracker
{
    private readonly Dictionary<TopicPartition, long> _next = [];
    private readonly List<TopicPartitionOffset> _commit = [];

    /// <summary>Something was consumed since the last <see cref="Clear"/>.</summary>
    public bool HasPending => _next.Count > 0;

    /// <summary>Records <paramref name="offset"/> of <paramref name="partition"/> as handled.</summary>
    public void Consumed(TopicPartition partition, Offset offset)
    {
        if (!_next.TryGetValue(partition, out var next) || offset.Value + 1 > next)
        {
            _next[partition] = offset.Value + 1;
        }
    }

    /// <summary>Records <paramref name="consumed"/> as handled.</summary>
    public void Consumed(TopicPartitionOffset consumed) => Consumed(consumed.TopicPartition, consumed.Offset);

    /// <summary>Drops partitions that are no longer ours to commit (revoked or lost).</summary>
    public void Forget(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            _next.Remove(partition);
        }
    }

    /// <summary>The offsets to commit, valid until the next call to this tracker (the list is reused).</summary>
    public IReadOnlyList<TopicPartitionOffset> ToCommit()
    {
        _commit.Clear();
        foreach (var (partition, next) in _next)
        {
            _commit.Add(new TopicPartitionOffset(partition, new Offset(next)));
        }
        return _commit;
    }

    /// <summary>Forgets everything (after a commit).</summary>
    public void Clear() => _next.Clear();
}
