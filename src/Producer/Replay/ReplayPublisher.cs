using System.Diagnostics;
using Confluent.Kafka;
using Fraud.Streaming.DataSets.Replay;
using Fraud.Streaming.Producer.Publishing;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;
using Microsoft.Extensions.Logging;

namespace Fraud.Streaming.Producer.Replay;

/// <summary>Publishes a replay: transactions in file order (paced when a rate is set), each label after the wall-clock label delay.</summary>
internal sealed class ReplayPublisher(KafkaOptions kafka, ILogger logger)
{
    public (ReplaySummary Summary, PublishCounters Counters) Run(ReplaySource source, PublishSettings settings, CancellationToken cancellationToken)
    {
        var counters = new PublishCounters();
        var stopwatch = Stopwatch.StartNew();
        using var producer = new ProducerBuilder<string, byte[]>(KafkaPublisher.ProducerConfigFor(kafka, settings))
            .LogTo(logger)
            .SetErrorHandler((_, error) => ProducerLog.KafkaError(logger, error.Reason))
            .Build();
        void Count(DeliveryReport<string, byte[]> r, Action delivered)
        {
            if (r.Error.IsError)
            {
                counters.Failed();
                ProducerLog.DeliveryFailed(logger, r.Topic, r.Error.Reason);
            }
            else
            {
                delivered();
            }
        }
        Action<DeliveryReport<string, byte[]>> onTransaction = r => Count(r, counters.TransactionDelivered);
        Action<DeliveryReport<string, byte[]>> onLabel = r => Count(r, counters.LabelDelivered);

        var frequency = Stopwatch.Frequency;
        var bucket = settings.Rate > 0 ? new TokenBucket(settings.Rate, Math.Max(1, settings.Rate / 20), Stopwatch.GetTimestamp(), frequency) : null;
        var labelDelay = (long)(settings.LabelDelay.TotalSeconds * frequency);
        var labels = new LabelSchedule();
        long transactions = 0, labelled = 0, fraud = 0;
        foreach (var (transaction, label) in source.Records())
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            var now = Stopwatch.GetTimestamp();
            PublishDue(now);
            while (bucket is not null && bucket.TryTake(Stopwatch.GetTimestamp()) is var wait and > 0)
            {
                cancellationToken.WaitHandle.WaitOne(Math.Clamp((int)(wait * 1000 / frequency), 1, 50));
            }
            Produce(kafka.TransactionsTopic, transaction.CardId, ContractJson.Serialize(transaction), onTransaction);
            transactions++;
            if (label is not null)
            {
                labels.Enqueue(now + labelDelay, label);
                labelled++;
                fraud += label.IsFraud ? 1 : 0;
            }
        }
        while (labels.Count > 0 && !cancellationToken.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            PublishDue(now);
            if (labels.Count > 0)
            {
                cancellationToken.WaitHandle.WaitOne(Math.Clamp((int)((labels.NextDue - now) * 1000 / frequency), 1, 50));
            }
        }
        PublishDue(long.MaxValue);
        var undelivered = producer.Flush(settings.FlushTimeout);
        if (undelivered > 0)
        {
            ProducerLog.FlushTimedOut(logger, undelivered);
            counters.NotDelivered(undelivered);
        }
        return (new ReplaySummary(transactions, labelled, fraud, source.Malformed, stopwatch.Elapsed), counters);

        void PublishDue(long now)
        {
            while (labels.Count > 0 && labels.NextDue <= now)
            {
                var label = labels.Dequeue();
                Produce(kafka.LabelsTopic, label.CardId, ContractJson.Serialize(label), onLabel);
            }
        }

        void Produce(string topic, string key, byte[] value, Action<DeliveryReport<string, byte[]>> onDelivered)
        {
            var message = new Message<string, byte[]> { Key = key, Value = value, Headers = PublishTracing.HeadersFor(topic, key) };
            while (true)
            {
                try
                {
                    producer.Produce(topic, message, onDelivered);
                    return;
                }
                catch (ProduceException<string, byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                {
                    Thread.Sleep(5);
                }
            }
        }
    }
}
