using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace Fraud.Streaming.Producer.Publishing;

/// <summary>
/// W3C trace context for each published message. Inside a traced operation the current activity is the parent;
/// otherwise each message starts its own trace, so the scorer's "process" span still has something to join.
/// </summary>
internal static class TraceHeaders
{
    public const string TraceParent = "traceparent";

    public static Headers New()
    {
        var current = Activity.Current;
        var trace = current?.TraceId ?? ActivityTraceId.CreateRandom();
        var parent = current?.SpanId ?? ActivitySpanId.CreateRandom();
        var sampled = current is null || current.Recorded;
        return new Headers { { TraceParent, Encoding.ASCII.GetBytes(Format(trace, parent, sampled)) } };
    }

    public static string Format(ActivityTraceId trace, ActivitySpanId span, bool sampled) =>
        $"00-{trace.ToHexString()}-{span.ToHexString()}-{(sampled ? "01" : "00")}";
}
