using System.Diagnostics;
using Confluent.Kafka;
using Fraud.Streaming.Producer.Publishing;
using Fraud.Streaming.DataSets.Synthetic;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fraud.Streaming.Producer.Benchmarks;

/// <summary>
/// The producer's publishing path (generate, serialize, trace header, transaction + label, delivery counting)
/// against a bare Confluent.Kafka producer sending the same messages pre-serialized, with the same client
/// configuration, to fresh topics of the same broker. Alternating runs, so drift in the machine hits both.
/// </summary>
internal static class PublishBenchmark
{
    public static void Run(int n, string bootstrap)
    {
        var synthetic = new SyntheticSettings { Count = n, Seed = 42 };
        var publish = new PublishSettings { Rate = 0, LabelDelay = TimeSpan.Zero, FlushTimeout = TimeSpan.FromMinutes(2) };

        // The bare producer's input: the very messages the producer will send, serialized up front.
        var generator = new SyntheticGenerator(synthetic);
        var messages = new List<(bool IsLabel, string Key, byte[] Value)>(2 * n);
        long bytes = 0;
        for (var i = 0; i < n; i++)
        {
            var e = generator.Next();
            var tx = ContractJson.Serialize(e.Transaction);
            var label = ContractJson.Serialize(e.Label);
            messages.Add((false, e.Transaction.CardId, tx));
            messages.Add((true, e.Label.CardId, label));
            bytes += tx.Length + label.Length;
        }
        Console.WriteLine($"messages={messages.Count} mean-value-bytes={bytes / (double)messages.Count:F0} (tracing off, as by default: no trace headers)");

        Bare(messages, bootstrap, publish, warmUp: true);
        var producerRates = new List<double>();
        var bareRates = new List<double>();
        for (var run = 1; run <= 7; run++)
        {
            // Which goes first alternates, so a broker slowing down as it fills up weighs on both alike.
            double p, b;
            if (run % 2 == 1)
            {
                p = Producer(synthetic, bootstrap, publish);
                b = Bare(messages, bootstrap, publish, warmUp: false);
            }
            else
            {
                b = Bare(messages, bootstrap, publish, warmUp: false);
                p = Producer(synthetic, bootstrap, publish);
            }
            producerRates.Add(p);
            bareRates.Add(b);
            Console.WriteLine($"run {run}: producer {p:F0} msg/s, bare {b:F0} msg/s, ratio {p / b:P0}");
        }
        var pm = Median(producerRates);
        var bm = Median(bareRates);
        var ratios = producerRates.Zip(bareRates, (p, b) => p / b).ToList();
        Console.WriteLine($"median: producer {pm:F0} msg/s ({pm / 2:F0} tx/s + as many labels), bare {bm:F0} msg/s, ratio of medians {pm / bm:P1}, median of per-run ratios {Median(ratios):P1}");
    }

    private static double Producer(SyntheticSettings synthetic, string bootstrap, PublishSettings publish)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var kafka = new KafkaOptions { BootstrapServers = bootstrap, TransactionsTopic = $"bench-{run}.tx", LabelsTopic = $"bench-{run}.labels" };
        var sw = Stopwatch.StartNew();
        var counters = new KafkaPublisher(kafka, NullLogger.Instance).Run(synthetic, publish, CancellationToken.None);
        var elapsed = sw.Elapsed;
        if (counters.Errors > 0 || counters.Transactions != synthetic.Count)
        {
            throw new InvalidOperationException($"producer run incomplete: {counters.Summary()}");
        }
        return (counters.Transactions + counters.Labels) / elapsed.TotalSeconds;
    }

    private static double Bare(List<(bool IsLabel, string Key, byte[] Value)> messages, string bootstrap, PublishSettings publish, bool warmUp)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var txTopic = $"bench-{run}.bare-tx";
        var labelTopic = $"bench-{run}.bare-labels";
        var count = warmUp ? Math.Min(messages.Count, 50_000) : messages.Count;
        long delivered = 0;
        long failed = 0;
        Action<DeliveryReport<string, byte[]>> onDelivery = r =>
        {
            if (r.Error.IsError)
            {
                Interlocked.Increment(ref failed);
            }
            else
            {
                Interlocked.Increment(ref delivered);
            }
        };
        var sw = Stopwatch.StartNew();
        using (var producer = new ProducerBuilder<string, byte[]>(KafkaPublisher.ProducerConfigFor(new KafkaOptions { BootstrapServers = bootstrap }, publish)).Build())
        {
            for (var i = 0; i < count; i++)
            {
                var (isLabel, key, value) = messages[i];
                var message = new Message<string, byte[]> { Key = key, Value = value,  };
                while (true)
                {
                    try
                    {
                        producer.Produce(isLabel ? labelTopic : txTopic, message, onDelivery);
                        break;
                    }
                    catch (ProduceException<string, byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                    {
                        Thread.Sleep(5);
                    }
                }
            }
            producer.Flush(publish.FlushTimeout);
        }
        var elapsed = sw.Elapsed;
        if (failed > 0 || delivered != count)
        {
            throw new InvalidOperationException($"bare run incomplete: delivered={delivered} failed={failed} of {count}");
        }
        return count / elapsed.TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
