using System.Diagnostics;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Kafka;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// A micro-batch from its first message read to its offsets committed, beside the transactions <see cref="BatchScorer"/>
/// holds while it is read: how many messages it has read (admitted or dead-lettered) and since when, the offsets that
/// commit them, per admitted transaction its Kafka key (reused for its verdict) and trace context
/// (<see cref="BatchTracing"/>), its verdicts once scored (<see cref="PendingVerdicts"/>) and the acknowledgements of
/// everything it produced, dead letters included (<see cref="DeliveryTracker"/>).
/// </summary>
internal sealed class MicroBatch(int capacity, BatchTracing tracing)
{
    private readonly byte[]?[] _keys = new byte[]?[capacity];
    private long _started;

    /// <summary>The next offset to commit per partition once the batch is acknowledged.</summary>
    public OffsetTracker Offsets { get; } = new();

    public BatchTracing Tracing => tracing;

    /// <summary>The batch's verdicts from scoring to producing.</summary>
    public PendingVerdicts Verdicts { get; } = new(capacity);

    /// <summary>What the batch produced (verdicts and dead letters), until the broker has acknowledged it.</summary>
    public DeliveryTracker Deliveries { get; } = new();

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
        Verdicts.Clear();
        Offsets.Clear();
        Messages = 0;
        Rows = 0;
    }
}
