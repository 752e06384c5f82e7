using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Features.Entities;

namespace Fraud.Streaming.Testing;

/// <summary>Entity tables for tests that drive a the scorer directly.</summary>
public static class TestEntities
{
    /// <summary>
    /// The totals of the whole history, as an aggregator that closed every day would publish them: each distinct
    /// transaction once, with its earliest fraud report from <paramref name="reports"/> (transaction id → Unix ms).
    /// </summary>
    public static EntityTable Complete(IEnumerable<Transaction> transactions, IReadOnlyDictionary<string, long>? reports = null, FeatureSpec? spec = null)
    {
        spec ??= FeatureSpec.CardEntityV1;
        var table = spec.NewEntityTable();
        foreach (var t in transactions.DistinctBy(t => t.TransactionId))
        {
            table.AddHistory(FeatureInput.Of(t), reports is not null && reports.TryGetValue(t.TransactionId, out var ms) ? ms : long.MaxValue, spec.ReportHorizonDays);
        }
        return table;
    }

    /// <summary>Fraud reports for about a third of the transactions, 1-10 days after each: the labels and the earliest report per id.</summary>
    public static (List<Label> Labels, Dictionary<string, long> Reports) Reports(IEnumerable<Transaction> transactions, int seed)
    {
        var random = new Random(seed);
        var labels = new List<Label>();
        foreach (var t in transactions)
        {
            if (random.Next(3) != 0)
            {
                continue;
            }
            labels.Add(new Label
            {
                TransactionId = t.TransactionId,
                CardId = t.CardId,
                IsFraud = true,
                LabelledAt = t.EventTime.AddHours(24 + random.Next(9 * 24)),
                Source = "chargeback",
            });
        }
        var reports = labels.GroupBy(l => l.TransactionId).ToDictionary(g => g.Key, g => g.Min(l => l.LabelledAt.ToUnixTimeMilliseconds()), StringComparer.Ordinal);
        return (labels, reports);
    }
}
