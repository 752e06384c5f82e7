using Confluent.Kafka;
using Fraud.Streaming.Monitoring.History;
using Fraud.Streaming.Shared.Kafka;

namespace Fraud.Streaming.Monitoring.Tests;

public sealed class ConsumerPlumbingTests
{
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
