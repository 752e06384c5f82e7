namespace Fraud.Streaming.Aggregator;

internal static partial class AggregatorLog
{
    [LoggerMessage(1, LogLevel.Information, "aggregating {TransactionsTopic} and {LabelsTopic} as group {GroupId}; totals to {TotalsTopic}")]
    public static partial void Consuming(ILogger logger, string transactionsTopic, string labelsTopic, string groupId, string totalsTopic);

    [LoggerMessage(2, LogLevel.Information, "partitions assigned: {Partitions}; rebuilding each from its beginning")]
    public static partial void Assigned(ILogger logger, string partitions);

    [LoggerMessage(3, LogLevel.Information, "partitions revoked: {Partitions}")]
    public static partial void Revoked(ILogger logger, string partitions);

    [LoggerMessage(4, LogLevel.Critical, "aggregator stopped on a fatal error")]
    public static partial void Faulted(ILogger logger, Exception exception);

    [LoggerMessage(5, LogLevel.Warning, "kafka {Client} error: {Reason}")]
    public static partial void KafkaError(ILogger logger, string client, string reason);

    [LoggerMessage(6, LogLevel.Warning, "rejected {Topic}/{Partition}@{Offset} ({Reason}): {Detail}")]
    public static partial void Rejected(ILogger logger, string topic, int partition, long offset, string reason, string detail);

    [LoggerMessage(7, LogLevel.Information, "partition {Partition} replayed; days closed through {Day}")]
    public static partial void Replayed(ILogger logger, int partition, string day);

    [LoggerMessage(8, LogLevel.Warning, "partition {Partition} was truncated by retention: days up to {Day} are not published again (their totals would be incomplete)")]
    public static partial void Truncated(ILogger logger, int partition, int day);

    [LoggerMessage(9, LogLevel.Warning, "the entity totals topic was not read to its end within {Seconds} s; publishing what differs from what was read")]
    public static partial void CatchUpTimedOut(ILogger logger, int seconds);

    [LoggerMessage(10, LogLevel.Information, "aggregator stopped: {Messages} messages read for the first time since start")]
    public static partial void Stopped(ILogger logger, long messages);
}
