using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Fraud.Streaming.Shared.Features.Entities;

/// <summary>
/// Keys and values of the entity totals topic. Keys are short ASCII (<c>d/{partition}/{day}/{chunk}</c> for day totals,
/// <c>w/{partition}</c> for a watermark) so the topic reads well in kcat and compacts per day and chunk; values are
/// little-endian binary, because a day of a busy partition holds one entry per active merchant and device and JSON
/// would triple the bytes every scorer reads at start. A hand-written format: nothing in the dependencies serializes
/// fixed-size records this compactly without a schema compiler.
/// </summary>
/// <remarks>
/// Day value: magic <c>FED1</c>, int32 partition, int32 day, int32 chunk, int32 chunks, int32 entry count, then per
/// entry: byte kind, uint64 key, int32 count, int64 amount cents, int32 reports.
/// Watermark value: magic <c>FEW1</c>, int32 partition, int32 partitions, int32 closed-through day, int32 report
/// horizon days, byte idle.
/// </remarks>
public static class EntityRecordCodec
{
    private const int EntryBytes = 1 + 8 + 4 + 8 + 4;
    private const int DayHeaderBytes = 4 + (5 * 4);
    private const int WatermarkBytes = 4 + (4 * 4) + 1;
    private static readonly byte[] DayMagic = "FED1"u8.ToArray();
    private static readonly byte[] WatermarkMagic = "FEW1"u8.ToArray();

    /// <summary>Entries per day record: keeps a record near 500 KB, under the brokers' default 1 MB message limit.</summary>
    public const int MaxEntriesPerRecord = 20_000;

    public static byte[] DayKey(int partition, int day, int chunk) =>
        Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"d/{partition}/{day}/{chunk}"));

    public static byte[] WatermarkKey(int partition) =>
        Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"w/{partition}"));

    public static byte[] Encode(EntityDayRecord record)
    {
        var bytes = new byte[DayHeaderBytes + (record.Entries.Count * EntryBytes)];
        var span = bytes.AsSpan();
        DayMagic.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], record.Partition);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], record.Day);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], record.Chunk);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], record.Chunks);
        BinaryPrimitives.WriteInt32LittleEndian(span[20..], record.Entries.Count);
        var at = DayHeaderBytes;
        foreach (var e in record.Entries)
        {
            span[at] = (byte)e.Kind;
            BinaryPrimitives.WriteUInt64LittleEndian(span[(at + 1)..], e.Key);
            BinaryPrimitives.WriteInt32LittleEndian(span[(at + 9)..], e.Totals.Count);
            BinaryPrimitives.WriteInt64LittleEndian(span[(at + 13)..], e.Totals.AmountCents);
            BinaryPrimitives.WriteInt32LittleEndian(span[(at + 21)..], e.Totals.Reports);
            at += EntryBytes;
        }
        return bytes;
    }

    public static byte[] Encode(EntityWatermark watermark)
    {
        var bytes = new byte[WatermarkBytes];
        var span = bytes.AsSpan();
        WatermarkMagic.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], watermark.Partition);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], watermark.Partitions);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], watermark.ClosedThrough);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], watermark.ReportHorizonDays);
        span[20] = watermark.Idle ? (byte)1 : (byte)0;
        return bytes;
    }

    /// <summary>A day record or a watermark.</summary>
    /// <exception cref="InvalidDataException">the bytes are neither (the message says what is wrong).</exception>
    public static object Decode(ReadOnlySpan<byte> value)
    {
        if (value.Length >= 4 && value[..4].SequenceEqual(DayMagic))
        {
            return DecodeDay(value);
        }
        if (value.Length == WatermarkBytes && value[..4].SequenceEqual(WatermarkMagic))
        {
            return new EntityWatermark(
                BinaryPrimitives.ReadInt32LittleEndian(value[4..]),
                BinaryPrimitives.ReadInt32LittleEndian(value[8..]),
                BinaryPrimitives.ReadInt32LittleEndian(value[12..]),
                BinaryPrimitives.ReadInt32LittleEndian(value[16..]),
                value[20] != 0);
        }
        throw new InvalidDataException($"not an entity totals record ({value.Length} bytes)");
    }

    private static EntityDayRecord DecodeDay(ReadOnlySpan<byte> value)
    {
        if (value.Length < DayHeaderBytes)
        {
            throw new InvalidDataException($"entity day record of {value.Length} bytes is shorter than its header");
        }
        var count = BinaryPrimitives.ReadInt32LittleEndian(value[20..]);
        if (count < 0 || (long)value.Length != DayHeaderBytes + ((long)count * EntryBytes))
        {
            throw new InvalidDataException($"entity day record claims {count} entries but holds {value.Length - DayHeaderBytes} bytes of them");
        }
        var entries = new EntityDayEntry[count];
        var at = DayHeaderBytes;
        for (var i = 0; i < count; i++)
        {
            var kind = value[at];
            if (kind > (byte)EntityKind.Device)
            {
                throw new InvalidDataException($"entity day record entry {i} has unknown kind {kind}");
            }
            entries[i] = new EntityDayEntry(
                (EntityKind)kind,
                BinaryPrimitives.ReadUInt64LittleEndian(value[(at + 1)..]),
                new EntityTotals(
                    BinaryPrimitives.ReadInt32LittleEndian(value[(at + 9)..]),
                    BinaryPrimitives.ReadInt64LittleEndian(value[(at + 13)..]),
                    BinaryPrimitives.ReadInt32LittleEndian(value[(at + 21)..])));
            at += EntryBytes;
        }
        return new EntityDayRecord(
            BinaryPrimitives.ReadInt32LittleEndian(value[4..]),
            BinaryPrimitives.ReadInt32LittleEndian(value[8..]),
            BinaryPrimitives.ReadInt32LittleEndian(value[12..]),
            BinaryPrimitives.ReadInt32LittleEndian(value[16..]),
            entries);
    }
}
