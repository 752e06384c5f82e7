namespace Fraud.Streaming.Aggregator;

/// <summary>One assigned partition (of both topics): its accumulator and where its replay and idleness stand.</summary>
internal sealed class PartitionState(int partition, PartitionAccumulator accumulator, long firstNewTransaction, long firstNewLabel, long now)
{
    public int Partition { get; } = partition;
    public PartitionAccumulator Accumulator { get; } = accumulator;

    /// <summary>The group's committed offsets at assignment: messages before them were read before (replay), the rest are new.</summary>
    public long FirstNewTransaction { get; } = firstNewTransaction;
    public long FirstNewLabel { get; } = firstNewLabel;

    /// <summary>When the partition was truncated by retention: days up to this one are not published again.</summary>
    public int SuppressThrough { get; set; } = int.MinValue;

    /// <summary>The first transaction day met (for <see cref="SuppressThrough"/>).</summary>
    public int? FirstDay { get; set; }
    public bool Truncated { get; set; }

    public bool TransactionsAtEnd { get; set; }
    public bool LabelsAtEnd { get; set; }
    public long LastTransactionAt { get; set; } = now;
    public long LastLabelAt { get; set; } = now;
    public long NextTransactionOffset { get; set; } = -1;
    public long NextLabelOffset { get; set; } = -1;
    public bool Replayed { get; set; }

    /// <summary>Whether the partition is still being replayed (its newest read offsets are before the committed ones).</summary>
    public bool Replaying => NextTransactionOffset < FirstNewTransaction || NextLabelOffset < FirstNewLabel;
}
