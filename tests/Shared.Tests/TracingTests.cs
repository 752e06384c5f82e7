using System.Diagnostics;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Telemetry;

namespace Fraud.Streaming.Shared.Tests;

public sealed class TracingTests
{
    [Theory]
    [InlineData(null, null, null, null, false)]
    [InlineData("http://collector:4318", null, null, null, true)]
    [InlineData(null, "http://collector:4318/v1/traces", null, null, true)]
    [InlineData("http://collector:4318", null, "true", null, false)]
    [InlineData("http://collector:4318", null, " TRUE ", null, false)]
    [InlineData("http://collector:4318", null, "false", null, true)]
    [InlineData("http://collector:4318", null, null, "none", false)]
    [InlineData("http://collector:4318", null, null, "otlp", true)]
    [InlineData("  ", null, null, null, false)]
    public void Traces_are_exported_only_when_an_otlp_endpoint_is_set_and_nothing_turns_them_off(
        string? endpoint, string? tracesEndpoint, string? disabled, string? exporter, bool enabled)
    {
        var env = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
            ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = tracesEndpoint,
            ["OTEL_SDK_DISABLED"] = disabled,
            ["OTEL_TRACES_EXPORTER"] = exporter,
        };
        Assert.Equal(enabled, Tracing.IsEnabled(name => env.GetValueOrDefault(name)));
    }

    [Fact]
    public void A_context_injected_into_kafka_headers_is_extracted_whole_and_replaces_an_older_one()
    {
        var older = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None);
        var context = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var headers = new Headers();
        KafkaTraceContext.Inject(older, headers);
        KafkaTraceContext.Inject(context, headers);

        Assert.Single(headers, h => h.Key == "traceparent");
        var extracted = KafkaTraceContext.Extract(headers);
        Assert.Equal((context.TraceId, context.SpanId, context.TraceFlags), (extracted.TraceId, extracted.SpanId, extracted.TraceFlags));
        Assert.True(extracted.IsRemote);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("00-not-a-context-01")]
    [InlineData("00-00000000000000000000000000000000-0000000000000000-01")]
    public void A_message_without_a_valid_context_has_none(string? traceparent)
    {
        var headers = new Headers();
        if (traceparent is not null)
        {
            headers.Add("traceparent", System.Text.Encoding.ASCII.GetBytes(traceparent));
        }
        Assert.Equal(default, KafkaTraceContext.Extract(headers));
        Assert.Equal(default, KafkaTraceContext.Extract(null));
    }
}
