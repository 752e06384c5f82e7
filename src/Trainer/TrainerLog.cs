using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Fraud.Streaming.Trainer;

/// <summary>
/// The trainer's log, through <see cref="ILogger"/> like the services': warnings as structured messages with event ids.
/// A command's log goes to its error writer as one line per message (<c>warning: ...</c>), which operators, the
/// CronJob's log collection and the tests read; its progress lines (<c>[phase] ...</c>) stay on the output.
/// </summary>
internal static partial class TrainerLog
{
    private static readonly ConditionalWeakTable<TextWriter, ILogger> Loggers = [];

    /// <summary>The logger whose lines go to <paramref name="error"/>.</summary>
    public static ILogger For(TextWriter error) => Loggers.GetValue(error, writer => new LineLogger(writer));

    [LoggerMessage(1, LogLevel.Warning, "no signing key (Signing:PrivateKeyFile or Signing:PrivateKey): announcements go unsigned, and scorers that trust keys refuse them")]
    public static partial void Unsigned(ILogger logger);

    [LoggerMessage(2, LogLevel.Warning, "{Refused}")]
    public static partial void HistoryRowsRefused(ILogger logger, string refused);

    [LoggerMessage(3, LogLevel.Warning, "metrics not pushed: {Problem}")]
    public static partial void MetricsNotPushed(ILogger logger, string problem);

    [LoggerMessage(4, LogLevel.Warning, "pushing metrics to {Url} failed: {Reason}")]
    public static partial void MetricsPushFailed(ILogger logger, string url, string reason);

    /// <summary>One line per message, <c>level: message</c>, on a command's error writer.</summary>
    private sealed class LineLogger(TextWriter writer) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            var level = logLevel == LogLevel.Warning ? "warning" : "error";
            var message = formatter(state, exception);
            writer.WriteLine(exception is null ? $"{level}: {message}" : $"{level}: {message}: {PostgresAccess.OneLine(exception)}");
        }
    }
}
