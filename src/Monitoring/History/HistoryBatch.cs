using System.Diagnostics;
using Fraud.Streaming.Shared.Kafka;

namespace Fraud.Streaming.Monitoring.History;

/// <summary>Consumed messages waiting to be written together, and the offsets that commit them.</summary>
internal sealed class HistoryBatch
{
    public List<HistoryMessage> Messages { get; } = [];

    /// <summary>The next offset to commit per partition once this batch is written.</summary>
    public OffsetTracker Offsets { get; } = new();

    /// <summary>When the first message of this batch was added (<see cref="Stopwatch"/> ticks).</summary>
    public long Started { get; private set; }

    /// <summary>The messages published in a sampled trace, whose spans end once the batch is written (<see cref="HistoryTracing"/>).</summary>
    public List<TracedMessage> Traced { get; } = [];

    public int Count => Messages.Count;

    /// <summary>Something was consumed (written or not, every message moves an offset).</summary>
    public bool HasPending => Offsets.HasPending;

    public void Add(HistoryMessage message)
    {
        if (!Offsets.HasPending)
        {
            Started = Stopwatch.GetTimestamp();
        }
        Messages.Add(message);
        Offsets.Consumed(new Confluent.Kafka.TopicPartitionOffset(message.Source.Topic, message.Source.Partition, message.Source.Offset));
    }

    public void Clear()
    {
        Messages.Clear();
        Traced.Clear();
        Offsets.Clear();
    }
}
