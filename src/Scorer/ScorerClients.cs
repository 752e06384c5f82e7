using Confluent.Kafka;
using Fraud.Streaming.Shared.Kafka;

namespace Fraud.Streaming.Scorer;

/// <summary>The scoring loop's Kafka clients: an idempotent producer for verdicts and dead letters, and the group consumer.</summary>
internal static class ScorerClients
{
    /// <summary>A fatal producer error faults the loop and stops the process (a restart replays from the last commit).</summary>
    public static IProducer<byte[], byte[]> Producer(KafkaOptions kafka, ScorerStatus status, IHostApplicationLifetime lifetime, ILogger logger)
    {
        var config = new ProducerConfig
        {
            ClientId = "fraud-scorer",
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 2,
            MessageTimeoutMs = 30_000,
        }.ForCluster(kafka);
        return new ProducerBuilder<byte[], byte[]>(config)
            .LogTo(logger)
            .SetErrorHandler((_, error) =>
            {
                ScorerLog.KafkaError(logger, "producer", error.Reason);
                if (error.IsFatal)
                {
                    status.Faulted(new KafkaException(error));
                    lifetime.StopApplication();
                }
            })
            .Build();
    }

    /// <summary>Commits by hand after each acknowledged batch; the rebalance handlers restore, finish and drop card state.</summary>
    public static IConsumer<byte[], byte[]> Consumer(KafkaOptions kafka, ScorerOptions options, ScorerRebalance rebalance, ILogger logger)
    {
        var config = new ConsumerConfig
        {
            ClientId = "fraud-scorer",
            GroupId = options.GroupId,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            // A mistyped topic is an error naming it (RequiredTopics), never a new empty topic.
            AllowAutoCreateTopics = false,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            FetchWaitMaxMs = options.FetchWaitMaxMs,
            SessionTimeoutMs = options.SessionTimeoutMs,
            // The assignment handler restores card state inside the poll: State:RestoreTimeoutSeconds stays under this.
            MaxPollIntervalMs = options.MaxPollIntervalMs,
        }.ForCluster(kafka);
        return new ConsumerBuilder<byte[], byte[]>(config)
            .LogTo(logger)
            .SetErrorHandler((_, error) => ScorerLog.KafkaError(logger, "consumer", error.Reason))
            .SetPartitionsAssignedHandler(rebalance.OnAssigned)
            .SetPartitionsRevokedHandler((_, partitions) => rebalance.OnRevoked(partitions))
            .SetPartitionsLostHandler((_, partitions) => rebalance.OnLost(partitions))
            .Build();
    }
}
