namespace Fraud.Streaming.Shared.Features.Entities;

/// <summary>
/// The final totals of one closed UTC day as one partition of the transactions topic contributed them, or one chunk of
/// them when there are many entities. Published on the entity totals topic under a key naming partition, day and
/// chunk, so a republished (corrected) day replaces the earlier record; readers add up the records of every
/// partition. Entries are in (kind, key) order.
/// </summary>
public sealed record EntityDayRecord(int Partition, int Day, int Chunk, int Chunks, IReadOnlyList<EntityDayEntry> Entries);
