using System.Diagnostics;
using System.Text;
using Fraud.Streaming.Testing;
using Confluent.Kafka;
using Fraud.Streaming.Producer.Malformed;
using Fraud.Streaming.Producer.Publishing;
using Fraud.Streaming.DataSets.Synthetic;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;
using Fraud.Streaming.Shared.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Fraud.Streaming.Producer.Tests;

public sealed class KafkaPublisherIntegrationTests
{
    [KafkaFact]
    public async Task Publishes_every_transaction_its_label_and_the_malformed_messages()
    {
        var bootstrap = await KafkaServer.GetBootstrapServersAsync();
        var run = Guid.NewGuid().ToString("N")[..10];
        var kafka = new KafkaOptions { BootstrapServers = bootstrap, TransactionsTopic = $"it-{run}.transactions", LabelsTopic = $"it-{run}.labels" };
        var synthetic = new SyntheticSettings { Count = 2_000, Cards = 100, Merchants = 50, Seed = 5, Labels = LabelMode.All };
        var malformed = MalformedMessageFactory.AllKinds.Length;

        var counters = new KafkaPublisher(kafka, NullLogger.Instance)
            .Run(synthetic, new PublishSettings { Rate = 0, LabelDelay = TimeSpan.FromMilliseconds(200), Malformed = malformed }, CancellationToken.None);

        Assert.Equal("produced transactions=2000 labels=2000 malformed=7 errors=0 undelivered=0", counters.Summary());

        var transactions = new HashSet<string>(StringComparer.Ordinal);
        var labels = new HashSet<string>(StringComparer.Ordinal);
        var rejected = new Dictionary<string, RejectCode>(StringComparer.Ordinal);
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = $"it-{run}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe([kafka.TransactionsTopic, kafka.LabelsTopic]);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && transactions.Count + labels.Count + rejected.Count < 4_000 + malformed)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (r?.Message is null)
            {
                continue;
            }
            if (r.Topic == kafka.LabelsTopic)
            {
                var label = ContractJson.DeserializeLabel(r.Message.Value);
                Assert.Equal(label.CardId, r.Message.Key);
                labels.Add(label.TransactionId);
            }
            else if (TransactionValidator.TryParse(r.Message.Value, out var tx, out var reason))
            {
                Assert.Equal(tx.CardId, r.Message.Key);
                transactions.Add(tx.TransactionId);
            }
            else
            {
                Assert.True(r.Message.Headers.TryGetLastBytes(MalformedHeaders.Id, out var id));
                rejected[Encoding.UTF8.GetString(id)] = reason.Code;
            }
        }
        consumer.Close();

        Assert.Equal(2_000, transactions.Count);
        Assert.True(transactions.SetEquals(labels));
        Assert.Equal(malformed, rejected.Count);
        Assert.Equal(
            MalformedMessageFactory.AllKinds.Select(MalformedMessageFactory.ExpectedCode).Order(),
            rejected.Values.Order());
    }

    [KafkaFact]
    public async Task Compressed_batches_arrive_intact_each_carrying_the_context_of_its_own_recorded_publish_span()
    {
        var bootstrap = await KafkaServer.GetBootstrapServersAsync();
        var run = Guid.NewGuid().ToString("N")[..10];
        var kafka = new KafkaOptions { BootstrapServers = bootstrap, TransactionsTopic = $"it-{run}.transactions", LabelsTopic = $"it-{run}.labels" };
        var spans = new List<Activity>();
        using (Sdk.CreateTracerProviderBuilder().AddSource(PublishTracing.Source.Name).AddInMemoryExporter(spans).Build())
        {
            var counters = new KafkaPublisher(kafka, NullLogger.Instance).Run(
                new SyntheticSettings { Count = 500, Cards = 50, Merchants = 20, Seed = 9, Labels = LabelMode.All },
                new PublishSettings { LabelDelay = TimeSpan.Zero, Compression = CompressionType.Zstd, BatchSize = 16_384 },
                CancellationToken.None);
            Assert.Equal("produced transactions=500 labels=500 malformed=0 errors=0 undelivered=0", counters.Summary());
        }
        // Other tests may publish through the same source meanwhile: only this run's topic counts.
        var published = spans.Where(s => s.DisplayName == $"{kafka.TransactionsTopic} publish").ToDictionary(s => s.SpanId);
        Assert.Equal(500, published.Count);
        Assert.All(published.Values, s =>
        {
            Assert.Equal(ActivityKind.Producer, s.Kind);
            Assert.Equal("kafka", s.GetTagItem("messaging.system"));
            Assert.Equal(kafka.TransactionsTopic, s.GetTagItem("messaging.destination.name"));
        });

        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = $"it-{run}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(kafka.TransactionsTopic);
        var traces = new HashSet<ActivityTraceId>();
        var seen = 0;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && seen < 500)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (r?.Message is null)
            {
                continue;
            }
            seen++;
            Assert.True(TransactionValidator.TryParse(r.Message.Value, out var tx, out _));
            var context = KafkaTraceContext.Extract(r.Message.Headers);
            Assert.True(published.TryGetValue(context.SpanId, out var span), $"{tx.TransactionId}: its traceparent names no recorded span");
            Assert.Equal(span.TraceId, context.TraceId);
            Assert.Equal(tx.CardId, span.GetTagItem("messaging.kafka.message.key"));
            traces.Add(context.TraceId);
        }
        consumer.Close();
        Assert.Equal(500, seen);
        Assert.Equal(500, traces.Count);
    }

    [KafkaFact]
    public async Task A_long_run_stopped_early_still_publishes_every_malformed_message_and_label()
    {
        var bootstrap = await KafkaServer.GetBootstrapServersAsync();
        var run = Guid.NewGuid().ToString("N")[..10];
        var kafka = new KafkaOptions { BootstrapServers = bootstrap, TransactionsTopic = $"it-{run}.transactions", LabelsTopic = $"it-{run}.labels" };
        var synthetic = new SyntheticSettings { Count = 1, Cards = 100, Merchants = 50, Seed = 6, Labels = LabelMode.All };
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        // At 500/s over a planned hour, the 5 malformed messages would be spaced 300k transactions apart.
        var counters = new KafkaPublisher(kafka, NullLogger.Instance).Run(synthetic, new PublishSettings
        {
            Rate = 500,
            Duration = TimeSpan.FromHours(1),
            LabelDelay = TimeSpan.FromMinutes(5),
            Malformed = 5,
        }, stop.Token);

        Assert.Equal(5, counters.Malformed);
        // Stopped early: some of the planned hour (500/s) was published, not all of it.
        Assert.InRange(counters.Transactions, 1, (500 * 3_600) - 1);
        Assert.Equal(counters.Transactions, counters.Labels);
        Assert.Equal(0, counters.Errors);
    }
}
