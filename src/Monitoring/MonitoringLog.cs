namespace Fraud.Streaming.Monitoring;

internal static partial class MonitoringLog
{
    [LoggerMessage(1, LogLevel.Information, "history schema is up to date on {Database}")]
    public static partial void SchemaApplied(ILogger logger, string database);

    [LoggerMessage(2, LogLevel.Critical, "cannot prepare the history schema on {Database}: {Reason}. Is Postgres running and is Postgres__ConnectionString right?")]
    public static partial void SchemaFailed(ILogger logger, string database, string reason);

    [LoggerMessage(3, LogLevel.Critical, "invalid configuration: {Reason}")]
    public static partial void ConfigurationInvalid(ILogger logger, string reason);

    [LoggerMessage(4, LogLevel.Information, "consuming {Topics} from {Bootstrap} as group {GroupId} ({Protocol} protocol)")]
    public static partial void ConsumerStarting(ILogger logger, string topics, string bootstrap, string groupId, string protocol);

    [LoggerMessage(5, LogLevel.Information, "partitions assigned: {Partitions}")]
    public static partial void PartitionsAssigned(ILogger logger, string partitions);

    [LoggerMessage(6, LogLevel.Information, "partitions revoked: {Partitions}")]
    public static partial void PartitionsRevoked(ILogger logger, string partitions);

    [LoggerMessage(7, LogLevel.Warning, "partitions lost: {Partitions}")]
    public static partial void PartitionsLost(ILogger logger, string partitions);

    [LoggerMessage(8, LogLevel.Warning, "dead-lettering {Source}: {Reason} ({Detail})")]
    public static partial void DeadLettered(ILogger logger, string source, string reason, string detail);

    [LoggerMessage(9, LogLevel.Debug, "wrote batch of {Messages} messages: transactions={Transactions} verdicts={Verdicts} labels={Labels} dead_letters={DeadLetters}")]
    public static partial void BatchWritten(ILogger logger, int messages, int transactions, int verdicts, int labels, int deadLetters);

    [LoggerMessage(10, LogLevel.Warning, "writing history failed (attempt {Attempt}); partitions paused, retrying in {Delay}: {Reason}")]
    public static partial void WriteFailed(ILogger logger, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(11, LogLevel.Warning, "committing offsets failed; the batch will be read again and upserted idempotently: {Reason}")]
    public static partial void CommitFailed(ILogger logger, string reason);

    [LoggerMessage(12, LogLevel.Warning, "kafka error {Code}: {Reason}")]
    public static partial void KafkaError(ILogger logger, string code, string reason);

    [LoggerMessage(13, LogLevel.Warning, "shutting down with {Messages} unwritten messages; their offsets are not committed, so they will be read again")]
    public static partial void PendingAbandoned(ILogger logger, int messages);

    [LoggerMessage(14, LogLevel.Critical, "the history consumer stopped on a fatal error")]
    public static partial void ConsumerCrashed(ILogger logger, Exception exception);

    [LoggerMessage(15, LogLevel.Information, "history consumer stopped")]
    public static partial void ConsumerStopped(ILogger logger);

    [LoggerMessage(17, LogLevel.Warning, "the database refuses {Source} for good; it goes to dead_letters and the rest of its batch is written: {Reason}")]
    public static partial void RowRefused(ILogger logger, string source, string reason);

    [LoggerMessage(18, LogLevel.Information, "history writes succeed again; partitions resumed")]
    public static partial void WriteRecovered(ILogger logger);

    [LoggerMessage(19, LogLevel.Warning, "retrain request {Id} raised for {ModelName} (serving {ModelVersion}), trigger {Trigger}: {Reason}")]
    public static partial void RetrainRequested(ILogger logger, long id, string modelName, string modelVersion, string trigger, string reason);

    [LoggerMessage(20, LogLevel.Warning, "retrain request {Id} is recorded in Postgres but was not announced on {Topic}")]
    public static partial void RetrainAnnounceFailed(ILogger logger, long id, string topic, Exception exception);

    [LoggerMessage(21, LogLevel.Warning, "live quality pass failed; the next one retries")]
    public static partial void QualityPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(22, LogLevel.Debug, "live quality as of {AsOf}: {Days} days recomputed, window {WindowStart}..{WindowEnd}")]
    public static partial void QualityPass(ILogger logger, DateTimeOffset asOf, int days, DateOnly windowStart, DateOnly windowEnd);

    [LoggerMessage(23, LogLevel.Warning, "writing signals (drift reports, shadow verdicts) failed (attempt {Attempt}), retrying in {Delay}")]
    public static partial void SignalsWriteFailed(ILogger logger, int attempt, TimeSpan delay, Exception exception);

    [LoggerMessage(24, LogLevel.Information, "model {Version} is not in the registry: its drift counts are kept, its daily indexes wait for its reference")]
    public static partial void DriftReferenceMissing(ILogger logger, string version);
}
