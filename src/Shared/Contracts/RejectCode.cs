namespace Fraud.Streaming.Shared.Contracts;

/// <summary>Why a message was refused: a small fixed set, used as a metric label (<see cref="RejectReason.CodeName"/>).</summary>
public enum RejectCode
{
    None,
    EmptyMessage,
    BadJson,
    MissingField,
    InvalidField,
    InvalidAmount,
    InvalidEventTime,
    UnsupportedSchemaVersion,

    /// <summary>Larger than a reader or the broker holds (an over-long line, an oversized message).</summary>
    TooLarge,

    /// <summary>A transaction whose message key is not its <c>card_id</c> (so it sits in another card's partition).</summary>
    KeyMismatch,

    /// <summary>A <c>transaction_id</c> already taken by another message (a replay of the same offset is not one).</summary>
    DuplicateTransactionId,
}
