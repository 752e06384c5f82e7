using System.Diagnostics;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Kafka;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// The micro-batch in flight, beside the transactions <see cref="BatchScorer"/> holds: how many messages it has read
/// (admitted or dead-lettered) and since when, the offsets that commit them, and per admitted transaction its Kafka
/// key (reused for its verdict) and trace context (<see cref="BatchTracing"/>).
/// </summary>
internal sealed class MicroBatch(int capacity, BatchTracing tracing)
{
    private readonly byte[]?[] _keys = new byte[]?[capacity];
    private long _started;

    /// <summary>The next offset to commit per partition once the batch is acknowledged.</summary>
    public OffsetTracker Offsets { get; } = new();

    public BatchTracing Tracing => tracing;

    /// <summary>Messages read into this batch, admitted or not.</summary>
    public int Messages { get; private set; }

    /// <summary>Admitted transactions: rows 0 to Rows - 1 of the batch scorer.</summary>
    public int Rows { get; private set; }

    public bool IsEmpty => Messages == 0;

    /// <summary>Since the batch's first message.</summary>
    public TimeSpan Age => Stopwatch.GetElapsedTime(_started);

    /// <summary>A message read: the batch starts with its first.</summary>
    public void Read(ConsumeResult<byte[], byte[]> result)
    {
        if (Messages == 0)
        {
            _started = Stopwatch.GetTimestamp();
            tracing.BatchStarted();
        }
        Messages++;
        Offsets.Consumed(result.TopicPartition, result.Offset);
    }

    /// <summary>The message read last became the transaction in <paramref name="row"/>.</summary>
    public void Admitted(int row, Message<byte[], byte[]> message)
    {
        _keys[row] = message.Key;
        tracing.Arrived(row, message.Headers);
        Rows = row + 1;
    }

    public byte[]? KeyAt(int row) => _keys[row];

    /// <summary>The batch is committed: its span ends, and it starts empty again.</summary>
    public void Clear()
    {
        tracing.EndProcess(Rows);
        Array.Clear(_keys, 0, Rows);
        Offsets.Clear();
        Messages = 0;
        Rows = 0;
    }
}
