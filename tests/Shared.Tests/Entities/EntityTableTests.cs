using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Features.Entities;

namespace Fraud.Streaming.Shared.Tests.Entities;

public sealed class EntityTableTests
{
    private static readonly long Day0 = new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private const long Day = EntityFeatures.MsPerDay;

    private static FeatureInput At(long ms, ulong merchant, double amount = 10, ulong? device = null) =>
        new(ms, amount, 1, merchant, 0, 0, 0, device ?? 0, device is not null, false);

    private static float[] Features(EntityTable table, FeatureInput input)
    {
        var features = new float[EntityFeatures.Count];
        table.Write(input, features);
        return features;
    }

    [Fact]
    public void Windows_end_the_lag_before_the_transactions_day_and_count_reports_on_their_day()
    {
        var table = new EntityTable(lagHours: 3);
        // Merchant 7: one 100.00 transaction a day on days -40 .. -1; the one of day -10 reported on day -3.
        for (var d = -40; d <= -1; d++)
        {
            table.AddHistory(At(Day0 + (d * Day) + 3_600_000, 7, 100), d == -10 ? Day0 - (3 * Day) : long.MaxValue, 120);
        }
        var f = Features(table, At(Day0 + 7_200_000, 7, device: 5));

        // At 02:00 on day 0 the newest day that ended 3 hours before is day -2: the 1-day window is day -2, the 7-day
        // -8..-2, the 30-day -31..-2.
        Assert.Equal(DeterministicMath.Log1P(1), f[0]);
        Assert.Equal(DeterministicMath.Log1P(7), f[1]);
        Assert.Equal(DeterministicMath.Log1P(30), f[2]);
        Assert.Equal(DeterministicMath.Log1P(100), f[3]);
        Assert.Equal(DeterministicMath.Log1P(700), f[4]);
        Assert.Equal(DeterministicMath.Log1P(3000), f[5]);
        Assert.Equal(0f, f[6]); // the 1-day window is day -2: no report that day
        Assert.Equal(1f, f[7]); // the report of day -3 is in the 7-day window
        Assert.Equal(1f, f[8]);
        Assert.Equal((float)(1 / (7 + EntityFeatures.RiskSmoothing)), f[9]);
        Assert.Equal((float)(1 / (30 + EntityFeatures.RiskSmoothing)), f[10]);
        Assert.Equal((float)(7 / 7d / ((30 / 30d) + EntityFeatures.SurgeSmoothing)), f[11]);
        Assert.All(f[12..], v => Assert.Equal(0f, v)); // a device never seen

        // At midnight starting day -2 the report is not readable yet (its day is -3, the newest day read is -4);
        // from 03:00 that day it is.
        Assert.Equal(0f, Features(table, At(Day0 - (2 * Day), 7))[7]);
        Assert.Equal(1f, Features(table, At(Day0 - (2 * Day) + (3 * 3_600_000), 7))[7]);
        Assert.Equal(EntityFeatures.DayOf(Day0) - 1, table.LastDayReadBy(Day0 + (3 * 3_600_000)));
        Assert.Equal(EntityFeatures.DayOf(Day0) - 2, table.LastDayReadBy(Day0 + (3 * 3_600_000) - 1));
        // No device: every device feature says so.
        Assert.All(Features(table, At(Day0, 7))[12..], v => Assert.Equal(EntityFeatures.NoDevice, v));
    }

    [Fact]
    public void Reports_outside_the_horizon_or_before_their_transaction_are_not_attributed()
    {
        Assert.True(EntityFeatures.Attributes(1000, 1000, 1));
        Assert.True(EntityFeatures.Attributes(0, Day, 1));
        Assert.False(EntityFeatures.Attributes(0, Day + 1, 1));
        Assert.False(EntityFeatures.Attributes(1000, 999, 1));
    }

    [Fact]
    public void Totals_added_in_any_order_and_split_give_the_same_bits()
    {
        var random = new Random(5);
        var inputs = Enumerable.Range(0, 3000).Select(i => (Input: At(Day0 + random.NextInt64(60 * Day), (ulong)random.Next(6), Math.Round(random.NextDouble() * 1e4, 2), random.Next(3) == 0 ? null : (ulong)random.Next(30)),
            Report: random.Next(4) == 0 ? Day0 + random.NextInt64(70 * Day) : long.MaxValue)).ToList();
        var inOrder = new EntityTable();
        foreach (var (input, report) in inputs.OrderBy(x => x.Input.EventMs))
        {
            inOrder.AddHistory(input, report, 120);
        }
        var shuffled = new EntityTable();
        foreach (var (input, report) in inputs.OrderBy(_ => random.Next()))
        {
            shuffled.AddHistory(input, report, 120);
        }
        for (var d = 0; d < 75; d++)
        {
            var probe = At(Day0 + (d * Day), (ulong)(d % 6), device: (ulong)(d % 30));
            Assert.Equal(Features(inOrder, probe).Select(BitConverter.SingleToInt32Bits), Features(shuffled, probe).Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void Dropping_old_days_changes_no_feature_of_a_later_transaction()
    {
        var table = new EntityTable();
        var reference = new EntityTable();
        for (var d = 0; d < 100; d++)
        {
            table.AddHistory(At(Day0 + (d * Day), 3, 20, device: 4), Day0 + ((d + 2) * Day), 120);
            reference.AddHistory(At(Day0 + (d * Day), 3, 20, device: 4), Day0 + ((d + 2) * Day), 120);
        }
        var day = EntityFeatures.DayOf(Day0) + 80;
        table.DropBefore(table.OldestDayReadBy(day));
        var probe = At(Day0 + (80 * Day), 3, device: 4);
        Assert.Equal(Features(reference, probe), Features(table, probe));
        Assert.Equal(0, table.DropBefore(int.MaxValue) - 2); // both entities dropped once empty
        Assert.Equal(0, table.MerchantCount + table.DeviceCount);
    }

    [Fact]
    public void Amounts_count_in_whole_cents_capped_per_transaction()
    {
        Assert.Equal(1234, EntityFeatures.CentsOf(12.34));
        Assert.Equal(0, EntityFeatures.CentsOf(0));
        Assert.Equal(EntityFeatures.MaxCentsPerTransaction, EntityFeatures.CentsOf(1e300));
        Assert.Equal(0, EntityFeatures.CentsOf(double.NaN));
    }
}
