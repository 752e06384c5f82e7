using System.Text;

namespace Fraud.Streaming.Shared.Features.Entities;

/// <summary>
/// Applies the records of the entity totals topic to an <see cref="EntityTable"/>: a day record adds its totals, and a
/// later record under the same key (a corrected day, or the same day published again after an aggregator restart)
/// replaces them, so the table holds the sum over partitions of each key's newest record. Tracks every partition's
/// watermark, which says up to which day the table is final. Single-threaded: the scorer applies records between
/// batches.
/// </summary>
public sealed class EntityTableFeed(EntityTable table, int reportHorizonDays)
{
    private readonly Dictionary<string, (int Day, EntityDayEntry[] Entries)> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<int, EntityWatermark> _watermarks = [];

    public EntityTable Table => table;

    /// <summary>Records applied so far.</summary>
    public long Applied { get; private set; }

    /// <summary>The newest watermark of each partition seen so far.</summary>
    public IReadOnlyDictionary<int, EntityWatermark> Watermarks => _watermarks;

    /// <summary>Set when an aggregator's report horizon differs from this reader's spec: its totals are not ours to read.</summary>
    public string? Mismatch { get; private set; }

    /// <summary>Applies one record (a null value deletes the key's totals).</summary>
    /// <exception cref="InvalidDataException">the value is not an entity totals record.</exception>
    public void Apply(ReadOnlySpan<byte> key, byte[]? value)
    {
        var name = Encoding.ASCII.GetString(key);
        Applied++;
        if (value is null)
        {
            Replace(name, null);
            return;
        }
        switch (EntityRecordCodec.Decode(value))
        {
            case EntityDayRecord day:
                Replace(name, day);
                break;
            case EntityWatermark watermark:
                if (watermark.ReportHorizonDays != reportHorizonDays)
                {
                    Mismatch = $"partition {watermark.Partition} is aggregated with a report horizon of {watermark.ReportHorizonDays} days; this spec reads {reportHorizonDays}";
                }
                _watermarks[watermark.Partition] = watermark;
                break;
        }
    }

    /// <summary>
    /// The newest day whose totals are final in every partition of a topic of <paramref name="partitions"/>
    /// partitions; null while a partition has no watermark yet (or the totals are not for this spec).
    /// </summary>
    public int? CompleteThrough(int partitions)
    {
        if (Mismatch is not null || partitions <= 0)
        {
            return null;
        }
        var complete = int.MaxValue;
        for (var p = 0; p < partitions; p++)
        {
            if (!_watermarks.TryGetValue(p, out var watermark))
            {
                return null;
            }
            complete = Math.Min(complete, watermark.ClosedThrough);
        }
        return complete;
    }

    /// <summary>Forgets days before <paramref name="day"/> in the table and in the key bookkeeping alike.</summary>
    /// <returns>Entities dropped from the table.</returns>
    public int DropBefore(int day)
    {
        foreach (var (name, held) in _byKey)
        {
            if (held.Day < day)
            {
                _byKey.Remove(name);
            }
        }
        return table.DropBefore(day);
    }

    private void Replace(string name, EntityDayRecord? record)
    {
        if (_byKey.Remove(name, out var previous))
        {
            foreach (var e in previous.Entries)
            {
                table.Add(e.Kind, e.Key, previous.Day, default(EntityTotals) - e.Totals);
            }
        }
        if (record is null)
        {
            return;
        }
        var entries = record.Entries as EntityDayEntry[] ?? [.. record.Entries];
        foreach (var e in entries)
        {
            table.Add(e.Kind, e.Key, record.Day, e.Totals);
        }
        _byKey[name] = (record.Day, entries);
    }
}
