using Confluent.Kafka;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// What the scorer does when the group moves its partitions. Assigned: their card state is restored inside the poll,
/// so no message of theirs is fetched, let alone scored, before their cards are back; scoring starts at the
/// committed offsets the restore stopped at. Revoked: the batch in flight is finished, acknowledged and committed
/// while the partitions are still ours, then their state is snapshotted and dropped (unless the loop failed: then
/// they are treated as lost). Lost: dropped without a commit or snapshot, since another member may own them already.
/// </summary>
internal sealed class ScorerRebalance(
    AssignedPartitions partitions, ScorerStatus status, Action finishBatch, Func<bool> faulted, CancellationToken stopping, ILogger logger)
{
    public List<TopicPartitionOffset> OnAssigned(IConsumer<byte[], byte[]> consumer, List<TopicPartition> assigned)
    {
        if (assigned.Count > 0)
        {
            ScorerLog.PartitionsAssigned(logger, string.Join(", ", assigned));
        }
        status.Restoring(true);
        try
        {
            var start = partitions.Assign(consumer, assigned, stopping);
            status.Assigned();
            return start;
        }
        finally
        {
            status.Restoring(false);
        }
    }

    public void OnRevoked(List<TopicPartitionOffset> revoked)
    {
        if (!faulted())
        {
            finishBatch();
            partitions.Revoke(revoked.Select(p => p.TopicPartition));
        }
        else
        {
            // The failed batch must not complete (and commit) here.
            partitions.Lose(revoked.Select(p => p.TopicPartition));
        }
        LagReporter.Forget(revoked.Select(p => p.TopicPartition));
        ScorerLog.PartitionsRevoked(logger, string.Join(", ", revoked));
    }

    public void OnLost(List<TopicPartitionOffset> lost)
    {
        partitions.Lose(lost.Select(p => p.TopicPartition));
        LagReporter.Forget(lost.Select(p => p.TopicPartition));
        ScorerLog.PartitionsLost(logger, string.Join(", ", lost));
    }
}
