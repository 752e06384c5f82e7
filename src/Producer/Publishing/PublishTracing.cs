using System.Diagnostics;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Telemetry;

namespace Fraud.Streaming.Producer.Publishing;

/// <summary>
/// The producer's spans: one <c>{topic} publish</c> span per message, whose context the message carries in its headers
/// (standard W3C propagation), so the scorer's and Monitoring's spans join a trace that was recorded. With tracing
/// off (<see cref="Tracing"/>) messages carry no trace headers at all.
/// </summary>
internal static class PublishTracing
{
    public static readonly ActivitySource Source = new("Fraud.Streaming.Producer");

    /// <summary>
    /// Records the publish span of one message to <paramref name="topic"/> (it ends as the message is handed to the
    /// client) and returns headers that carry its context; null when no span is recorded.
    /// </summary>
    public static Headers? HeadersFor(string topic, string key)
    {
        if (!Source.HasListeners())
        {
            return null;
        }
        using var span = MessagingSpans.StartPublish(Source, topic)?.SetTag("messaging.kafka.message.key", key);
        return KafkaTraceContext.HeadersFor(span);
    }
}
