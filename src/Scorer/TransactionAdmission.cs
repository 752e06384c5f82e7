using System.Globalization;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// Decides whether a message of the transactions topic is scored: the contract as every consumer applies it
/// (<see cref="MessageContract"/>: event times judged against the message's Kafka timestamp, and the key must be the card
/// id, or the card's state would live in two partitions), then its id (a duplicate of one admitted earlier at another offset of the partition). Scoring and state restore
/// both ask here, so a replay decides exactly as the first read did. Allocates nothing for an admitted message of the
/// common shape: its fields keep the texts the reader's caches hold and the id's bytes in the message's value.
/// </summary>
internal sealed class TransactionAdmission(ValidationOptions validation)
{
    public bool TryAdmit(ConsumeResult<byte[], byte[]> result, RecentTransactionIds ids, out TransactionFields transaction, out RejectReason reason)
    {
        if (!MessageContract.TryTransactionFields(result.Message, validation, out transaction, out reason))
        {
            return false;
        }
        if (!ids.TryAdmit(transaction.TransactionId.Of64, result.Offset.Value, out var first))
        {
            reason = new RejectReason(RejectCode.DuplicateTransactionId, string.Create(CultureInfo.InvariantCulture,
                $"transaction_id {transaction.TransactionId.Text} was first read at offset {first} of this partition"));
            transaction = default;
            return false;
        }
        return true;
    }
}
