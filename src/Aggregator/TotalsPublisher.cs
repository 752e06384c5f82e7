using System.Text;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Features.Entities;

namespace Fraud.Streaming.Aggregator;

/// <summary>
/// Writes a partition's closed days and its watermark to the entity totals topic, on the topic partition that
/// partition maps to, so the watermark follows the day records it covers. Only what the topic does not already hold is
/// written (<see cref="PublishedTotals"/>); a day that shrank to fewer chunks gets tombstones for the rest.
/// A failed delivery fails the aggregator: it restarts, replays and publishes again.
/// </summary>
internal sealed class TotalsPublisher(IProducer<byte[], byte[]> producer, string topic, int topicPartitions, PublishedTotals published, int reportHorizonDays)
{
    private string? _failure;

    /// <summary>The first delivery error, if any (checked before each commit).</summary>
    public string? Failure => Volatile.Read(ref _failure);

    /// <summary>Publishes the given closed days (those past the partition's suppression) and, when asked, the partition's watermark.</summary>
    public void Publish(PartitionState state, IEnumerable<int> days, int partitions, bool watermark)
    {
        var acc = state.Accumulator;
        foreach (var day in days)
        {
            if (day > state.SuppressThrough)
            {
                PublishDay(state.Partition, day, acc.Totals(day));
            }
        }
        if (!watermark)
        {
            return;
        }
        var record = new EntityWatermark(state.Partition, partitions, acc.ClosedThrough, reportHorizonDays, acc.TransactionsIdle);
        Put(state.Partition, Encoding.ASCII.GetString(EntityRecordCodec.WatermarkKey(state.Partition)), EntityRecordCodec.Encode(record), "watermark");
        if (acc.ClosedThrough != int.MinValue)
        {
            AggregatorMetrics.ClosedThroughSeconds.WithLabels(state.Partition.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Set((acc.ClosedThrough + 1L) * (EntityFeatures.MsPerDay / 1000));
        }
    }

    private void PublishDay(int partition, int day, List<EntityDayEntry> entries)
    {
        var chunks = (entries.Count + EntityRecordCodec.MaxEntriesPerRecord - 1) / EntityRecordCodec.MaxEntriesPerRecord;
        for (var c = 0; c < chunks; c++)
        {
            var slice = entries.GetRange(c * EntityRecordCodec.MaxEntriesPerRecord, Math.Min(EntityRecordCodec.MaxEntriesPerRecord, entries.Count - (c * EntityRecordCodec.MaxEntriesPerRecord)));
            var value = EntityRecordCodec.Encode(new EntityDayRecord(partition, day, c, chunks, slice));
            Put(partition, Key(partition, day, c), value, "day");
        }
        for (var c = chunks; published.Contains(Key(partition, day, c)); c++)
        {
            Put(partition, Key(partition, day, c), null, "tombstone");
        }
    }

    private static string Key(int partition, int day, int chunk) => Encoding.ASCII.GetString(EntityRecordCodec.DayKey(partition, day, chunk));

    private void Put(int partition, string key, byte[]? value, string kind)
    {
        if (value is null ? !published.Contains(key) : published.Holds(key, value))
        {
            return;
        }
        var message = new Message<byte[], byte[]> { Key = Encoding.ASCII.GetBytes(key), Value = value! };
        while (true)
        {
            try
            {
                producer.Produce(new TopicPartition(topic, new Partition(partition % topicPartitions)), message, OnDelivery);
                break;
            }
            catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
        published.Published(key, value);
        AggregatorMetrics.Published.WithLabels(kind).Inc();
    }

    private void OnDelivery(DeliveryReport<byte[], byte[]> report)
    {
        if (report.Error.IsError)
        {
            Interlocked.CompareExchange(ref _failure, $"{report.TopicPartition}: {report.Error.Reason}", null);
        }
    }
}
