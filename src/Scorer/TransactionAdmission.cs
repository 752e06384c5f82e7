using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// Decides whether a message of the transactions topic is scored: the contract (with event times judged against the
/// message's Kafka timestamp), then its key (it must be the card id, or the card's state would live in two partitions),
/// then its id (a duplicate of one admitted earlier at another offset of the partition). Scoring and state restore
/// both ask here, so a replay decides exactly as the first read did. Allocates nothing for an admitted message beyond
/// what parsing it does.
/// </summary>
internal sealed class TransactionAdmission(ValidationOptions validation)
{
    public bool TryAdmit(ConsumeResult<byte[], byte[]> result, RecentTransactionIds ids, [NotNullWhen(true)] out Transaction? transaction, out RejectReason reason)
    {
        var message = result.Message;
        var reference = message.Timestamp.Type == TimestampType.NotAvailable
            ? DateTimeOffset.UtcNow
            : DateTimeOffset.FromUnixTimeMilliseconds(message.Timestamp.UnixTimestampMs);
        if (!TransactionValidator.TryParse(message.Value, validation.WindowAt(reference), out transaction, out reason))
        {
            return false;
        }
        if (!TransactionValidator.KeyIsCard(message.Key, transaction.CardId))
        {
            reason = TransactionValidator.KeyMismatch(message.Key);
            transaction = null;
            return false;
        }
        if (!ids.TryAdmit(transaction.TransactionId, result.Offset.Value, out var first))
        {
            reason = new RejectReason(RejectCode.DuplicateTransactionId, string.Create(CultureInfo.InvariantCulture,
                $"transaction_id {transaction.TransactionId} was first read at offset {first} of this partition"));
            transaction = null;
            return false;
        }
        return true;
    }
}
