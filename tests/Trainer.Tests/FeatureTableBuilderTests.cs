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
    public void Unlabelled_transactions_move_card_state_but_are_not_rows()
    {
        var history = new[] { Tx("a", 0), Tx("b", 1), Tx("c", 2, country: "FR", amount: 400) };
        var builder = new FeatureTableBuilder(FeatureSpec.CardV1);
        builder.Add(new HistoryRow(history[0], null));
        builder.Add(new HistoryRow(history[1], null));
        builder.Add(new HistoryRow(history[2], true));
        var table = builder.Build();

        // The same numbers the scorer computes when it sees all three in order.
        var cards = new CardStateStore();
        var expected = new float[FeatureSpec.CardV1.Count];
        foreach (var t in history)
        {
            CardFeatureExtractor.ExtractAndUpdate(ref cards.GetOrAdd(t.CardId), t, expected);
        }
        Assert.Equal(1, table.RowCount);
        Assert.Equal(3, builder.TransactionCount);
        Assert.Equal(expected, table.Row(0).ToArray());
        Assert.Equal(MathF.Log(3f), table.Row(0)[Index("card_tx_count_log")], 5); // two earlier transactions
        Assert.Equal(1f, table.Row(0)[Index("country_changed")]);
        Assert.Equal(1f, table.Row(0)[Index("new_country")]);
    }

    [Fact]
    public void No_training_row_sees_its_own_label_in_the_merchant_table()
    {
        // One merchant: the oldest quarter of its rows are clean, every later row is fraud. The table is frozen
        // from the oldest quarter only, so every training row reads a fraud rate of 0; a table that let a
        // training row's own label in would read more.
        var builder = new FeatureTableBuilder(FeatureSpec.CardMerchantV1, merchantTableFraction: 0.25);
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 100; i++)
        {
            var t = Tx($"t{i:D3}", 0) with { EventTime = start.AddMinutes(i), CardId = $"c{i % 7}" };
            builder.Add(new HistoryRow(t, i >= 25));
        }
        var table = builder.Build();

        var merchants = builder.Merchants!;
        Assert.Equal(25, merchants.SourceRows);
        Assert.Equal(start.AddMinutes(25).ToUnixTimeMilliseconds(), merchants.CutoffMs);
        Assert.Equal(75, table.RowCount);
        Assert.Equal(75, table.FraudCount);
        var rate = FeatureSpec.CardMerchantV1.Names.ToList().IndexOf("merchant_fraud_rate");
        var count = FeatureSpec.CardMerchantV1.Names.ToList().IndexOf("merchant_tx_count_log");
        for (var i = 0; i < table.RowCount; i++)
        {
            Assert.Equal(0f, table.Row(i)[rate]);
            Assert.Equal(DeterministicMath.Log1P(25), table.Row(i)[count]);
        }

        // Read with another model's table (how the champion is compared): only the merchant tail changes.
        var other = new MerchantTable(0, 0, [1f, 2f, 3f, 4f], []);
        var reread = table.WithMerchantFeatures(other);
        var tail = FeatureSpec.CardMerchantV1.Count - MerchantTable.FeatureCount;
        for (var i = 0; i < table.RowCount; i++)
        {
            Assert.Equal(table.Row(i)[..tail].ToArray(), reread.Row(i)[..tail].ToArray());
            Assert.Equal([1f, 2f, 3f, 4f], reread.Row(i)[tail..].ToArray());
        }
        Assert.Equal(0f, table.Row(0)[rate]); // the original is untouched
    }

    [Fact]
    public void History_out_of_event_time_order_is_refused()
    {
        var builder = new FeatureTableBuilder(FeatureSpec.CardV1);
        builder.Add(new HistoryRow(Tx("b", 5), false));
        var ex = Assert.Throws<InvalidDataException>(() => builder.Add(new HistoryRow(Tx("a", 1), false)));
        Assert.Contains("event-time order", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_keep_their_order_and_values_across_the_builders_chunks()
    {
        // More labelled rows than one chunk (65,536) holds, every second transaction unlabelled.
        var (transactions, _) = SyntheticHistory.Generate(seed: 5, cards: 2000, transactionsPerCard: 70);
        var sorted = transactions.OrderBy(t => t, Comparer<Transaction>.Create(HistoryOrder.Compare)).ToList();
        var builder = new FeatureTableBuilder(FeatureSpec.CardV1);
        var reference = new PointInTimeFeatures(FeatureSpec.CardV1);
        var expected = new List<(string Id, bool Label, float[] Features)>();
        for (var i = 0; i < sorted.Count; i++)
        {
            bool? label = i % 2 == 0 ? i % 3 == 0 : null;
            builder.Add(new HistoryRow(sorted[i], label));
            var features = reference.Next(sorted[i]).ToArray();
            if (label is { } l)
            {
                expected.Add((sorted[i].TransactionId, l, features));
            }
        }

        var table = builder.Build();

        Assert.True(table.RowCount > 65_536, $"only {table.RowCount} rows");
        Assert.Equal(expected.Count, table.RowCount);
        Assert.Equal(expected.Select(e => e.Id), table.TransactionIds);
        Assert.Equal(expected.Select(e => e.Label), table.Labels);
        Assert.Equal(expected.SelectMany(e => e.Features).Select(BitConverter.SingleToInt32Bits), table.Features.Select(BitConverter.SingleToInt32Bits));
    }
}
