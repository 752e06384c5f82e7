using Microsoft.Extensions.Logging;

namespace Fraud.Streaming.Shared.Kafka;

internal static partial class TopicFollowerLog
{
    [LoggerMessage(1, LogLevel.Information, "following {Topic} ({Partitions} partitions) from the beginning")]
    public static partial void Following(ILogger logger, string topic, int partitions);

    [LoggerMessage(2, LogLevel.Warning, "topic {Topic} is not there yet ({Reason}); trying again")]
    public static partial void Missing(ILogger logger, string topic, string reason);

    [LoggerMessage(3, LogLevel.Warning, "kafka error following {Topic}: {Reason}")]
    public static partial void KafkaError(ILogger logger, string topic, string reason);

    [LoggerMessage(4, LogLevel.Error, "stopped following {Topic}")]
    public static partial void Failed(ILogger logger, string topic, Exception exception);
}
