using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Trainer.History;

/// <summary>The one ordering of history: event time, then transaction id by ordinal (Postgres: <c>COLLATE "C"</c>).</summary>
internal static class HistoryOrder
{
    public static int Compare(Transaction a, Transaction b)
    {
        var byTime = a.EventTime.UtcTicks.CompareTo(b.EventTime.UtcTicks);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.TransactionId, b.TransactionId);
    }
}
