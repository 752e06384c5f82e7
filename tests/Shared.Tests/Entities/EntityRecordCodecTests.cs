using Fraud.Streaming.Shared.Features.Entities;

namespace Fraud.Streaming.Shared.Tests.Entities;

public sealed class EntityRecordCodecTests
{
    [Fact]
    public void Day_records_and_watermarks_read_back_as_written()
    {
        var day = new EntityDayRecord(3, 20_500, 1, 2,
        [
            new(EntityKind.Merchant, 7, new EntityTotals(5, 123_456, 1)),
            new(EntityKind.Device, ulong.MaxValue, new EntityTotals(1, long.MaxValue, 0)),
        ]);
        var read = Assert.IsType<EntityDayRecord>(EntityRecordCodec.Decode(EntityRecordCodec.Encode(day)));
        Assert.Equal((day.Partition, day.Day, day.Chunk, day.Chunks), (read.Partition, read.Day, read.Chunk, read.Chunks));
        Assert.Equal(day.Entries, read.Entries);

        var watermark = new EntityWatermark(3, 12, 20_499, 120, Idle: true);
        Assert.Equal(watermark, EntityRecordCodec.Decode(EntityRecordCodec.Encode(watermark)));
        Assert.Equal("d/3/20500/1"u8.ToArray(), EntityRecordCodec.DayKey(3, 20_500, 1));
        Assert.Equal("w/3"u8.ToArray(), EntityRecordCodec.WatermarkKey(3));
    }

    [Theory]
    [InlineData("")]
    [InlineData("FED1")]
    [InlineData("not a record")]
    public void Anything_else_is_refused_with_a_reason(string text)
    {
        var ex = Assert.Throws<InvalidDataException>(() => EntityRecordCodec.Decode(System.Text.Encoding.ASCII.GetBytes(text)));
        Assert.False(string.IsNullOrEmpty(ex.Message));
    }

    [Fact]
    public void A_truncated_day_record_or_an_unknown_kind_is_refused()
    {
        var bytes = EntityRecordCodec.Encode(new EntityDayRecord(0, 1, 0, 1, [new(EntityKind.Merchant, 1, new EntityTotals(1, 1, 0))]));
        Assert.Throws<InvalidDataException>(() => EntityRecordCodec.Decode(bytes.AsSpan(0, bytes.Length - 1)));
        bytes[24] = 9; // the first entry's kind
        Assert.Contains("unknown kind", Assert.Throws<InvalidDataException>(() => EntityRecordCodec.Decode(bytes)).Message, StringComparison.Ordinal);
    }
}
