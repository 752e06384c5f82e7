using System.Diagnostics;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Telemetry;

namespace Fraud.Streaming.Monitoring.History;

/// <summary>
/// Monitoring's spans: for each message published in a sampled trace, a <c>{topic} process</c> span, the child of the
/// message's publish span, from when it was read until its history row was committed (or dead-lettered, an error
/// span saying why). So a transaction's trace ends in its history rows: its own and its verdict's. Messages without
/// a sampled context, and every message while tracing is off (<see cref="Tracing"/>), cost one listener check.
/// </summary>
internal sealed class HistoryTracing(string consumerGroup)
{
    public static readonly ActivitySource Source = new("Fraud.Streaming.Monitoring");

    /// <summary>Remembers, in the batch the message joins, the context it was published in, when that was sampled.</summary>
    public static void Arrived(ConsumeResult<byte[], byte[]> result, HistoryMessage message, HistoryBatch batch)
    {
        if (!Source.HasListeners())
        {
            return;
        }
        var context = KafkaTraceContext.Extract(result.Message.Headers);
        if (KafkaTraceContext.IsSampled(context))
        {
            batch.Traced.Add(new TracedMessage(context, message, DateTimeOffset.UtcNow));
        }
    }

    /// <summary>Records the process span of each traced message of a batch that is now in Postgres.</summary>
    public void Written(HistoryBatch batch, IReadOnlyList<DeadLetter> deadLetters)
    {
        foreach (var traced in batch.Traced)
        {
            var source = traced.Message.Source;
            using var span = MessagingSpans.StartProcess(Source, source.Topic, consumerGroup, traced.Context, startTime: traced.ReadAt)
                .SetPosition(source.Partition, source.Offset);
            if (span is null)
            {
                continue;
            }
            span.SetTag("db.system.name", "postgresql").SetTag("db.collection.name", TableOf(traced.Message));
            var id = traced.Message.Transaction?.TransactionId ?? traced.Message.Verdict?.TransactionId ?? traced.Message.Label?.TransactionId;
            if (id is not null)
            {
                span.SetTag("fraud.transaction_id", id);
            }
            var dead = traced.Message.Refused ?? deadLetters.FirstOrDefault(d => d.Source == source);
            if (dead is not null)
            {
                span.SetStatus(ActivityStatusCode.Error, $"dead-lettered: {dead.Reason}");
            }
        }
    }

    private static string TableOf(HistoryMessage message) =>
        message.Refused is not null ? "dead_letters"
        : message.Transaction is not null ? "transactions"
        : message.Verdict is not null ? "verdicts"
        : "labels";
}

/// <summary>A consumed message published in a sampled trace: its context, and when it was read.</summary>
internal readonly record struct TracedMessage(ActivityContext Context, HistoryMessage Message, DateTimeOffset ReadAt);
