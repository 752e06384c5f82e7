using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Features.Entities;

namespace Fraud.Streaming.Aggregator.Tests;

public sealed class PartitionAccumulatorTests
{
    private const long Hour = 3_600_000;
    private const long Day = EntityFeatures.MsPerDay;
    private const int Horizon = 120;
    private static readonly long Start = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private sealed record Tx(ulong Key, long EventMs, double Amount, ulong Merchant, bool HasDevice, ulong Device);

    private sealed record Report(ulong Key, long ReportedMs);

    /// <summary>Forty days at eight merchants and forty devices, about one in four reported 1-15 days later (some twice).</summary>
    private static (List<Tx> Transactions, List<Report> Reports) History(int seed)
    {
        var random = new Random(seed);
        var transactions = new List<Tx>();
        var reports = new List<Report>();
        var time = Start;
        for (var i = 0; i < 2000; i++)
        {
            time += random.Next(0, (int)(40 * Day / 2000 * 2));
            var hasDevice = random.Next(4) != 0;
            var tx = new Tx((ulong)(1_000_000 + i), time, Math.Round(random.NextDouble() * 500, 2), (ulong)random.Next(8) + 1, hasDevice,
                hasDevice ? (ulong)random.Next(40) + 100 : 0);
            transactions.Add(tx);
            if (random.Next(4) == 0)
            {
                reports.Add(new Report(tx.Key, time + Day + random.NextInt64(14 * Day)));
                if (random.Next(5) == 0)
                {
                    reports.Add(new Report(tx.Key, time + random.NextInt64(20 * Day)));
                }
            }
            if (random.Next(50) == 0)
            {
                transactions.Add(tx); // a producer retry: the same transaction again
            }
        }
        reports.Sort((a, b) => a.ReportedMs.CompareTo(b.ReportedMs));
        return (transactions, reports);
    }

