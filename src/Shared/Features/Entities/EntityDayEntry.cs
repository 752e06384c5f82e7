namespace Fraud.Streaming.Shared.Features.Entities;

/// <summary>One entity's totals on one day, as one source partition saw them.</summary>
public readonly record struct EntityDayEntry(EntityKind Kind, ulong Key, EntityTotals Totals);
