using Confluent.Kafka;
using Fraud.Streaming.Shared.Kafka;

namespace Fraud.Streaming.Shared.Tests.Kafka;

public sealed class OffsetTrackerTests
{
    private static readonly TopicPartition P0 = new("t", 0);
    private static readonly TopicPartition P1 = new("t", 1);

    [Fact]
    public void Offsets_to_commit_are_one_past_the_last_consumed_per_partition()
    {
        var tracker = new OffsetTracker();
        tracker.Consumed(new TopicPartitionOffset(P0, 5));
        tracker.Consumed(new TopicPartitionOffset(P0, 6));
        tracker.Consumed(P1, new Offset(0));

        Assert.Equal([new TopicPartitionOffset(P0, 7), new TopicPartitionOffset(P1, 1)], tracker.ToCommit().OrderBy(o => o.Partition.Value));

        tracker.Forget([P0]);
        Assert.Equal([new TopicPartitionOffset(P1, 1)], tracker.ToCommit());
        tracker.Clear();
        Assert.False(tracker.HasPending);
        Assert.Empty(tracker.ToCommit());
    }

    [Fact]
    public void An_older_offset_never_moves_the_commit_back()
    {
        var tracker = new OffsetTracker();
        tracker.Consumed(P0, new Offset(9));
        tracker.Consumed(P0, new Offset(4));

        Assert.Equal([new TopicPartitionOffset(P0, 10)], tracker.ToCommit());
    }
}
