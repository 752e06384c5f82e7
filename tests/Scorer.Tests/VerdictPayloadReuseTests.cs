using System.Text;
using Confluent.Kafka;
using Fraud.Streaming.Testing;

namespace Fraud.Streaming.Scorer.Tests;

/// <summary>
/// The verdict publisher refills one message and reuses each payload array for the next verdict of its length
/// (<see cref="VerdictJson"/>): safe only while the Kafka client copies a payload before <c>Produce</c> returns. Held
/// here against the client and broker the scorer runs with.
/// </summary>
public sealed class VerdictPayloadReuseTests
{
    [KafkaFact]
    public async Task A_payload_and_message_refilled_after_produce_arrive_as_they_were_when_produced()
    {
        var bootstrap = TestEnvironment.KafkaBootstrap!;
        var topic = new KafkaTestTopics("payload-reuse").Name("verdicts");
        await KafkaTestTopics.EnsureCreatedAsync(bootstrap, topic);
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 50 }).Build();
        var deliveries = new DeliveryTracker();
        var message = new Message<byte[], byte[]>();
        var payload = new byte[12];
        const int count = 200;
        for (var i = 0; i < count; i++)
        {
            Encoding.ASCII.GetBytes($"verdict-{i:D4}", payload);
            message.Key = Encoding.ASCII.GetBytes($"card-{i % 7}");
            message.Value = payload;
            deliveries.Produce(producer, topic, message);
            // Overwritten at once, long before the batch lingers out to the broker.
            Array.Fill(payload, (byte)'x');
        }
        Assert.True(deliveries.WaitAll(TimeSpan.FromSeconds(30)));

        var read = TopicReader.ReadAll(bootstrap, topic, count, TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"verdict-{i:D4}"), read.Select(r => Encoding.ASCII.GetString(r.Message.Value)).Order());
    }
}
