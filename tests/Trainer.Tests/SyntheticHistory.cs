using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Trainer.Tests;

/// <summary>
/// A small labelled world: cards with a home country, a device and a typical amount; fraud is a burst of large
/// online purchases from another country, mostly on a new device. Some legitimate travel, big purchases, new phones
/// and fraud from the card's own (compromised) device blur it, so no single feature separates the classes.
/// About a quarter of the transactions carry no label, as in real history.
/// </summary>
internal static class SyntheticHistory
{
    private static readonly string[] Countries = ["DE", "FR", "NL", "GB", "US", "ES", "IT", "PL"];

    public static (List<Transaction> Transactions, List<Label> Labels) Generate(int seed, int cards, int transactionsPerCard)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var transactions = new List<Transaction>();
        var labels = new List<Label>();
        var id = 0;
        for (var c = 0; c < cards; c++)
        {
            var card = $"card-{c:D5}";
            var home = Countries[random.Next(Countries.Length)];
            var device = $"dev-{c}";
            var typical = 10 + (random.NextDouble() * 90);
            var time = start.AddMinutes(random.Next(0, 60 * 24 * 3));
            var count = transactionsPerCard + random.Next(-3, 4);
            for (var i = 0; i < count; i++)
            {
                time = time.AddMinutes(30 + (random.NextDouble() * 60 * 36));
                var fraud = i >= 3 && random.NextDouble() < 0.04;
                var travel = !fraud && random.NextDouble() < 0.05;
                var splurge = !fraud && random.NextDouble() < 0.03;
                var amount = fraud ? typical * (4 + (random.NextDouble() * 10))
                    : splurge ? typical * (3 + (random.NextDouble() * 5))
                    : typical * (0.5 + random.NextDouble());
                var newPhone = !fraud && random.NextDouble() < 0.05;
                var ownDevice = fraud && random.NextDouble() < 0.3;
                var country = fraud || travel ? Countries[(Array.IndexOf(Countries, home) + 1 + random.Next(Countries.Length - 1)) % Countries.Length] : home;
                var t = new Transaction
                {
                    TransactionId = $"tx-{id++:D7}",
                    EventTime = time,
                    CardId = card,
                    MerchantId = $"m-{random.Next(fraud ? 5000 : 200)}",
                    MerchantCategory = "5411",
                    Amount = Math.Round(amount, 2),
                    Currency = "EUR",
                    Country = country,
                    Channel = fraud || random.NextDouble() < 0.3 ? "online" : "pos",
                    DeviceId = fraud && !ownDevice ? $"dev-x{random.Next(100000)}" : newPhone ? $"dev-{c}-{i}" : device,
                };
                transactions.Add(t);
                if (random.NextDouble() < 0.75 || fraud && random.NextDouble() < 0.9)
                {
                    labels.Add(new Label
                    {
                        TransactionId = t.TransactionId,
                        CardId = card,
                        IsFraud = fraud,
                        LabelledAt = time.AddDays(fraud ? 20 : 30),
                        Source = fraud ? "chargeback" : "settled",
                    });
                }
            }
        }
        return (transactions, labels);
    }

    /// <summary>The labelled rows of a generated history through the real feature pipeline, in history order.</summary>
    public static Training.FeatureTable Table(int seed, int cards, int transactionsPerCard)
    {
        var (transactions, labels) = Generate(seed, cards, transactionsPerCard);
        var labelOf = labels.ToDictionary(l => l.TransactionId);
        var builder = new Training.FeatureTableBuilder(Shared.Features.FeatureSpec.CardV1);
        foreach (var t in transactions.OrderBy(t => t, Comparer<Transaction>.Create(History.HistoryOrder.Compare)))
        {
            builder.Add(labelOf.TryGetValue(t.TransactionId, out var l) ? History.HistoryRow.Of(t, l.IsFraud, l.LabelledAt) : History.HistoryRow.Of(t, null));
        }
        return builder.Build();
    }

    public static void WriteJsonl(string transactionsPath, string labelsPath, IEnumerable<Transaction> transactions, IEnumerable<Label> labels)
    {
        File.WriteAllLines(transactionsPath, transactions.Select(t => System.Text.Encoding.UTF8.GetString(ContractJson.Serialize(t))));
        File.WriteAllLines(labelsPath, labels.Select(l => System.Text.Encoding.UTF8.GetString(ContractJson.Serialize(l))));
    }
}
