using Fraud.Streaming.Testing;
using Xunit.Abstractions;

using static Fraud.Streaming.EndToEnd.Tests.EndToEndSteps;

namespace Fraud.Streaming.EndToEnd.Tests;

/// <summary>
/// One trace per transaction across the processes of a run, exported over OTLP as configured by the standard
/// <c>OTEL_*</c> variables: the producer's publish span, the scorer's verdict publish span (its child), Monitoring's
/// process spans that end when the history rows are in Postgres (children of the publish spans they continue), and the
/// scorer's micro-batch span linked to the transactions it scored.
/// </summary>
public sealed class TracingAcrossServicesTests(ITestOutputHelper output)
{
    private const int SpanKindProducer = 4;
    private const int SpanKindConsumer = 5;
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(120);

    [StackFact]
    public async Task Each_transaction_is_one_trace_from_publish_through_its_verdict_to_its_history_rows()
    {
        await using var db = await PostgresTestDatabase.CreateAsync();
        var bootstrap = await KafkaServer.GetBootstrapServersAsync();
        var topics = new KafkaTestTopics("trace");
        using var work = new TempDirectory();
        var (kafka, env) = await StackEnvironmentAsync(bootstrap, topics, db.ConnectionString, work.Path);
        using var collector = new OtlpTraceReceiver();
        foreach (var (key, value) in collector.Environment())
        {
            env[key] = value;
        }
        var model = Path.Combine(work.Path, "model");
        TestModels.WritePackage(model, "v-trace", seed: 1);
        env["Scorer__InitialModel"] = model;
        // No aggregator here: the verdicts say no entity day was read, which does not matter to the trace.
        env["Scorer__EntityMaxWaitMs"] = "0";

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await using var monitoring = await StartServiceAsync(http, "Monitoring", "/readyz", env, Step);
        var scorerUrl = $"http://127.0.0.1:{Ports.Free()}";
        await using var scorer = ProcessRunner.StartDotnet(Dll("Scorer"), ["run", "--urls", scorerUrl], env);
        await WaitUntilAsync(async () => await IsOk(http, $"{scorerUrl}/readyz"), Step, scorer, "scorer ready");

        const int count = 200;
        await RunToEndAsync(output, Dll("Producer"), ["synthetic", "--count", $"{count}", "--cards", "40", "--seed", "5", "--rate", "0",
            "--label-delay-seconds", "0", "--labels", "all"], env, Step);
        await WaitUntilAsync(async () => await CountAsync(db.ConnectionString, "verdicts") == count, Step, scorer, $"{count} verdicts in Postgres");
        await WaitUntilAsync(() => Task.FromResult(collector.Spans.Count(s => s.Name == $"{kafka.VerdictsTopic} process") >= count),
            Step, monitoring, $"Monitoring's spans of {count} verdict rows");
        Assert.Equal(0, await scorer.StopAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, await monitoring.StopAsync(TimeSpan.FromSeconds(30)));

        var spans = collector.Spans.ToList();
        var published = spans.Where(s => s.Name == $"{kafka.TransactionsTopic} publish").ToDictionary(s => s.SpanId);
        Assert.Equal(count, published.Count);
        Assert.All(published.Values, s =>
        {
            Assert.Equal(("fraud-producer", SpanKindProducer, ""), (s.Service, s.Kind, s.ParentSpanId));
            Assert.Equal("kafka", s.Attributes["messaging.system"]);
        });

        // The scorer's verdict span is the child of its transaction's publish span, in the same trace.
        var verdictSpans = spans.Where(s => s.Name == $"{kafka.VerdictsTopic} publish").ToList();
        Assert.Equal(count, verdictSpans.Count);
        var batches = spans.Where(s => s.Name == $"{kafka.TransactionsTopic} process" && s.Service == "fraud-scorer").ToDictionary(s => s.SpanId);
        Assert.NotEmpty(batches);
        // Each batch is a trace of its own, even where batches overlap (one awaits its commit while the next is scored).
        Assert.All(batches.Values, b => Assert.Equal("", b.ParentSpanId));
        foreach (var verdict in verdictSpans)
        {
            Assert.Equal("fraud-scorer", verdict.Service);
            Assert.Equal(SpanKindProducer, verdict.Kind);
            Assert.True(published.TryGetValue(verdict.ParentSpanId, out var parent), $"verdict span {verdict.SpanId} has no recorded parent");
            Assert.Equal(parent.TraceId, verdict.TraceId);
            // ...and links to the batch that scored it, whose span links back to the transactions' publish spans.
            var batch = batches[Assert.Single(verdict.Links).SpanId];
            Assert.Equal("process", batch.Attributes["messaging.operation.type"]);
            Assert.All(batch.Links, link => Assert.True(published.ContainsKey(link.SpanId)));
        }
        Assert.Equal(count, batches.Values.Sum(b => int.Parse(b.Attributes["messaging.batch.message_count"], System.Globalization.CultureInfo.InvariantCulture)));

        // Monitoring continues both: the transaction's row and the verdict's row, each a child span in the same trace.
        var history = spans.Where(s => s.Service == "fraud-monitoring").ToList();
        var verdictRows = history.Where(s => s.Name == $"{kafka.VerdictsTopic} process").ToDictionary(s => s.ParentSpanId);
        var transactionRows = history.Where(s => s.Name == $"{kafka.TransactionsTopic} process").ToDictionary(s => s.ParentSpanId);
        foreach (var verdict in verdictSpans)
        {
            var row = verdictRows[verdict.SpanId];
            Assert.Equal((verdict.TraceId, SpanKindConsumer, "verdicts"), (row.TraceId, row.Kind, row.Attributes["db.collection.name"]));
            var transactionRow = transactionRows[verdict.ParentSpanId];
            Assert.Equal((verdict.TraceId, "transactions"), (transactionRow.TraceId, transactionRow.Attributes["db.collection.name"]));
            Assert.Equal(row.Attributes["fraud.transaction_id"], transactionRow.Attributes["fraud.transaction_id"]);
        }
        var traced = verdictRows.Values.Select(r => r.Attributes["fraud.transaction_id"]).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(count, traced.Count);
        Assert.Equal(count, await ScalarAsync<long>(db.ConnectionString,
            $"select count(*) from verdicts where transaction_id in ({string.Join(',', traced.Select(id => $"'{id}'"))})"));
        output.WriteLine($"{spans.Count} spans: {published.Count} transactions, {batches.Count} scorer batches, {history.Count} history spans");
    }
}
