using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Trainer.History;
using Fraud.Streaming.Trainer.Training;

namespace Fraud.Streaming.Trainer.Tests;

public sealed class FeatureTableBuilderTests
{
    private static Transaction Tx(string id, int minute, string country = "DE", double amount = 20) => new()
    {
        TransactionId = id,
        EventTime = new DateTimeOffset(2025, 1, 1, 12, minute, 0, TimeSpan.Zero),
        CardId = "c1",
        MerchantId = "m1",
        MerchantCategory = "5411",
        Amount = amount,
        Currency = "EUR",
        Country = country,
        Channel = "pos",
    };

    private static int Index(string name) => FeatureSpec.CardV1.Names.ToList().IndexOf(name);

    [Fact]
    public void Every_transaction_moves_card_state_in_order_and_silence_is_genuine_once_mature()
    {
        var history = new[] { Tx("a", 0), Tx("b", 1), Tx("c", 2, country: "FR", amount: 400) };
        var builder = new FeatureTableBuilder(FeatureSpec.CardV1);
        builder.Add(HistoryRow.Of(history[0], null));
        builder.Add(HistoryRow.Of(history[1], null));
        builder.Add(HistoryRow.Of(history[2], true, history[2].EventTime.AddDays(40))); // the history knows up to this report
        var table = builder.Build();

        // The same numbers the scorer computes when it sees all three in order.
        var cards = new CardStateStore();
        var expected = new float[FeatureSpec.CardV1.Count];
        foreach (var t in history)
        {
            CardFeatureExtractor.ExtractAndUpdate(ref cards.GetOrAdd(t.CardId), t, expected);
        }
        Assert.Equal(3, table.RowCount);
        Assert.Equal(3, builder.TransactionCount);
        Assert.Equal([false, false, true], table.Labels);
        Assert.Equal(expected, table.Row(2).ToArray());
        Assert.Equal(MathF.Log(3f), table.Row(2)[Index("card_tx_count_log")], 5); // two earlier transactions
        Assert.Equal(1f, table.Row(2)[Index("country_changed")]);
        Assert.Equal(1f, table.Row(2)[Index("new_country")]);
    }

    [Fact]
    public void No_row_reads_its_own_fraud_report_nor_one_received_after_its_day_less_the_lag()
    {
        // One merchant, one transaction an hour for ten days, every one reported as fraud six hours after it. A row at
        // time t may only count the reports received on days that ended at least 3 hours before t (the lag): never its
        // own, never a later one.
        var spec = FeatureSpec.CardEntityV1;
        var builder = new FeatureTableBuilder(spec, maturityTicks: 0);
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var reports = new List<DateTimeOffset>();
        for (var i = 0; i < 240; i++)
        {
            var t = Tx($"t{i:D3}", 0) with { EventTime = start.AddHours(i), CardId = $"c{i % 7}" };
            builder.Add(HistoryRow.Of(t, isFraud: true, labelledAt: t.EventTime.AddHours(6)));
            reports.Add(t.EventTime.AddHours(6));
        }
        var table = builder.Build();
        Assert.Equal(240, table.RowCount);
        var names = spec.Names.ToList();
        var reports7 = names.IndexOf("merchant_fraud_reports_7d");
        var count1 = names.IndexOf("merchant_tx_count_1d_log");
        var readDayOne = 0;
        for (var i = 0; i < table.RowCount; i++)
        {
            var t = table.EventTimes[i];
            // The newest day read: the day before the one holding t - 3 h; its end is at or before t - 3 h.
            var newest = start.AddDays(Math.Floor((t.AddHours(-3) - start).TotalDays));
            Assert.True(newest <= t.AddHours(-3));
            var expected = reports.Count(r => r < newest && r >= newest.AddDays(-7));
            Assert.Equal(expected, table.Row(i)[reports7]);
            Assert.True(reports.Count(r => r < newest) < i + 1, "a row read its own report");
            Assert.Equal(newest > start ? DeterministicMath.Log1P(24) : 0f, table.Row(i)[count1]);
            readDayOne += (t - start).TotalHours is >= 27 and < 48 ? 1 : 0;
        }
        Assert.Equal(21, readDayOne); // from 03:00 on day 1, its rows already read day 0
        Assert.Contains(table.Row(table.RowCount - 1)[reports7], new[] { 24f * 7 - 6, 24f * 7 });
    }

