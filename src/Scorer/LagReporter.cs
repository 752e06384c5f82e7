using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// <c>fraud_scorer_consumer_lag</c> per assigned partition, every <paramref name="intervalSeconds"/>, from the
/// watermarks the client caches from fetch responses (no broker round trip); a partition that leaves loses its series.
/// </summary>
internal sealed class LagReporter(int intervalSeconds)
{
    private long _next;

    public void ReportIfDue(IConsumer<byte[], byte[]> consumer)
    {
        var now = Stopwatch.GetTimestamp();
        if (now < _next)
        {
            return;
        }
        _next = now + (Stopwatch.Frequency * intervalSeconds);
        foreach (var partition in consumer.Assignment)
        {
            try
            {
                Report(consumer, partition);
            }
            catch (KafkaException)
            {
                // Not known yet; the next report tries again.
            }
        }
    }

    /// <summary>Drops the series of partitions this scorer no longer owns.</summary>
    public static void Forget(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            ScorerMetrics.ConsumerLag.RemoveLabelled(Label(partition));
        }
    }

    private static void Report(IConsumer<byte[], byte[]> consumer, TopicPartition partition)
    {
        var watermarks = consumer.GetWatermarkOffsets(partition);
        if (watermarks.High.Value < 0)
        {
            return;
        }
        var position = consumer.Position(partition);
        var lag = position.Value >= 0 ? watermarks.High.Value - position.Value : watermarks.High.Value - watermarks.Low.Value;
        ScorerMetrics.ConsumerLag.WithLabels(Label(partition)).Set(Math.Max(0, lag));
    }

    private static string Label(TopicPartition partition) => partition.Partition.Value.ToString(CultureInfo.InvariantCulture);
}