    /// <summary>The offline table of the same history: what every offline path computes.</summary>
    private static EntityTable Offline(List<Tx> transactions, List<Report> reports)
    {
        var earliest = reports.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Min(r => r.ReportedMs));
        var table = new EntityTable();
        foreach (var t in transactions.DistinctBy(t => t.Key))
        {
            var input = new FeatureInput(t.EventMs, t.Amount, 0, t.Merchant, 0, 0, 0, t.Device, t.HasDevice, false);
            table.AddHistory(input, earliest.TryGetValue(t.Key, out var ms) ? ms : long.MaxValue, Horizon);
        }
        return table;
    }

    [Fact]
    public void Closed_days_equal_the_offline_totals_whatever_the_interleaving_of_transactions_and_reports()
    {
        for (var seed = 0; seed < 30; seed++)
        {
            var (transactions, reports) = History(seed);
            var offline = Offline(transactions, reports);
            var acc = new PartitionAccumulator(0, Hour, Horizon, keepClosedDays: 400);
            var random = new Random(seed);
            int t = 0, r = 0;
            while (t < transactions.Count || r < reports.Count)
            {
                // Either stream may run ahead of the other by any amount, as two topics read independently do.
                if (r == reports.Count || (t < transactions.Count && random.Next(3) != 0))
                {
                    var x = transactions[t++];
                    acc.Transaction(x.Key, x.EventMs, x.Amount, x.Merchant, x.HasDevice, x.Device);
                }
                else
                {
                    acc.FraudReport(reports[r].Key, reports[r].ReportedMs);
                    r++;
                }
                if (random.Next(20) == 0)
                {
                    acc.Advance(long.MinValue);
                }
            }
            acc.LabelsIdle = true;
            acc.Advance(long.MinValue);

            Assert.True(acc.ClosedThrough >= EntityFeatures.DayOf(Start) + 35, $"seed {seed}: closed through {acc.ClosedThrough}");
            Assert.Equal(0, acc.Counters.Late);
            var compared = 0;
            for (var day = EntityFeatures.DayOf(Start); day <= acc.ClosedThrough; day++)
            {
                var online = acc.Totals(day).ToDictionary(e => (e.Kind, e.Key), e => e.Totals);
                foreach (var kind in new[] { EntityKind.Merchant, EntityKind.Device })
                {
                    for (ulong key = 0; key < 200; key++)
                    {
                        var expected = offline.Sum(kind, key, day, day);
                        Assert.Equal(expected, online.GetValueOrDefault((kind, key)));
                        compared += expected.IsZero ? 0 : 1;
                    }
                }
            }
            Assert.True(compared > 300, $"seed {seed}: only {compared} non-empty entity days compared");
            Assert.Equal(transactions.Count - transactions.DistinctBy(x => x.Key).Count(), acc.Counters.DuplicateTransactions);
        }
    }

    [Fact]
    public void A_late_transaction_corrects_its_closed_day_and_is_counted()
    {
        var acc = new PartitionAccumulator(0, Hour, Horizon, keepClosedDays: 64);
        acc.Transaction(1, Start + Hour, 10, merchantKey: 7, false, 0);
        acc.FraudReport(99, Start + (3 * Day)); // labels have reached day 3 too
        acc.Transaction(2, Start + (3 * Day), 10, merchantKey: 7, false, 0);
        Assert.True(acc.Advance(long.MinValue));
        var day0 = EntityFeatures.DayOf(Start);
        Assert.Equal(day0 + 1, acc.ClosedThrough);
        Assert.Empty(acc.TakeCorrected());

        acc.Transaction(3, Start + (2 * Hour), 5, merchantKey: 7, false, 0); // day 0, already closed
        Assert.Equal(1, acc.Counters.Late);
        Assert.Equal([day0], acc.TakeCorrected());
        Assert.Equal(new EntityTotals(2, 1500, 0), Assert.Single(acc.Totals(day0)).Totals);

        // Older than the days kept for corrections: no feature reads it any more, it is only counted.
        acc.Transaction(4, Start - (100 * Day), 5, merchantKey: 7, false, 0);
        Assert.Equal(1, acc.Counters.TooLate);
        Assert.Empty(acc.TakeCorrected());
    }

    [Fact]
    public void A_report_waits_for_its_transaction_and_one_whose_transaction_never_comes_is_unmatched()
    {
        var acc = new PartitionAccumulator(0, Hour, Horizon, keepClosedDays: 64);
        acc.FraudReport(1, Start + Day);          // its transaction is read after it
        acc.FraudReport(2, Start + Day + Hour);   // its transaction never comes
        acc.Transaction(1, Start, 10, merchantKey: 7, hasDevice: true, deviceKey: 70);
        var reportDay = EntityFeatures.DayOf(Start + Day);
        Assert.Contains(acc.Totals(reportDay), e => e.Kind == EntityKind.Merchant && e.Key == 7 && e.Totals.Reports == 1);
        Assert.Contains(acc.Totals(reportDay), e => e.Kind == EntityKind.Device && e.Key == 70 && e.Totals.Reports == 1);

        acc.Transaction(3, Start + (3 * Day), 10, merchantKey: 8, false, 0); // the transactions' watermark passes the report
        acc.Advance(long.MinValue);
        Assert.Equal(1, acc.Counters.UnmatchedReports);
    }

    [Fact]
    public void A_transaction_counts_its_earliest_report_once_whatever_order_reports_arrive_in()
    {
        var acc = new PartitionAccumulator(0, Hour, Horizon, keepClosedDays: 64);
        acc.Transaction(1, Start, 10, merchantKey: 7, false, 0);
        acc.FraudReport(1, Start + (5 * Day));
        acc.FraudReport(1, Start + (2 * Day)); // an earlier report, read later: the report moves to its day
        acc.FraudReport(1, Start + (9 * Day)); // a later one changes nothing
        Assert.Equal(0, acc.Totals(EntityFeatures.DayOf(Start + (5 * Day))).Sum(e => e.Totals.Reports));
        Assert.Equal(1, acc.Totals(EntityFeatures.DayOf(Start + (2 * Day))).Sum(e => e.Totals.Reports));
        Assert.Equal(0, acc.Totals(EntityFeatures.DayOf(Start + (9 * Day))).Sum(e => e.Totals.Reports));

        // Outside the horizon (or before its transaction) a report is not attributed, by the feature definition.
        acc.Transaction(2, Start, 10, merchantKey: 7, false, 0);
        acc.FraudReport(2, Start + ((Horizon + 1) * Day));
        Assert.Equal(1, acc.Counters.UnattributedReports);
    }

    [Fact]
    public void Reports_follow_the_transactions_a_lag_behind_idle_streams_follow_at_once()
    {
        var busy = new PartitionAccumulator(0, Hour, Horizon, keepClosedDays: 64, labelLagMs: 12 * Hour);
        var quiet = new PartitionAccumulator(1, Hour, Horizon, keepClosedDays: 64, labelLagMs: 12 * Hour);
        busy.Transaction(1, Start + (10 * Day) + (6 * Hour), 10, 7, false, 0);
        quiet.Transaction(2, Start + Day, 10, 7, false, 0);
        var day0 = EntityFeatures.DayOf(Start);

        // No report read yet: a day's reports count as complete once the transactions are 12 hours past its end.
        Assert.True(busy.Advance(long.MinValue));
        Assert.Equal(day0 + 8, busy.ClosedThrough);
        // Labels known to be idle (nothing unread): they follow the transactions at once.
        busy.LabelsIdle = true;
        Assert.True(busy.Advance(long.MinValue));
        Assert.Equal(day0 + 9, busy.ClosedThrough);
        Assert.True(busy.IdlenessWouldClose(long.MinValue, false, true) is false);

        // The quiet partition's transactions stopped on day 1; once idle, its days close with the busy one's.
        quiet.LabelsIdle = true;
        quiet.Advance(busy.TransactionWatermarkMs);
        Assert.Equal(day0 - 1, quiet.ClosedThrough);
        Assert.True(quiet.IdlenessWouldClose(busy.TransactionWatermarkMs, transactionsIdle: true, labelsIdle: true));
        quiet.TransactionsIdle = true;
        quiet.Advance(busy.TransactionWatermarkMs);
        Assert.Equal(busy.ClosedThrough, quiet.ClosedThrough);
    }
}
