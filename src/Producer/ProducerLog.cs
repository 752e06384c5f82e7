using Microsoft.Extensions.Logging;

namespace Fraud.Streaming.Producer;

internal static partial class ProducerLog
{
    [LoggerMessage(1, LogLevel.Information, "publishing synthetic traffic to {Bootstrap}: transactions={TransactionsTopic} labels={LabelsTopic} rate={Rate}/s label-delay={LabelDelay}")]
    public static partial void Starting(ILogger logger, string bootstrap, string transactionsTopic, string labelsTopic, double rate, TimeSpan labelDelay);

    [LoggerMessage(2, LogLevel.Information, "progress: {Status}")]
    public static partial void Progress(ILogger logger, string status);

    [LoggerMessage(3, LogLevel.Warning, "delivery to {Topic} failed: {Reason}")]
    public static partial void DeliveryFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(4, LogLevel.Information, "stopping: publishing the {Pending} labels that were not yet due now")]
    public static partial void LabelsEarly(ILogger logger, int pending);

    [LoggerMessage(5, LogLevel.Warning, "{InFlight} messages were still undelivered when the flush timed out")]
    public static partial void FlushTimedOut(ILogger logger, int inFlight);

    [LoggerMessage(6, LogLevel.Warning, "kafka error: {Reason}")]
    public static partial void KafkaError(ILogger logger, string reason);

    [LoggerMessage(7, LogLevel.Information, "wrote {Transactions} transactions ({Fraud} fraud) to {Directory} in {Seconds:F2}s ({Rate:F0} tx/s)")]
    public static partial void FilesWritten(ILogger logger, long transactions, long fraud, string directory, double seconds, double rate);

    [LoggerMessage(8, LogLevel.Information, "stop requested; flushing")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(10, LogLevel.Warning, "{Pending} labels could not be queued before the flush timeout and are not published")]
    public static partial void LabelsDropped(ILogger logger, int pending);

    [LoggerMessage(11, LogLevel.Warning, "malformed row {File}:{Line}: {Reason}")]
    public static partial void MalformedRow(ILogger logger, string file, long line, string reason);
}
