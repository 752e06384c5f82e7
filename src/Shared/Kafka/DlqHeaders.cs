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
}
