namespace Fraud.Streaming.Shared.Kafka;

/// <summary>Header names on <c>fraud.transactions.dlq</c> messages. Consumers of the DLQ depend on them.</summary>
public static class DlqHeaders
{
    /// <summary>The reject code (<c>bad_json</c>, <c>invalid_amount</c>, ...).</summary>
    public const string Reason = "dlq.reason";
    /// <summary>Human-readable detail of the failure.</summary>
    public const string Detail = "dlq.detail";
    /// <summary>Topic, partition and offset of the original message: <c>topic/partition/offset</c>.</summary>
    public const string Source = "dlq.source";
    /// <summary><c>true</c> on a stub: the original was too large to copy, so the message has no value (read it at <see cref="Source"/>).</summary>
    public const string Stub = "dlq.stub";
    /// <summary>On a stub: the original value's size in bytes.</summary>
    public const string Size = "dlq.size";
    /// <summary>On a stub: how many of the original's headers did not fit and were left out.</summary>
    public const string HeadersDropped = "dlq.headers_dropped";
}
