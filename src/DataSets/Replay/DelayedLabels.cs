using Fraud.Streaming.DataSets.Synthetic;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.DataSets.Replay;

/// <summary>
/// Turns a dataset's fraud flag into a label that arrives as a chargeback would: fraud 1-30 days after the
/// transaction (a stable function of its id, so a replay is repeatable), legitimate ones settled after 45 days.
/// </summary>
public static class DelayedLabels
{
    public static Label For(Transaction transaction, bool isFraud, string source)
    {
        var days = isFraud ? 1 + (int)(Fnv1a(transaction.TransactionId) % 30) : 45;
        return new Label
        {
            TransactionId = transaction.TransactionId,
            CardId = transaction.CardId,
            IsFraud = isFraud,
            LabelledAt = transaction.EventTime.AddDays(days),
            Source = isFraud ? FraudScenarios.ChargebackSource : FraudScenarios.MaturedSource,
            Scenario = isFraud ? source : null,
        };
    }

    /// <summary>FNV-1a over UTF-16 code units: stable across runs and platforms, unlike string.GetHashCode.</summary>
    public static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return hash;
    }
}
