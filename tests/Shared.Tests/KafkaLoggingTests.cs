using System.Collections.Concurrent;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Kafka;
using Fraud.Streaming.Testing;
using Microsoft.Extensions.Logging;

namespace Fraud.Streaming.Shared.Tests;

public sealed class KafkaLoggingTests
{
    [Fact]
    public async Task Librdkafka_lines_reach_the_service_logger_with_the_client_facility_and_level()
    {
        var logger = new Capturing();
        // Nothing listens on port 1: the client logs its failed connections (and, with debug on, its start).
        using (new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = "127.0.0.1:1", Debug = "generic", ClientId = "log-test" })
                   .LogTo(logger).Build())
        {
            await Waits.UntilAsync(() => logger.Entries.Any(e => e.Level == LogLevel.Debug), TimeSpan.FromSeconds(20), "a librdkafka debug line");
        }
        Assert.All(logger.Entries, e =>
        {
            Assert.Equal(9100, e.Id);
            Assert.StartsWith("librdkafka log-test#producer-", e.Text, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData(SyslogLevel.Emergency, LogLevel.Critical)]
    [InlineData(SyslogLevel.Error, LogLevel.Error)]
    [InlineData(SyslogLevel.Warning, LogLevel.Warning)]
    [InlineData(SyslogLevel.Notice, LogLevel.Information)]
    [InlineData(SyslogLevel.Debug, LogLevel.Debug)]
    public void Syslog_levels_map_onto_log_levels(SyslogLevel level, LogLevel expected) => Assert.Equal(expected, level.ToLogLevel());

    private sealed class Capturing : ILogger
    {
        public ConcurrentQueue<(LogLevel Level, int Id, string Text)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((logLevel, eventId.Id, formatter(state, exception)));
    }
}
