using System.Diagnostics.CodeAnalysis;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Shared.Kafka;

/// <summary>
/// The contract as every consumer applies it to a Kafka message: the shared validators with times judged against the
/// message's own timestamp (so a replay decides exactly as the first read did), and transactions keyed by their card.
/// The scorer, Monitoring and the aggregator all ask here, so what one refuses, none counts.
/// </summary>
public static class MessageContract
{
    /// <summary>The window a message's times must lie in: its Kafka timestamp (the wall clock where it has none) plus the skew.</summary>
    public static EventTimeWindow WindowOf(Message<byte[], byte[]> message, ValidationOptions validation)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(validation);
        var reference = message.Timestamp.Type == TimestampType.NotAvailable
            ? DateTimeOffset.UtcNow
            : DateTimeOffset.FromUnixTimeMilliseconds(message.Timestamp.UnixTimestampMs);
        return validation.WindowAt(reference);
    }

    /// <summary>A valid transaction keyed by its card id, or the reason it is not one.</summary>
    public static bool TryTransaction(Message<byte[], byte[]> message, ValidationOptions validation, [NotNullWhen(true)] out Transaction? transaction, out RejectReason reason)
    {
        if (TransactionValidator.TryParse(message.Value, WindowOf(message, validation), out transaction, out reason)
            && KeyedByCard(message, transaction.CardId, out reason))
        {
            return true;
        }
        transaction = null;
        return false;
    }

    /// <summary>
    /// As <see cref="TryTransaction(Message{byte[], byte[]}, ValidationOptions, out Transaction?, out RejectReason)"/>, into
    /// fields that keep plain identifiers in the message's value (<see cref="TransactionValidator.TryParseFields"/>).
    /// </summary>
    public static bool TryTransactionFields(Message<byte[], byte[]> message, ValidationOptions validation, out TransactionFields transaction, out RejectReason reason)
    {
        if (TransactionValidator.TryParseFields(message.Value, WindowOf(message, validation), out transaction, out reason)
            && KeyedByCard(message, transaction.CardId, out reason))
        {
            return true;
        }
        transaction = default;
        return false;
    }

    /// <summary>Whether the message is keyed by the transaction's card (a string converts), or the reason it is not.</summary>
    private static bool KeyedByCard(Message<byte[], byte[]> message, in TransactionText cardId, out RejectReason reason)
    {
        var keyIsCard = TransactionValidator.KeyIsCard(message.Key, cardId);
        reason = keyIsCard ? default : TransactionValidator.KeyMismatch(message.Key);
        return keyIsCard;
    }

    /// <summary>A valid label, or the reason it is not one.</summary>
    public static bool TryLabel(Message<byte[], byte[]> message, ValidationOptions validation, [NotNullWhen(true)] out Label? label, out RejectReason reason) =>
        LabelValidator.TryParse(message.Value, WindowOf(message, validation), out label, out reason);
}
