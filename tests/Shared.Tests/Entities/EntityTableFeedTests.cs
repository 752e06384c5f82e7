using Fraud.Streaming.Shared.Features.Entities;

namespace Fraud.Streaming.Shared.Tests.Entities;

public sealed class EntityTableFeedTests
{
    private static void Day(EntityTableFeed feed, int partition, int day, params (ulong Key, int Count)[] merchants) =>
        feed.Apply(EntityRecordCodec.DayKey(partition, day, 0),
            EntityRecordCodec.Encode(new EntityDayRecord(partition, day, 0, 1, merchants.Select(m => new EntityDayEntry(EntityKind.Merchant, m.Key, new EntityTotals(m.Count, m.Count * 100, 0))).ToList())));

    private static void Watermark(EntityTableFeed feed, int partition, int closedThrough, int horizon = 120) =>
        feed.Apply(EntityRecordCodec.WatermarkKey(partition), EntityRecordCodec.Encode(new EntityWatermark(partition, 2, closedThrough, horizon, Idle: false)));

    [Fact]
    public void Partitions_add_up_and_a_republished_day_replaces_its_earlier_totals()
    {
        var feed = new EntityTableFeed(new EntityTable(), 120);
        Day(feed, 0, 100, (7, 2));
        Day(feed, 1, 100, (7, 3), (8, 1));
        Assert.Equal(5, feed.Table.Sum(EntityKind.Merchant, 7, 100, 100).Count);

        Day(feed, 1, 100, (7, 4)); // partition 1 corrected day 100: merchant 8 went, 7 has one more
        Assert.Equal(6, feed.Table.Sum(EntityKind.Merchant, 7, 100, 100).Count);
        Assert.True(feed.Table.Sum(EntityKind.Merchant, 8, 100, 100).IsZero);

        Day(feed, 1, 100, (7, 4)); // the same record again (an aggregator restart): nothing changes
        Assert.Equal(6, feed.Table.Sum(EntityKind.Merchant, 7, 100, 100).Count);

        feed.Apply(EntityRecordCodec.DayKey(0, 100, 0), null); // a tombstone takes its totals away
        Assert.Equal(4, feed.Table.Sum(EntityKind.Merchant, 7, 100, 100).Count);
    }

    [Fact]
    public void Days_are_complete_through_the_lowest_watermark_once_every_partition_has_one()
    {
        var feed = new EntityTableFeed(new EntityTable(), 120);
        Assert.Null(feed.CompleteThrough(2));
        Watermark(feed, 0, 105);
        Assert.Null(feed.CompleteThrough(2));
        Watermark(feed, 1, 103);
        Assert.Equal(103, feed.CompleteThrough(2));
        Watermark(feed, 1, 110);
        Assert.Equal(105, feed.CompleteThrough(2));
    }

    [Fact]
    public void Totals_for_another_report_horizon_are_not_read()
    {
        var feed = new EntityTableFeed(new EntityTable(), 120);
        Watermark(feed, 0, 105, horizon: 90);
        Watermark(feed, 1, 105);
        Assert.Null(feed.CompleteThrough(2));
        Assert.Contains("90 days", feed.Mismatch, StringComparison.Ordinal);
    }

    [Fact]
    public void Dropping_old_days_forgets_their_records_so_a_late_republish_is_not_subtracted_twice()
    {
        var feed = new EntityTableFeed(new EntityTable(), 120);
        Day(feed, 0, 10, (7, 2));
        Day(feed, 0, 50, (7, 1));
        feed.DropBefore(20);
        Assert.True(feed.Table.Sum(EntityKind.Merchant, 7, 10, 10).IsZero);
        Day(feed, 0, 10, (7, 5)); // a correction of a day no feature reads any more: it starts afresh
        Assert.Equal(5, feed.Table.Sum(EntityKind.Merchant, 7, 10, 10).Count);
        Assert.Equal(1, feed.Table.Sum(EntityKind.Merchant, 7, 50, 50).Count);
    }
}
