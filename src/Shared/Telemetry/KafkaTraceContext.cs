using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace Fraud.Streaming.Shared.Telemetry;

/// <summary>
/// W3C trace context (and baggage) in Kafka message headers, through OpenTelemetry's standard propagator: the
/// <c>traceparent</c> a span injects is the span's own, so a consumer's span joins a trace that was recorded.
/// </summary>
public static class KafkaTraceContext
{
    private static readonly TextMapPropagator Propagator = new CompositeTextMapPropagator([new TraceContextPropagator(), new BaggagePropagator()]);

    /// <summary>Writes <paramref name="context"/> into <paramref name="headers"/>, replacing any earlier context.</summary>
    public static void Inject(ActivityContext context, Headers headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        Propagator.Inject(new PropagationContext(context, Baggage.Current), headers, Set);
    }

    /// <summary>New headers that carry <paramref name="span"/>'s context; null without a span (nobody records it).</summary>
    public static Headers? HeadersFor(Activity? span)
    {
        if (span is null)
        {
            return null;
        }
        var headers = new Headers();
        Inject(span.Context, headers);
        return headers;
    }

    /// <summary>A valid context whose trace is recorded (sampled): one a consumer continues with spans of its own.</summary>
    public static bool IsSampled(ActivityContext context) =>
        context != default && (context.TraceFlags & ActivityTraceFlags.Recorded) != 0;

    /// <summary>The context a message was published in; default (not valid) when it carries none or a malformed one.</summary>
    public static ActivityContext Extract(Headers? headers) =>
        headers is null || headers.Count == 0 ? default : Propagator.Extract(default, headers, Get).ActivityContext;

    private static void Set(Headers headers, string key, string value)
    {
        headers.Remove(key);
        headers.Add(key, Encoding.UTF8.GetBytes(value));
    }

    private static IEnumerable<string> Get(Headers headers, string key) =>
        headers.TryGetLastBytes(key, out var value) ? [Encoding.UTF8.GetString(value)] : [];
}
