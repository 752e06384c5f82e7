namespace Fraud.Streaming.Producer.Malformed;

/// <summary>The kinds of bad input the producer can inject, each meant to hit one reject reason downstream.</summary>
internal enum MalformedKind
{
    BadJson,
    MissingTransactionId,
    NegativeAmount,
    HugeAmount,
    NaNAmount,
    UnparseableEventTime,
    UnsupportedSchemaVersion,
}
