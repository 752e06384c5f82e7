using System.Diagnostics;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Features;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// Card state per assigned partition of the transactions topic: restored before a partition is scored, snapshotted
/// periodically and when it is revoked (always right after a commit, so a snapshot holds exactly the events before
/// the committed offset), dropped when it is revoked or lost. Used only on the scoring thread (Kafka calls the
/// rebalance handlers from inside <c>Consume</c>).
/// </summary>
/// <remarks>
/// Periodic snapshots pause scoring only to serialize (timed by <c>fraud_scorer_state_snapshot_pause_seconds</c>);
/// a <see cref="SnapshotWriter"/> stores them in the background. A revoked partition's last snapshot, and the
/// snapshots at shutdown, are stored before the handler returns, after any pending one of the same partition, so
/// the newest snapshot of a partition is always the last one stored.
/// </remarks>
internal sealed class AssignedPartitions(StateOptions options, FeatureSpec spec, int duplicateWindow, StateRestorer? restorer, SnapshotStore? snapshots, string topic, ILogger logger)
    : IDisposable
{
    private readonly SnapshotWriter? _writer = snapshots is null ? null : new SnapshotWriter(snapshots, logger);
    private readonly Dictionary<int, PartitionCards> _partitions = [];
    private long _nextSnapshot = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * options.SnapshotIntervalSeconds);

    public int Count => _partitions.Count;

    /// <summary>Cards held over all assigned partitions.</summary>
    public long CardCount => _partitions.Values.Sum(p => (long)p.Cards.Count);

    /// <summary>Bytes the assigned partitions' stores hold.</summary>
    public long MemoryBytes => _partitions.Values.Sum(p => p.Cards.MemoryBytes);

    /// <summary>Drops cards idle since before <paramref name="cutoffMs"/> (event time) in every partition; returns how many.</summary>
    public int ExpireIdle(long cutoffMs) => _partitions.Values.Sum(p => p.Cards.ExpireIdle(cutoffMs));

    /// <summary>The state of an assigned partition; an empty one if it was never restored (state restore off).</summary>
    public PartitionCards For(int partition)
    {
        if (!_partitions.TryGetValue(partition, out var state))
        {
            state = new PartitionCards(partition, new CardStateStore(spec.CardIdleTtlMs), new RecentTransactionIds(duplicateWindow), -1, -1);
            _partitions[partition] = state;
        }
        return state;
    }

    /// <summary>
    /// Restores each newly assigned partition, all within one <see cref="RestoreBudget"/>; returns the offsets to start
    /// scoring from (the committed ones).
    /// </summary>
    public List<TopicPartitionOffset> Assign(IConsumer<byte[], byte[]> consumer, IReadOnlyList<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        var start = new List<TopicPartitionOffset>(partitions.Count);
        if (restorer is null || partitions.Count == 0)
        {
            foreach (var partition in partitions)
            {
                _partitions[partition.Partition.Value] = new PartitionCards(partition.Partition.Value, new CardStateStore(spec.CardIdleTtlMs), new RecentTransactionIds(duplicateWindow), -1, -1);
                start.Add(new TopicPartitionOffset(partition, Offset.Unset));
            }
            return start;
        }
        var budget = new RestoreBudget(options.RestoreTimeoutSeconds);
        var committed = consumer.Committed(partitions, budget.Remaining);
        foreach (var offset in committed)
        {
            var state = restorer.Restore(offset.TopicPartition, offset.Offset, budget, cancellationToken);
            _partitions[state.Partition] = state;
            // Scoring resumes exactly where the replay stopped; with nothing committed, at the beginning.
            start.Add(new TopicPartitionOffset(offset.TopicPartition, offset.Offset.IsSpecial ? Offset.Beginning : offset.Offset));
        }
        return start;
    }

    /// <summary>Records a successful commit.</summary>
    public void Committed(IReadOnlyList<TopicPartitionOffset> offsets)
    {
        foreach (var offset in offsets)
        {
            if (_partitions.TryGetValue(offset.Partition.Value, out var state))
            {
                state.CommittedOffset = offset.Offset.Value;
            }
        }
    }

    /// <summary>Whether the interval has passed, so <see cref="SnapshotIfDue"/> would snapshot (the caller first commits what it holds).</summary>
    public bool SnapshotDue => Stopwatch.GetTimestamp() >= _nextSnapshot;

    /// <summary>Snapshots every partition that needs one once the interval has passed. Call only with no uncommitted batch.</summary>
    public void SnapshotIfDue(CancellationToken cancellationToken)
    {
        var now = Stopwatch.GetTimestamp();
        if (now < _nextSnapshot)
        {
            return;
        }
        _nextSnapshot = now + (Stopwatch.Frequency * options.SnapshotIntervalSeconds);
        if (_writer is null)
        {
            return;
        }
        TakeWritten();
        foreach (var state in _partitions.Values)
        {
            if (state.NeedsSnapshot && !_writer.IsPending(state.Partition))
            {
                _writer.Enqueue(Serialize(state));
            }
        }
    }

    /// <summary>Snapshots every partition that needs one and waits until all are stored (on shutdown).</summary>
    public void SnapshotAll()
    {
        _writer?.WaitAll();
        TakeWritten();
        foreach (var state in _partitions.Values)
        {
            StoreNow(state);
        }
    }

    /// <summary>Revoked after the last batch was committed: a final snapshot, then the state goes with the partition.</summary>
    public void Revoke(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            if (_partitions.Remove(partition.Partition.Value, out var state))
            {
                StoreNow(state);
            }
        }
    }

    /// <summary>Lost (another member may own them already): dropped, no commit and no snapshot.</summary>
    public void Lose(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            _partitions.Remove(partition.Partition.Value);
            _writer?.Cancel(partition.Partition.Value);
        }
    }

    /// <summary>Stores what is pending, then stops the background writer.</summary>
    public void Dispose() => _writer?.Dispose();

    /// <summary>Records the snapshots the background writer has stored (<paramref name="revoked"/>: also for a partition just removed).</summary>
    private void TakeWritten(PartitionCards? revoked = null)
    {
        while (_writer is not null && _writer.TryTakeWritten(out var written))
        {
            var state = _partitions.GetValueOrDefault(written.Partition) ?? (revoked?.Partition == written.Partition ? revoked : null);
            if (state is not null)
            {
                state.SnapshotOffset = Math.Max(state.SnapshotOffset, written.NextOffset);
            }
        }
    }

    /// <summary>The partition's snapshot as bytes, made on the scoring thread (the pause scoring takes for it is measured).</summary>
    private SerializedSnapshot Serialize(PartitionCards state)
    {
        var started = Stopwatch.GetTimestamp();
        var serialized = SerializedSnapshot.Of(CardStateSnapshot.Of(spec, topic, state.Partition, state.NextOffset, state.Cards, state.Ids));
        ScorerMetrics.StateSnapshotPauseSeconds.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        return serialized;
    }

    /// <summary>
    /// Stores the partition's snapshot before returning, through the same writer as the periodic ones: after any
    /// pending snapshot of the partition, so the newest is the last stored. A failure is logged and counted there.
    /// </summary>
    private void StoreNow(PartitionCards state)
    {
        if (_writer is null)
        {
            return;
        }
        _writer.Wait(state.Partition);
        TakeWritten(state);
        if (!state.NeedsSnapshot)
        {
            return;
        }
        _writer.Enqueue(Serialize(state));
        _writer.Wait(state.Partition);
        TakeWritten(state);
    }
}
