using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Trainer.History;

/// <summary>One transaction of the history and what its labels say.</summary>
internal readonly record struct HistoryRow(Transaction Transaction, LabelFacts Facts)
{
    /// <summary>A transaction whose one label (when <paramref name="isFraud"/> is not null) was received at <paramref name="labelledAt"/>, by default at its own event time.</summary>
    public static HistoryRow Of(Transaction transaction, bool? isFraud, DateTimeOffset? labelledAt = null) =>
        new(transaction, isFraud is { } fraud ? LabelFacts.None.With(fraud, (labelledAt ?? transaction.EventTime).UtcTicks) : LabelFacts.None);
}
