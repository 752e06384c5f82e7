namespace Fraud.Streaming.Scorer;

internal static partial class ScorerLog
{
    [LoggerMessage(1, LogLevel.Information, "model {Version} loaded from {ArtifactUri}; serving, scored by {Engine}")]
    public static partial void ModelLoaded(ILogger logger, string version, string artifactUri, string engine);

    [LoggerMessage(2, LogLevel.Information, "model swapped from {OldVersion} to {NewVersion}, scored by {Engine}")]
    public static partial void ModelSwapped(ILogger logger, string oldVersion, string newVersion, string engine);

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

    [LoggerMessage(12, LogLevel.Warning, "model announcement at {Source} refused ({Code}): {Reason}; still serving {Serving}")]
    public static partial void AnnouncementRefused(ILogger logger, string source, string code, string reason, string serving);

    [LoggerMessage(13, LogLevel.Information, "following {Topic} partitions {Partitions} from the beginning for model {ModelName}")]
    public static partial void FollowingModels(ILogger logger, string topic, string partitions, string modelName);

    [LoggerMessage(14, LogLevel.Error, "model watcher failed; the serving model stays and the models topic is read again in a few seconds")]
    public static partial void WatcherFailed(ILogger logger, Exception exception);

    [LoggerMessage(15, LogLevel.Warning, "drain did not finish within {Seconds} s; uncommitted messages will be replayed")]
    public static partial void DrainTimedOut(ILogger logger, int seconds);

    [LoggerMessage(16, LogLevel.Information, "partition {Partition} restored in {Seconds:F3} s: {Cards} cards from the snapshot at offset {SnapshotOffset}, {Replayed} events replayed from offset {From} to the committed offset {Committed}; scoring resumes there")]
    public static partial void PartitionRestored(ILogger logger, string partition, double seconds, int cards, long snapshotOffset, long replayed, long from, long committed);

    [LoggerMessage(17, LogLevel.Information, "partition {Partition}: no snapshot at {Location}; cold start, replaying from the earliest retained offset {From}")]
    public static partial void ColdStart(ILogger logger, string partition, string location, long from);

    [LoggerMessage(18, LogLevel.Warning, "partition {Partition}: snapshot discarded ({Reason}): {Detail}")]
    public static partial void SnapshotDiscarded(ILogger logger, string partition, string reason, string detail);

    [LoggerMessage(19, LogLevel.Warning, "partition {Partition}: replay should start at offset {From} but the earliest retained offset is {Earliest}; the events in between are gone, so card history is incomplete (input retention must exceed the snapshot interval)")]
    public static partial void ReplayGap(ILogger logger, string partition, long from, long earliest);

    [LoggerMessage(20, LogLevel.Information, "partition {Partition}: no committed offset; scoring from the beginning with empty cards")]
    public static partial void NoCommittedOffset(ILogger logger, string partition);

    [LoggerMessage(21, LogLevel.Debug, "partition {Partition}: snapshot of {Cards} cards at offset {Offset} written ({Bytes} bytes)")]
    public static partial void SnapshotWritten(ILogger logger, string partition, int cards, long offset, int bytes);

    [LoggerMessage(22, LogLevel.Warning, "partition {Partition}: snapshot not written; the previous one stays and restore replays more")]
    public static partial void SnapshotFailed(ILogger logger, string partition, Exception exception);

    [LoggerMessage(23, LogLevel.Information, "partitions lost: {Partitions}; their card state is dropped without a snapshot")]
    public static partial void PartitionsLost(ILogger logger, string partitions);

    [LoggerMessage(24, LogLevel.Information, "card state: snapshots every {Seconds} s; partition 0's pointer is {Location}")]
    public static partial void StateStore(ILogger logger, int seconds, string location);

    [LoggerMessage(25, LogLevel.Warning, "entity totals record {Key} is unreadable and was skipped: {Reason}")]
    public static partial void BadEntityRecord(ILogger logger, string key, string reason);

    [LoggerMessage(26, LogLevel.Error, "entity totals are not for this feature spec and are not read: {Reason}")]
    public static partial void EntityTotalsMismatch(ILogger logger, string reason);

    [LoggerMessage(27, LogLevel.Warning, "the aggregator has not closed day {Needed} (closed through {Complete}); scoring with the newest complete day until it catches up")]
    public static partial void EntityTotalsBehind(ILogger logger, int needed, string complete);

    [LoggerMessage(28, LogLevel.Information, "the aggregator caught up (closed through day {Complete}); entity features read their own days again")]
    public static partial void EntityTotalsCaughtUp(ILogger logger, int complete);

    [LoggerMessage(29, LogLevel.Warning, "the entity totals topic was not read to its end within {Seconds} s; scoring starts and waits per batch")]
    public static partial void EntityCatchUpTimedOut(ILogger logger, int seconds);

    [LoggerMessage(30, LogLevel.Warning, "INSECURE: Trust:AllowUnsigned is set, so unsigned announcements on {Topic} are obeyed: whoever can write to that topic chooses every decision ({Keys} trusted keys still verify signed ones)")]
    public static partial void InsecureTrust(ILogger logger, string topic, int keys);

    [LoggerMessage(31, LogLevel.Warning, "no trusted public key (Trust:PublicKeys / Trust:PublicKeyFiles): every announcement on {Topic} is refused; serving Scorer:InitialModel only")]
    public static partial void NoTrustedKeys(ILogger logger, string topic);

    [LoggerMessage(32, LogLevel.Information, "model announcements are obeyed only when signed by a trusted key: {KeyIds}")]
    public static partial void TrustedKeys(ILogger logger, string keyIds);

    [LoggerMessage(33, LogLevel.Warning, "model {Version}: no drift is measured while it serves: {Reason}")]
    public static partial void DriftUnavailable(ILogger logger, string version, string reason);

    [LoggerMessage(34, LogLevel.Information, "challenger {Version} from {ArtifactUri} is scored in shadow beside the champion, by {Engine}")]
    public static partial void ChallengerLoaded(ILogger logger, string version, string artifactUri, string engine);

    [LoggerMessage(35, LogLevel.Information, "challenger {Version} withdrawn: shadow scoring stops")]
    public static partial void ChallengerWithdrawn(ILogger logger, string version);
    [LoggerMessage(36, LogLevel.Warning, "{Field} value '{Value}' (first met in transaction {TransactionId}) is not in model {Model}'s vocabulary: encoded as unseen; further ones are counted in fraud_scorer_unseen_values_total")]
    public static partial void UnseenValue(ILogger logger, string field, string value, string transactionId, string model);

    [LoggerMessage(37, LogLevel.Information, "thread {Name} ended after the drain timed out; stopping goes on")]
    public static partial void ScoringThreadJoined(ILogger logger, string name);

    [LoggerMessage(38, LogLevel.Error, "thread {Name} still runs {Seconds} s after the stop; what it uses is left to process exit, not disposed under it")]
    public static partial void ScoringThreadStillRunning(ILogger logger, string name, double seconds);

    [LoggerMessage(39, LogLevel.Warning, "model {Version} is scored by {Engine}, two to four times slower than compiled trees")]
    public static partial void NotCompiled(ILogger logger, string version, string engine);
}
