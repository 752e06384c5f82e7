using System.Diagnostics;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Kafka;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Fraud.Streaming.Monitoring.History;

/// <summary>
/// Reads transactions, verdicts and labels and writes them to the history tables in batches. Offsets are committed
/// only after the batch that holds them is in Postgres, so a crash or a database outage loses nothing: the messages
/// are read again and the idempotent upserts absorb the repeats. Unparseable messages are counted and skipped.
/// </summary>
internal sealed class HistoryConsumerService(
    IOptions<KafkaOptions> kafkaOptions,
    IOptions<MonitoringOptions> monitoringOptions,
    HistoryWriter writer,
    ConsumerReadiness readiness,
    ILogger<HistoryConsumerService> logger) : BackgroundService
{
    private const int MaxLoggedRejections = 100;
    private static readonly TimeSpan ShutdownWriteBudget = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RevokeWriteBudget = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    private readonly KafkaOptions _kafka = kafkaOptions.Value;
    private readonly MonitoringOptions _options = monitoringOptions.Value;
    private readonly HistoryBatch _batch = new();
    private readonly OffsetTracker _offsets = new();
    private long _batchStarted;
    private long _rejections;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // librdkafka's Consume blocks; give it a thread of its own rather than a pool thread.
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    internal static ConsumerConfig ConsumerConfigFor(KafkaOptions kafka, MonitoringOptions options)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = options.GroupId,
            ClientId = "fraud-monitoring",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            AllowAutoCreateTopics = true,
        };
        if (options.GroupProtocol == "consumer")
        {
            config.GroupProtocol = GroupProtocol.Consumer;
        }
        else
        {
            config.GroupProtocol = GroupProtocol.Classic;
            config.PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky;
        }
        return config;
    }

    private void Run(CancellationToken stoppingToken)
    {
        try
        {
            Consume(stoppingToken);
        }
        catch (Exception ex)
        {
            MonitoringLog.ConsumerCrashed(logger, ex);
            Environment.ExitCode = 1;
            throw;
        }
        finally
        {
            readiness.Stopped();
        }
    }

    private void Consume(CancellationToken stoppingToken)
    {
        string[] topics = [_kafka.TransactionsTopic, _kafka.VerdictsTopic, _kafka.LabelsTopic];
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(ConsumerConfigFor(_kafka, _options))
            .SetPartitionsAssignedHandler((_, partitions) =>
            {
                readiness.Assigned(partitions);
                MonitoringLog.PartitionsAssigned(logger, string.Join(", ", partitions));
            })
            .SetPartitionsRevokedHandler((c, partitions) =>
            {
                // Our last chance to commit for these partitions: write what is pending first, but do not hold up the
                // rebalance for long. If the write fails, nothing is committed and the new owner re-reads (idempotently).
                using (var budget = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    budget.CancelAfter(RevokeWriteBudget);
                    WriteAndCommit(c, budget.Token);
                }
                _offsets.Forget(partitions.Select(p => p.TopicPartition));
                readiness.Removed(partitions.Select(p => p.TopicPartition));
                MonitoringLog.PartitionsRevoked(logger, string.Join(", ", partitions.Select(p => p.TopicPartition)));
            })
            .SetPartitionsLostHandler((_, partitions) =>
            {
                // Another member may own them already; committing now would be wrong, re-reading is harmless.
                _offsets.Forget(partitions.Select(p => p.TopicPartition));
                readiness.Removed(partitions.Select(p => p.TopicPartition));
                MonitoringLog.PartitionsLost(logger, string.Join(", ", partitions.Select(p => p.TopicPartition)));
            })
            .SetErrorHandler((_, error) => MonitoringLog.KafkaError(logger, error.Code.ToString(), error.Reason))
            .SetLogHandler((_, m) => MonitoringLog.Librdkafka(logger, m.Level.ToLogLevel(), m.Facility, m.Message))
            .Build();

        MonitoringLog.ConsumerStarting(logger, string.Join(", ", topics), _kafka.BootstrapServers, _options.GroupId, _options.GroupProtocol);
        consumer.Subscribe(topics);
        var flushTicks = (long)(_options.FlushInterval.TotalSeconds * Stopwatch.Frequency);

        while (!stoppingToken.IsCancellationRequested)
        {
            ConsumeResult<Ignore, byte[]>? result;
            try
            {
                result = consumer.Consume(TimeSpan.FromMilliseconds(50));
            }
            catch (ConsumeException ex) when (!ex.Error.IsFatal)
            {
                MonitoringLog.KafkaError(logger, ex.Error.Code.ToString(), ex.Error.Reason);
                continue;
            }

            if (result is { IsPartitionEOF: false, Message: not null })
            {
                Add(result);
            }
            if (_offsets.HasPending
                && (_batch.Count >= _options.BatchSize || Stopwatch.GetTimestamp() - _batchStarted >= flushTicks))
            {
                WriteAndCommit(consumer, stoppingToken);
            }
        }

        // Drain: the pending batch gets a bounded number of tries, then the process goes.
        using (var budget = new CancellationTokenSource(ShutdownWriteBudget))
        {
            WriteAndCommit(consumer, budget.Token);
        }
        if (_batch.Count > 0)
        {
            MonitoringLog.PendingAbandoned(logger, _batch.Count);
        }
        consumer.Close();
        MonitoringLog.ConsumerStopped(logger);
    }

    private void Add(ConsumeResult<Ignore, byte[]> result)
    {
        if (!_offsets.HasPending)
        {
            _batchStarted = Stopwatch.GetTimestamp();
        }
        _offsets.Consumed(result.TopicPartitionOffset);
        var topic = result.Topic;
        MonitoringMetrics.MessagesConsumed.WithLabels(topic).Inc();
        var value = result.Message.Value is { } bytes ? bytes.AsSpan() : [];

        bool parsed;
        string reason, detail;
        if (topic == _kafka.TransactionsTopic)
        {
            parsed = HistoryMessageParser.TryParseTransaction(value, out var transaction, out reason, out detail);
            if (parsed)
            {
                _batch.Transactions.Add(transaction!);
            }
        }
        else if (topic == _kafka.VerdictsTopic)
        {
            parsed = HistoryMessageParser.TryParseVerdict(value, out var verdict, out reason, out detail);
            if (parsed)
            {
                _batch.Verdicts.Add(verdict!);
            }
        }
        else
        {
            parsed = HistoryMessageParser.TryParseLabel(value, out var label, out reason, out detail);
            if (parsed)
            {
                _batch.Labels.Add(label!);
            }
        }

        if (!parsed)
        {
            MonitoringMetrics.Rejected.WithLabels(topic, reason).Inc();
            var seen = ++_rejections;
            if (seen <= MaxLoggedRejections || seen % 1000 == 0)
            {
                MonitoringLog.Rejected(logger, topic, result.Partition.Value, result.Offset.Value, reason, detail);
            }
        }
    }

    /// <summary>Writes the pending batch (retrying until it succeeds or <paramref name="giveUp"/> fires), then commits.</summary>
    private void WriteAndCommit(IConsumer<Ignore, byte[]> consumer, CancellationToken giveUp)
    {
        if (!_offsets.HasPending)
        {
            return;
        }
        if (_batch.Count > 0 && !WriteWithRetry(giveUp))
        {
            return;
        }
        _batch.Clear();
        try
        {
            consumer.Commit(_offsets.Pending());
        }
        catch (KafkaException ex)
        {
            MonitoringMetrics.CommitFailures.Inc();
            MonitoringLog.CommitFailed(logger, ex.Error.Reason);
        }
        _offsets.Clear();
    }

    private bool WriteWithRetry(CancellationToken giveUp)
    {
        var rows = HistoryRows.From(_batch);
        var delay = TimeSpan.FromMilliseconds(200);
        for (var attempt = 1; ; attempt++)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                var written = writer.Write(rows);
                var elapsed = Stopwatch.GetElapsedTime(started);
                MonitoringMetrics.WriteSeconds.Observe(elapsed.TotalSeconds);
                MonitoringMetrics.BatchSize.Observe(_batch.Count);
                MonitoringMetrics.RowsWritten.WithLabels("transactions").Inc(written.Transactions);
                MonitoringMetrics.RowsWritten.WithLabels("verdicts").Inc(written.Verdicts);
                MonitoringMetrics.RowsWritten.WithLabels("labels").Inc(written.Labels);
                MonitoringLog.BatchWritten(logger, _batch.Count, written.Transactions, written.Verdicts, written.Labels, elapsed.TotalMilliseconds);
                return true;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                MonitoringMetrics.WriteFailures.Inc();
                MonitoringLog.WriteFailed(logger, _batch.Count, attempt, delay, ex.Message);
                if (giveUp.IsCancellationRequested || giveUp.WaitHandle.WaitOne(delay))
                {
                    return false;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }
}
