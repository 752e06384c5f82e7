namespace Fraud.Streaming.Scorer;

internal static partial class ScorerLog
{
    [LoggerMessage(1, LogLevel.Information, "model {Version} loaded from {ArtifactUri}; serving")]
    public static partial void ModelLoaded(ILogger logger, string version, string artifactUri);

    [LoggerMessage(2, LogLevel.Information, "model swapped from {OldVersion} to {NewVersion}")]
    public static partial void ModelSwapped(ILogger logger, string oldVersion, string newVersion);

    [LoggerMessage(3, LogLevel.Error, "model {Model} rejected ({Code}): {Reason}; still serving {Serving}")]
    public static partial void ModelRejected(ILogger logger, string model, string code, string reason, string serving);

    [LoggerMessage(4, LogLevel.Debug, "model {Version} announced again; already serving it")]
    public static partial void ModelAlreadyServing(ILogger logger, string version);

    [LoggerMessage(5, LogLevel.Information, "waiting for a model on {Topic} (key {ModelName}) before consuming")]
    public static partial void WaitingForModel(ILogger logger, string topic, string modelName);

    [LoggerMessage(6, LogLevel.Information, "consuming {Topic} as group {GroupId}; verdicts to {VerdictsTopic}, rejects to {DlqTopic}")]
    public static partial void Consuming(ILogger logger, string topic, string groupId, string verdictsTopic, string dlqTopic);

    [LoggerMessage(7, LogLevel.Information, "partitions assigned: {Partitions}")]
    public static partial void PartitionsAssigned(ILogger logger, string partitions);

    [LoggerMessage(8, LogLevel.Information, "partitions revoked: {Partitions}")]
    public static partial void PartitionsRevoked(ILogger logger, string partitions);

    [LoggerMessage(9, LogLevel.Critical, "scoring loop stopped on a fatal error; offsets of the unfinished batch are not committed and will be replayed")]
    public static partial void LoopFaulted(ILogger logger, Exception exception);

    [LoggerMessage(10, LogLevel.Information, "scoring loop drained: {Scored} scored, {Rejected} to the DLQ since start")]
    public static partial void Drained(ILogger logger, long scored, long rejected);

    [LoggerMessage(11, LogLevel.Warning, "kafka {Client} error: {Reason}")]
    public static partial void KafkaError(ILogger logger, string client, string reason);

    [LoggerMessage(12, LogLevel.Warning, "model announcement at {Source} is not a manifest: {Reason}")]
    public static partial void BadAnnouncement(ILogger logger, string source, string reason);

    [LoggerMessage(13, LogLevel.Information, "following {Topic} partitions {Partitions} from the beginning for model {ModelName}")]
    public static partial void FollowingModels(ILogger logger, string topic, string partitions, string modelName);

    [LoggerMessage(14, LogLevel.Error, "model watcher failed; the serving model stays")]
    public static partial void WatcherFailed(ILogger logger, Exception exception);

    [LoggerMessage(15, LogLevel.Warning, "drain did not finish within {Seconds} s; uncommitted messages will be replayed")]
    public static partial void DrainTimedOut(ILogger logger, int seconds);
}
