using System.Diagnostics;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Fraud.Streaming.Scorer.Tests;

public sealed class BatchTracingTests
{
    [Fact]
    public void A_traced_transaction_gets_a_verdict_span_in_its_own_trace_and_the_batch_span_links_to_it_untraced_ones_cost_nothing()
    {
        // Topic names of this test alone: other tests may record spans through the same source meanwhile.
        var run = Guid.NewGuid().ToString("N")[..8];
        var (transactions, verdicts) = ($"tx-{run}", $"verdicts-{run}");
        var spans = new List<Activity>();
        using var provider = Sdk.CreateTracerProviderBuilder().AddSource(BatchTracing.Source.Name).AddInMemoryExporter(spans).Build();
        var sampled = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var unsampled = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None);

        var tracing = new BatchTracing(4, transactions, verdicts, "scorer-group");
        tracing.BatchStarted();
        tracing.Arrived(0, With(sampled));
        tracing.Arrived(1, With(unsampled));
        tracing.Arrived(2, null);
        tracing.StartProcess(3, "v7");
        var headers = new[] { tracing.VerdictHeaders(0, Fields("t0")), tracing.VerdictHeaders(1, Fields("t1")), tracing.VerdictHeaders(2, Fields("t2")) };
        tracing.EndProcess(3);
        provider.ForceFlush();

        var batch = Assert.Single(spans, s => s.DisplayName == $"{transactions} process");
        Assert.Equal(ActivityKind.Consumer, batch.Kind);
        Assert.Equal(default, batch.ParentSpanId);
        Assert.Equal(sampled.SpanId, Assert.Single(batch.Links).Context.SpanId);
        Assert.Equal(3, batch.GetTagItem("messaging.batch.message_count"));
        Assert.Equal("scorer-group", batch.GetTagItem("messaging.consumer.group.name"));

        var verdict = Assert.Single(spans, s => s.DisplayName == $"{verdicts} publish");
        Assert.Equal((sampled.TraceId, sampled.SpanId, ActivityKind.Producer), (verdict.TraceId, verdict.ParentSpanId, verdict.Kind));
        Assert.Equal(batch.SpanId, Assert.Single(verdict.Links).Context.SpanId);
        Assert.Equal("t0", verdict.GetTagItem("fraud.transaction_id"));
        Assert.Equal(verdict.SpanId, KafkaTraceContext.Extract(headers[0]).SpanId);
        // Transactions published outside a sampled trace: no span, no header.
        Assert.Null(headers[1]);
        Assert.Null(headers[2]);
    }

    [Fact]
    public void Overlapping_batches_each_start_a_trace_of_their_own_and_leave_no_span_current()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var (transactions, verdicts) = ($"tx-{run}", $"verdicts-{run}");
        var spans = new List<Activity>();
        using var provider = Sdk.CreateTracerProviderBuilder().AddSource(BatchTracing.Source.Name).AddInMemoryExporter(spans).Build();
        var sampled = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var (first, second) = (new BatchTracing(1, transactions, verdicts, "g"), new BatchTracing(1, transactions, verdicts, "g"));

        // The scoring loop starts the next batch's span while the batch before still awaits its acknowledgements.
        foreach (var tracing in new[] { first, second })
        {
            tracing.BatchStarted();
            tracing.Arrived(0, With(sampled));
            tracing.StartProcess(1, "v1");
            Assert.Null(Activity.Current);
        }
        first.EndProcess(1);
        second.EndProcess(1);
        provider.ForceFlush();

        var batches = spans.Where(s => s.DisplayName == $"{transactions} process").ToList();
        Assert.Equal(2, batches.Count);
        Assert.All(batches, b => Assert.Equal(default, b.ParentSpanId));
        Assert.NotEqual(batches[0].TraceId, batches[1].TraceId);
    }

    private static TransactionFields Fields(string id) => TransactionFields.Of(Testing.TestData.Transactions(1)[0] with { TransactionId = id });

    private static Headers With(ActivityContext context)
    {
        var headers = new Headers();
        KafkaTraceContext.Inject(context, headers);
        return headers;
    }
}
