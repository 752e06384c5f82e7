using System.Collections.Concurrent;
using System.Threading.Channels;
using Confluent.Kafka;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// Stores periodic snapshots off the scoring thread. The scoring thread serializes (the card states must not
/// move while they are copied, and a copy in memory is fast); storing the bytes, a file or an S3 upload of tens
/// of megabytes, happens here, one snapshot at a time, while scoring goes on. At most one snapshot per partition
/// is pending; a partition's next one waits until it is stored.
/// </summary>
internal sealed class SnapshotWriter : IDisposable
{
    private readonly SnapshotStore _store;
    private readonly ILogger _logger;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<int, Pending> _pending = new();
    private readonly ConcurrentQueue<(int Partition, long NextOffset)> _written = new();
    private readonly Task _worker;

    public SnapshotWriter(SnapshotStore store, ILogger logger)
    {
        _store = store;
        _logger = logger;
        _worker = Task.Run(RunAsync);
    }

    /// <summary>Whether a snapshot of the partition is waiting to be stored or being stored.</summary>
    public bool IsPending(int partition) => _pending.ContainsKey(partition);

    /// <summary>Queues a serialized snapshot; the caller checks <see cref="IsPending"/> first.</summary>
    public void Enqueue(SerializedSnapshot snapshot)
    {
        var pending = new Pending(snapshot);
        _pending[snapshot.Partition] = pending;
        _queue.Writer.TryWrite(pending);
    }

    /// <summary>Blocks until the partition's pending snapshot, if any, is stored (or failed).</summary>
    public void Wait(int partition)
    {
        if (_pending.TryGetValue(partition, out var pending))
        {
            pending.Done.Task.GetAwaiter().GetResult();
        }
    }

    /// <summary>Blocks until every pending snapshot is stored (or failed).</summary>
    public void WaitAll()
    {
        foreach (var pending in _pending.Values)
        {
            pending.Done.Task.GetAwaiter().GetResult();
        }
    }

    /// <summary>The partition is gone (lost to another member): its pending snapshot is not stored unless already under way.</summary>
    public void Cancel(int partition)
    {
        if (_pending.TryGetValue(partition, out var pending))
        {
            pending.Cancelled = true;
        }
    }

    /// <summary>A snapshot stored since the last call: its partition and next offset.</summary>
    public bool TryTakeWritten(out (int Partition, long NextOffset) written) => _written.TryDequeue(out written);

    private async Task RunAsync()
    {
        await foreach (var pending in _queue.Reader.ReadAllAsync())
        {
            var snapshot = pending.Snapshot;
            var name = new TopicPartition(snapshot.Topic, snapshot.Partition).ToString();
            try
            {
                if (!pending.Cancelled)
                {
                    var bytes = await _store.WriteAsync(snapshot, CancellationToken.None);
                    _written.Enqueue((snapshot.Partition, snapshot.NextOffset));
                    ScorerMetrics.StateSnapshots.WithLabels("written").Inc();
                    ScorerLog.SnapshotWritten(_logger, name, snapshot.Cards, snapshot.NextOffset, bytes);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The previous snapshot stays valid; a later restore replays from it, which is slower but exact.
                // Whatever the store threw, this task must go on serving the other partitions.
                ScorerMetrics.StateSnapshots.WithLabels("failed").Inc();
                ScorerLog.SnapshotFailed(_logger, name, ex);
            }
            finally
            {
                _pending.TryRemove(KeyValuePair.Create(snapshot.Partition, pending));
                pending.Done.TrySetResult();
            }
        }
    }

    /// <summary>Stores what is queued, then stops.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _worker.GetAwaiter().GetResult();
    }

    private sealed class Pending(SerializedSnapshot snapshot)
    {
        public SerializedSnapshot Snapshot { get; } = snapshot;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public volatile bool Cancelled;
    }
}
