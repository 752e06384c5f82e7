using System.Globalization;
using Fraud.Streaming.Shared.Progress;
using Microsoft.Extensions.Logging;

namespace Fraud.Streaming.Producer.Publishing;

/// <summary>The producer's progress status: rate, totals, delivery errors and messages in flight.</summary>
internal static class PublishProgress
{
    /// <summary>A live line on a terminal, else periodic <c>progress:</c> log lines through <paramref name="logger"/>.</summary>
    public static ProgressDisplay ForConsole(ILogger logger) => ProgressDisplay.ForConsole(status => ProducerLog.Progress(logger, status));

    /// <summary>Nothing drawn; every report is a log line.</summary>
    public static ProgressDisplay LogOnly(ILogger logger) => new(TextWriter.Null, interactive: false, status => ProducerLog.Progress(logger, status));

    public static string Format(long transactions, long labels, long malformed, long errors, double rate, int inFlight) =>
        string.Create(CultureInfo.InvariantCulture,
            $"publishing {rate,9:N0} tx/s | transactions {transactions,12:N0} | labels {labels,12:N0} | malformed {malformed:N0} | errors {errors:N0} | in flight {inFlight:N0}");
}
