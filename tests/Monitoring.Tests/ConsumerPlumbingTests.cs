using Confluent.Kafka;
using Fraud.Streaming.Monitoring.History;
using Fraud.Streaming.Shared.Kafka;

namespace Fraud.Streaming.Monitoring.Tests;

public sealed class ConsumerPlumbingTests
{
    [Fact]
    public void Offsets_to_commit_are_one_past_the_last_consumed_per_partition()
    {
        var tracker = new OffsetTracker();
        var p0 = new TopicPartition("t", 0);
        var p1 = new TopicPartition("t", 1);
        tracker.Consumed(new TopicPartitionOffset(p0, 5));
        tracker.Consumed(new TopicPartitionOffset(p0, 6));
        tracker.Consumed(new TopicPartitionOffset(p1, 0));

        Assert.Equal([new TopicPartitionOffset(p0, 7), new TopicPartitionOffset(p1, 1)], tracker.Pending().OrderBy(o => o.Partition.Value));

        tracker.Forget([p0]);
        Assert.Equal([new TopicPartitionOffset(p1, 1)], tracker.Pending());
        tracker.Clear();
        Assert.False(tracker.HasPending);
    }

    [Theory]
    [InlineData("consumer")]
    [InlineData("classic")]
    public void Consumer_commits_manually_from_the_earliest_offset(string protocol)
    {
        var config = HistoryConsumerService.ConsumerConfigFor(new KafkaOptions(), new MonitoringOptions { GroupProtocol = protocol });

        Assert.False(config.EnableAutoCommit);
        Assert.False(config.EnableAutoOffsetStore);
        Assert.Equal(AutoOffsetReset.Earliest, config.AutoOffsetReset);
        Assert.Equal("fraud-monitoring", config.GroupId);
        Assert.Equal(protocol == "classic" ? PartitionAssignmentStrategy.CooperativeSticky : null, config.PartitionAssignmentStrategy);
    }
}