    [Fact]
    public void Silence_counts_as_genuine_only_after_the_maturity_window()
    {
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var builder = new FeatureTableBuilder(FeatureSpec.CardV1, maturityTicks: TimeSpan.FromDays(30).Ticks);
        for (var day = 0; day < 60; day++)
        {
            var t = Tx($"t{day:D2}", 0) with { EventTime = start.AddDays(day) };
            // Every fifth transaction is reported as fraud ten days later; the rest never get a label.
            builder.Add(day % 5 == 0 ? HistoryRow.Of(t, true, t.EventTime.AddDays(10)) : HistoryRow.Of(t, null));
        }
        var table = builder.Build();

        // As of day 65 (the newest report the history holds): days 0-35 are mature (genuine unless reported); days
        // 36-59 are not trained on, not even those already reported (their genuine siblings are not known yet).
        Assert.Equal(start.AddDays(65), builder.AsOf);
        var rows = Enumerable.Range(0, 36).ToList();
        var frauds = rows.Where(d => d % 5 == 0).ToList();
        Assert.Equal(rows.Select(d => start.AddDays(d)), table.EventTimes);
        Assert.Equal(rows.Select(d => frauds.Contains(d)), table.Labels);
        Assert.Equal(60 - rows.Count, builder.UnmaturedCount);
    }

    [Fact]
    public void Training_as_of_reads_only_earlier_transactions_and_labels_received_by_then()
    {
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var asOf = start.AddDays(40);
        var builder = new FeatureTableBuilder(FeatureSpec.CardV1, asOf.UtcTicks, TimeSpan.FromDays(10).Ticks);
        for (var day = 0; day < 60 && !builder.ReachedAsOf; day++)
        {
            var t = Tx($"t{day:D2}", 0) with { EventTime = start.AddDays(day) };
            // Reported twenty days later.
            builder.Add(day % 4 == 0 ? HistoryRow.Of(t, true, t.EventTime.AddDays(20)) : HistoryRow.Of(t, null));
        }
        var table = builder.Build();

        Assert.True(builder.ReachedAsOf);
        Assert.Equal(40, builder.TransactionCount);
        Assert.Equal(asOf, builder.AsOf);
        // Days 0-30 are mature; those reported by day 40 (0, 4, ..., 20) are fraud. Days 24 and 28 are reported only on
        // days 44 and 48: as of day 40 nobody knew, so they train as genuine, as they would have then.
        var frauds = new[] { 0, 4, 8, 12, 16, 20 };
        var rows = Enumerable.Range(0, 31).ToList();
        Assert.Equal(rows.Select(d => start.AddDays(d)), table.EventTimes);
        Assert.Equal(rows.Select(d => frauds.Contains(d)), table.Labels);
    }

    [Fact]
    public void History_out_of_event_time_order_is_refused()
    {
        var builder = new FeatureTableBuilder(FeatureSpec.CardV1);
        builder.Add(HistoryRow.Of(Tx("b", 5), false));
        var ex = Assert.Throws<InvalidDataException>(() => builder.Add(HistoryRow.Of(Tx("a", 1), false)));
        Assert.Contains("event-time order", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_keep_their_order_and_values_across_the_builders_chunks()
    {
        // More rows than one chunk (65,536) holds; every second transaction unlabelled (so genuine: the window is 0).
        var (transactions, _) = SyntheticHistory.Generate(seed: 5, cards: 2000, transactionsPerCard: 70);
        var sorted = transactions.OrderBy(t => t, Comparer<Transaction>.Create(HistoryOrder.Compare)).ToList();
        var builder = new FeatureTableBuilder(FeatureSpec.CardV1, maturityTicks: 0);
        var reference = new PointInTimeFeatures(FeatureSpec.CardV1);
        var expected = new List<(string Id, bool Label, float[] Features)>();
        for (var i = 0; i < sorted.Count; i++)
        {
            bool? label = i % 2 == 0 ? i % 3 == 0 : null;
            builder.Add(HistoryRow.Of(sorted[i], label));
            expected.Add((sorted[i].TransactionId, label ?? false, reference.Next(sorted[i]).ToArray()));
        }

        var table = builder.Build();

        Assert.True(table.RowCount > 65_536, $"only {table.RowCount} rows");
        Assert.Equal(expected.Count, table.RowCount);
        Assert.Equal(expected.Select(e => e.Id), table.TransactionIds);
        Assert.Equal(expected.Select(e => e.Label), table.Labels);
        Assert.Equal(expected.SelectMany(e => e.Features).Select(BitConverter.SingleToInt32Bits), table.Features.Select(BitConverter.SingleToInt32Bits));
    }
}
