using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Fraud.Streaming.Shared.Kafka;

/// <summary>
/// librdkafka's own log lines (connection trouble, rebalances, broker notices) through the service's
/// <see cref="ILogger"/>, at the matching level, instead of raw on stderr: every client the services build calls
/// <c>LogTo</c>, so its lines carry the service's format, level filter and category.
/// </summary>
public static partial class KafkaLogging
{
    public static ProducerBuilder<TKey, TValue> LogTo<TKey, TValue>(this ProducerBuilder<TKey, TValue> builder, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.SetLogHandler((_, message) => Forward(logger, message));
    }

    public static ConsumerBuilder<TKey, TValue> LogTo<TKey, TValue>(this ConsumerBuilder<TKey, TValue> builder, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.SetLogHandler((_, message) => Forward(logger, message));
    }

    public static LogLevel ToLogLevel(this SyslogLevel level) => level switch
    {
        SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
        SyslogLevel.Error => LogLevel.Error,
        SyslogLevel.Warning => LogLevel.Warning,
        SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
        _ => LogLevel.Debug,
    };

    private static void Forward(ILogger logger, LogMessage message) =>
        Librdkafka(logger, message.Level.ToLogLevel(), message.Name, message.Facility, message.Message);

    [LoggerMessage(EventId = 9100, Message = "librdkafka {Client} {Facility}: {Message}")]
    private static partial void Librdkafka(ILogger logger, LogLevel level, string client, string facility, string message);
}
