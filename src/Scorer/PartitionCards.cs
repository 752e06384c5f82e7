using Fraud.Streaming.Shared.Features;

namespace Fraud.Streaming.Scorer;

/// <summary>The card states and recent transaction ids of one assigned partition, and the offsets that say what they reflect.</summary>
internal sealed class PartitionCards(int partition, CardStateStore cards, RecentTransactionIds ids, long nextOffset, long snapshotOffset)
{
    public int Partition { get; } = partition;

    public CardStateStore Cards { get; } = cards;

    /// <summary>The partition's recent transaction ids, which decide duplicates.</summary>
    public RecentTransactionIds Ids { get; } = ids;

    /// <summary>The offset after the last message folded in (or skipped); -1 while unknown.</summary>
    public long NextOffset { get; set; } = nextOffset;

    /// <summary>The offset last committed for the partition by this scorer, or found committed at assignment; -1 when none.</summary>
    public long CommittedOffset { get; set; } = nextOffset;

    /// <summary>The next offset of the newest stored snapshot; -1 when none.</summary>
    public long SnapshotOffset { get; set; } = snapshotOffset;

    /// <summary>
    /// The state reflects exactly the committed offset (nothing uncommitted folded in) and differs from the stored
    /// snapshot: a snapshot now is both exact and new.
    /// </summary>
    public bool NeedsSnapshot => NextOffset >= 0 && NextOffset == CommittedOffset && NextOffset != SnapshotOffset;
}
