using Confluent.Kafka;
using Fraud.Streaming.Producer.Publishing;
using Fraud.Streaming.DataSets.Replay;
using Fraud.Streaming.Producer.Replay;
using Fraud.Streaming.DataSets.Synthetic;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;
using Fraud.Streaming.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fraud.Streaming.Producer.Tests;

public sealed class ReplayPublisherIntegrationTests
{
    [KafkaFact]
    public async Task A_replayed_dataset_reaches_kafka_keyed_by_card_with_its_labels()
    {
        var bootstrap = await KafkaServer.GetBootstrapServersAsync();
        var run = Guid.NewGuid().ToString("N")[..10];
        var kafka = new KafkaOptions { BootstrapServers = bootstrap, TransactionsTopic = $"it-{run}.transactions", LabelsTopic = $"it-{run}.labels" };
        var source = new ReplaySource(new ReplaySettings { Format = ReplayFormat.PaySim, Input = Path.Combine(AppContext.BaseDirectory, "Data", "paysim.csv") });

        var (summary, counters) = new ReplayPublisher(kafka, NullLogger.Instance).Run(source, new PublishSettings { LabelDelay = TimeSpan.Zero }, CancellationToken.None);

        Assert.Equal("replayed transactions=3 labels=3 fraud=1 malformed=3", summary.ToString());
        Assert.Equal("produced transactions=3 labels=3 malformed=0 errors=0 undelivered=0", counters.Summary());
        var cards = new List<string>();
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = $"it-{run}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(kafka.TransactionsTopic);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && cards.Count < 3)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (r?.Message is null)
            {
                continue;
            }
            Assert.True(TransactionValidator.TryParse(r.Message.Value, out var tx, out _));
            Assert.Equal(tx.CardId, r.Message.Key);
            cards.Add(tx.CardId);
        }
        consumer.Close();
        Assert.Equal(["C1231006815", "C1305486145", "C905080434"], cards.Order());
    }

    [KafkaFact]
    public async Task With_a_speedup_each_label_waits_its_event_time_delay_divided_by_it()
    {
        var bootstrap = await KafkaServer.GetBootstrapServersAsync();
        var run = Guid.NewGuid().ToString("N")[..10];
        var kafka = new KafkaOptions { BootstrapServers = bootstrap, TransactionsTopic = $"it-{run}.transactions", LabelsTopic = $"it-{run}.labels" };
        // Legitimate labels mature 45 event-days later: at this speed-up, 1.5 wall seconds.
        const double speedup = 45 * 86_400 / 1.5;
        var counters = new KafkaPublisher(kafka, NullLogger.Instance).Run(
            new SyntheticSettings { Count = 200, Cards = 50, Merchants = 20, Seed = 8, MeanGapSeconds = speedup / 1000, Labels = LabelMode.All },
            new PublishSettings { Rate = 1000, Speedup = speedup },
            CancellationToken.None);

        Assert.Equal("produced transactions=200 labels=200 malformed=0 errors=0 undelivered=0", counters.Summary());
        // Each label was produced no earlier than its transaction plus the event-time delay divided by the speed-up
        // (the brokers' create-time stamps, set when each message was produced).
        var producedAt = TopicReader.ReadAll(bootstrap, kafka.TransactionsTopic, 200, TimeSpan.FromSeconds(30))
            .Select(r => (Ms: r.Message.Timestamp.UnixTimestampMs, Tx: Transaction(r.Message.Value)))
            .ToDictionary(p => p.Tx.TransactionId);
        var labels = TopicReader.ReadAll(bootstrap, kafka.LabelsTopic, 200, TimeSpan.FromSeconds(30));
        Assert.Equal(200, labels.Count);
        foreach (var r in labels)
        {
            var label = ContractJson.DeserializeLabel(r.Message.Value);
            var (txMs, tx) = producedAt[label.TransactionId];
            var due = (label.LabelledAt - tx.EventTime).TotalMilliseconds / speedup;
            Assert.True(r.Message.Timestamp.UnixTimestampMs - txMs >= due - 50,
                $"{label.TransactionId}: label produced {r.Message.Timestamp.UnixTimestampMs - txMs} ms after its transaction, due {due:F0} ms after");
        }
    }

    private static Transaction Transaction(byte[] utf8) =>
        TransactionValidator.TryParse(utf8, out var tx, out var reason) ? tx : throw new InvalidDataException(reason.ToString());
}
