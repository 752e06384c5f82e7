using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Fraud.Streaming.Shared.Kafka;

/// <summary>Maps librdkafka's syslog levels onto <see cref="LogLevel"/>, for a client's <c>SetLogHandler</c>.</summary>
public static class KafkaLogLevels
{
    public static LogLevel ToLogLevel(this SyslogLevel level) => level switch
    {
        SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
        SyslogLevel.Error => LogLevel.Error,
        SyslogLevel.Warning => LogLevel.Warning,
        SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
        _ => LogLevel.Debug,
    };
}
