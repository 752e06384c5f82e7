using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Fraud.Streaming.Producer.Malformed;
using Fraud.Streaming.DataSets.Synthetic;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;
using Fraud.Streaming.Shared.Progress;
using Microsoft.Extensions.Logging;

namespace Fraud.Streaming.Producer.Publishing;

/// <summary>
/// Publishes a synthetic run: transactions as generated (paced when a rate is set), each label after the wall-clock
/// label delay, malformed messages interleaved. One idempotent producer; deliveries are counted from callbacks,
/// never awaited one by one.
/// </summary>
internal sealed class KafkaPublisher(KafkaOptions kafka, ILogger logger, ProgressDisplay? display = null)
{
    private readonly ProgressDisplay _display = display ?? PublishProgress.LogOnly(logger);

    private const int MaxLoggedErrors = 20;

    /// <param name="counters">Where deliveries are counted; pass one in to watch a run while it goes.</param>
    public PublishCounters Run(SyntheticSettings synthetic, PublishSettings settings, CancellationToken cancellationToken, PublishCounters? counters = null)
    {
        counters ??= new PublishCounters();
        var transactionsTopic = kafka.TransactionsTopic;
        var labelsTopic = kafka.LabelsTopic;
        Action<DeliveryReport<string, byte[]>> onTransaction = r => OnDelivery(r, counters, counters.TransactionDelivered);
        Action<DeliveryReport<string, byte[]>> onLabel = r => OnDelivery(r, counters, counters.LabelDelivered);
        Action<DeliveryReport<string, byte[]>> onMalformed = r => OnDelivery(r, counters, counters.MalformedDelivered);

        using var producer = new ProducerBuilder<string, byte[]>(ProducerConfigFor(kafka, settings))
            .SetErrorHandler((_, error) => ProducerLog.KafkaError(logger, error.Reason))
            .LogTo(logger)
            .Build();
        ProducerLog.Starting(logger, kafka.BootstrapServers, transactionsTopic, labelsTopic, settings.Rate, settings.LabelDelay);

        var frequency = Stopwatch.Frequency;
        var started = Stopwatch.GetTimestamp();
        long? end = settings.Duration is { } duration ? started + (long)(duration.TotalSeconds * frequency) : null;
        var bucket = settings.Rate > 0 ? new TokenBucket(settings.Rate, Math.Max(1, settings.Rate / 20), started, frequency) : null;
        var labelDelay = (long)(settings.LabelDelay.TotalSeconds * frequency);
        var progressEvery = (long)(settings.ProgressInterval.TotalSeconds * frequency);
        var planned = end is null || settings.Rate <= 0 ? synthetic.Count : (long)(settings.Rate * settings.Duration!.Value.TotalSeconds);
        var malformedEvery = settings.Malformed > 0 ? Math.Max(1, planned / (settings.Malformed + 1)) : long.MaxValue;

        var generator = new SyntheticGenerator(synthetic);
        var labels = new LabelSchedule();
        var progress = new ProgressClock(started, progressEvery);
        long sent = 0;
        long enqueued = 0;
        var drainDeadline = 0L; // after a stop request, how long a full local queue may hold up the remaining labels
        var malformedSent = 0;
        Transaction? lastTransaction = null;

        while (!cancellationToken.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            if (end is null ? sent >= synthetic.Count : now >= end)
            {
                break;
            }
            PublishDueLabels(now);
            ReportIfDue(now);
            if (bucket is not null)
            {
                var wait = bucket.TryTake(now);
                if (wait > 0)
                {
                    Pause(wait);
                    continue;
                }
            }

            var e = generator.Next();
            lastTransaction = e.Transaction;
            if (!Produce(transactionsTopic, new Message<string, byte[]> { Key = e.Transaction.CardId, Value = ContractJson.Serialize(e.Transaction), Headers = PublishTracing.HeadersFor(transactionsTopic, e.Transaction.CardId) }, onTransaction))
            {
                break;
            }
            if (e.Published)
            {
                labels.Enqueue(now + (settings.Speedup is { } speedup
                    ? (long)((e.Label.LabelledAt - e.Transaction.EventTime).TotalSeconds / speedup * frequency)
                    : labelDelay), e.Label);
            }
            sent++;
            if (malformedSent < settings.Malformed && sent % malformedEvery == 0)
            {
                PublishMalformed(malformedSent++, e.Transaction);
            }
        }

        // The malformed messages asked for are all published, also when stopped early (a long --duration-seconds
        // spaces them far apart): a test or demo counts on finding every one of them in the DLQ.
        lastTransaction ??= generator.Next().Transaction;
        while (malformedSent < settings.Malformed)
        {
            PublishMalformed(malformedSent++, lastTransaction);
        }
        if (!cancellationToken.IsCancellationRequested)
        {
            while (labels.Count > 0 && !cancellationToken.IsCancellationRequested)
            {
                var now = Stopwatch.GetTimestamp();
                PublishDueLabels(now);
                ReportIfDue(now);
                if (labels.Count > 0)
                {
                    Pause(labels.NextDue - now);
                }
            }
        }
        else
        {
            _display.Finish();
            ProducerLog.Stopping(logger);
        }
        if (labels.Count > 0)
        {
            // Every published transaction gets its label, even when stopped early: unlabelled history is useless to the trainer.
            ProducerLog.LabelsEarly(logger, labels.Count);
            drainDeadline = Stopwatch.GetTimestamp() + (long)(settings.FlushTimeout.TotalSeconds * frequency);
            PublishDueLabels(long.MaxValue);
            if (labels.Count > 0)
            {
                ProducerLog.LabelsDropped(logger, labels.Count);
                counters.NotDelivered(labels.Count);
            }
        }

        _display.Finish();
        var undelivered = producer.Flush(settings.FlushTimeout);
        if (undelivered > 0)
        {
            ProducerLog.FlushTimedOut(logger, undelivered);
            counters.NotDelivered(undelivered);
        }
        return counters;

        void PublishDueLabels(long now)
        {
            while (labels.Count > 0 && labels.NextDue <= now)
            {
                var label = labels.Peek();
                if (!Produce(labelsTopic, new Message<string, byte[]> { Key = label.CardId, Value = ContractJson.Serialize(label), Headers = PublishTracing.HeadersFor(labelsTopic, label.CardId) }, onLabel))
                {
                    return;
                }
                labels.Dequeue();
            }
        }

        void PublishMalformed(long sequence, Transaction template)
        {
            var bad = MalformedMessageFactory.Create(sequence, synthetic.Seed, template);
            var headers = PublishTracing.HeadersFor(transactionsTopic, bad.Key) ?? [];
            headers.Add(MalformedHeaders.Id, Encoding.UTF8.GetBytes(bad.Id));
            headers.Add(MalformedHeaders.Kind, Encoding.UTF8.GetBytes(bad.KindName));
            Produce(transactionsTopic, new Message<string, byte[]> { Key = bad.Key, Value = bad.Value, Headers = headers }, onMalformed);
        }

        void ReportIfDue(long now)
        {
            if (progress.Due(now, counters.Transactions, out var rate))
            {
                _display.Report(PublishProgress.Format(counters.Transactions, counters.Labels, counters.Malformed, counters.Errors, rate, (int)Math.Max(0, enqueued - counters.Transactions - counters.Labels - counters.Malformed - counters.Errors)));
            }
        }

        void Pause(long ticks)
        {
            var ms = Math.Clamp((int)(ticks * 1000 / frequency), 1, 50);
            cancellationToken.WaitHandle.WaitOne(ms);
        }

        bool Produce(string topic, Message<string, byte[]> message, Action<DeliveryReport<string, byte[]>> onDelivered)
        {
            while (true)
            {
                try
                {
                    producer.Produce(topic, message, onDelivered);
                    enqueued++;
                    return true;
                }
                catch (ProduceException<string, byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                {
                    // Back-pressure: the local queue drains as deliveries complete.
                    if (!cancellationToken.IsCancellationRequested)
                    {
                        cancellationToken.WaitHandle.WaitOne(5);
                    }
                    else if (Stopwatch.GetTimestamp() < drainDeadline)
                    {
                        Thread.Sleep(5);
                    }
                    else
                    {
                        return false;
                    }
                }
            }
        }
    }

    internal static ProducerConfig ProducerConfigFor(KafkaOptions kafka, PublishSettings settings) => new ProducerConfig
    {
        ClientId = "fraud-producer",
        EnableIdempotence = true,
        Acks = Acks.All,
        LingerMs = settings.LingerMs,
        CompressionType = settings.Compression,
        BatchSize = settings.BatchSize,
        QueueBufferingMaxMessages = 500_000,
        MessageTimeoutMs = 60_000,
    }.ForCluster(kafka);

    private void OnDelivery(DeliveryReport<string, byte[]> report, PublishCounters counters, Action delivered)
    {
        if (report.Error.IsError)
        {
            if (counters.Failed() <= MaxLoggedErrors)
            {
                ProducerLog.DeliveryFailed(logger, report.Topic, report.Error.Reason);
            }
            return;
        }
        delivered();
    }

    private sealed class ProgressClock(long started, long every)
    {
        private long _next = started + every;
        private long _lastAt = started;
        private long _lastCount;

        public bool Due(long now, long count, out double rate)
        {
            rate = 0;
            if (now < _next)
            {
                return false;
            }
            rate = (count - _lastCount) * (double)Stopwatch.Frequency / Math.Max(1, now - _lastAt);
            _lastAt = now;
            _lastCount = count;
            _next = now + every;
            return true;
        }
    }
}
