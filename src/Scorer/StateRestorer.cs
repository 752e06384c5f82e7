using System.Diagnostics;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Kafka;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// Rebuilds a partition's card states on assignment: the newest snapshot, then the transactions topic replayed
/// from the snapshot's offset up to the group's committed offset by a separate consumer that joins no group
/// (state only: no verdicts, no DLQ). Without a usable snapshot the replay starts at the earliest retained offset.
/// </summary>
internal sealed class StateRestorer(KafkaOptions kafka, ScorerOptions scorer, TransactionAdmission admission, SnapshotStore? snapshots,
    ILogger logger) : IDisposable
{
    private static readonly TimeSpan BrokerTimeout = TimeSpan.FromSeconds(10);
    private readonly FeatureSpec _spec = scorer.FeatureSpec();
    private readonly float[] _scratch = new float[BatchScorer.Spec.Count];
    private IConsumer<byte[], byte[]>? _replay;

    /// <summary>The partition's state as of <paramref name="committed"/> (the group's committed offset, or unset).</summary>
    /// <exception cref="TimeoutException">the assignment's <paramref name="budget"/> ran out before the replay finished.</exception>
    public PartitionCards Restore(TopicPartition partition, Offset committed, RestoreBudget budget, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var name = partition.ToString();
        if (committed.IsSpecial)
        {
            // The group has never committed here: scoring starts at the beginning, where every card is new.
            ScorerLog.NoCommittedOffset(logger, name);
            return new PartitionCards(partition.Partition.Value, new CardStateStore(_spec.CardIdleTtlMs), new RecentTransactionIds(scorer.DuplicateWindow), -1, -1);
        }

        var snapshot = Load(partition, committed.Value, cancellationToken);
        var watermarks = Replayer.QueryWatermarkOffsets(partition, BrokerTimeout);
        var from = snapshot?.NextOffset ?? watermarks.Low.Value;
        if (snapshot is null)
        {
            ScorerLog.ColdStart(logger, name, snapshots?.Describe(partition.Topic, partition.Partition.Value) ?? "(snapshots off)", watermarks.Low.Value);
        }
        else if (from < watermarks.Low.Value)
        {
            ScorerLog.ReplayGap(logger, name, from, watermarks.Low.Value);
        }
        var cards = snapshot?.Cards ?? new CardStateStore(_spec.CardIdleTtlMs);
        var ids = snapshot?.Ids ?? new RecentTransactionIds(scorer.DuplicateWindow);
        var replayed = Replay(partition, Math.Max(from, watermarks.Low.Value), committed.Value, cards, ids, budget, cancellationToken);

        var seconds = clock.Elapsed.TotalSeconds;
        ScorerMetrics.StateRestoreSeconds.Observe(seconds);
        ScorerMetrics.StateCardsRestored.Inc(snapshot?.Cards.Count ?? 0);
        ScorerMetrics.StateEventsReplayed.Inc(replayed);
        ScorerLog.PartitionRestored(logger, name, seconds, snapshot?.Cards.Count ?? 0, snapshot?.NextOffset ?? -1, replayed, from, committed.Value);
        return new PartitionCards(partition.Partition.Value, cards, ids, committed.Value, snapshot?.NextOffset ?? -1);
    }

    private CardStateSnapshot? Load(TopicPartition partition, long committed, CancellationToken cancellationToken)
    {
        if (snapshots is null)
        {
            return null;
        }
        var name = partition.ToString();
        try
        {
            var snapshot = snapshots.LoadAsync(_spec, partition.Topic, partition.Partition.Value, cancellationToken, scorer.DuplicateWindow).GetAwaiter().GetResult();
            if (snapshot is not null && snapshot.NextOffset > committed)
            {
                // Written after a commit that did not stick: it holds events the group will hand out again.
                throw new SnapshotRejectedException(SnapshotRejectedException.Ahead,
                    $"snapshot at offset {snapshot.NextOffset} is past the committed offset {committed}");
            }
            return snapshot;
        }
        catch (SnapshotRejectedException ex)
        {
            ScorerMetrics.StateSnapshotsDiscarded.WithLabels(ex.Code).Inc();
            ScorerLog.SnapshotDiscarded(logger, name, ex.Code, ex.Message);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Amazon.Runtime.AmazonServiceException
                                       or Amazon.Runtime.AmazonClientException or HttpRequestException)
        {
            // Unreachable store: replaying everything retained is slower but still correct.
            ScorerMetrics.StateSnapshotsDiscarded.WithLabels("unreadable").Inc();
            ScorerLog.SnapshotDiscarded(logger, name, "unreadable", ex.Message);
            return null;
        }
    }

    /// <summary>
    /// Folds every transaction in [<paramref name="from"/>, <paramref name="to"/>) that scoring admitted into the cards
    /// and the ids (the same <see cref="TransactionAdmission"/> decides); returns messages read.
    /// </summary>
    private long Replay(TopicPartition partition, long from, long to, CardStateStore cards, RecentTransactionIds ids, RestoreBudget budget, CancellationToken cancellationToken)
    {
        if (from >= to)
        {
            return 0;
        }
        var consumer = Replayer;
        long replayed = 0;
        consumer.Assign(new TopicPartitionOffset(partition, new Offset(from)));
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                budget.ThrowIfSpent($"{partition}: {replayed} events replayed from offset {from}, not yet at the committed offset {to}");
                ConsumeResult<byte[], byte[]>? result;
                try
                {
                    result = consumer.Consume(TimeSpan.FromMilliseconds(500));
                }
                catch (ConsumeException ex) when (!ex.Error.IsFatal)
                {
                    ScorerLog.KafkaError(logger, "restore consumer", ex.Error.Reason);
                    continue;
                }
                if (result is null)
                {
                    continue;
                }
                if (result.IsPartitionEOF || result.Offset.Value >= to)
                {
                    // At the end of the log (offsets may skip, e.g. over transaction markers) or past the commit.
                    return replayed;
                }
                replayed++;
                if (admission.TryAdmit(result, ids, out var transaction, out _))
                {
                    BatchScorer.Fold(cards, transaction, _scratch, _spec.CardIdleTtlMs);
                }
                if (result.Offset.Value == to - 1)
                {
                    return replayed;
                }
            }
        }
        finally
        {
            consumer.Unassign();
        }
    }

    private IConsumer<byte[], byte[]> Replayer => _replay ??= new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
    {
        ClientId = "fraud-scorer-restore",
        // Never subscribes or commits: the id only satisfies the client; assignment is manual.
        GroupId = scorer.GroupId + ".restore",
        EnableAutoCommit = false,
        EnableAutoOffsetStore = false,
        EnablePartitionEof = true,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        FetchWaitMaxMs = scorer.FetchWaitMaxMs,
    }.ForCluster(kafka))
    .LogTo(logger)
    .SetErrorHandler((_, error) => ScorerLog.KafkaError(logger, "restore consumer", error.Reason))
    .Build();

    public void Dispose() => _replay?.Dispose();
}
