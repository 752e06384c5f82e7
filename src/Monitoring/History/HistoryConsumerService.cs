using System.Diagnostics;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;
using Microsoft.Extensions.Options;

namespace Fraud.Streaming.Monitoring.History;

/// <summary>
/// Reads transactions, verdicts and labels and writes them to the history tables in batches. A batch is written off
/// the consumer thread (<see cref="BatchWriter"/>: transient failures retried with backoff, rows the database refuses
/// isolated into <c>dead_letters</c>) while the consumer keeps polling with its partitions paused, so the group member
/// stays alive through a database outage and nothing piles up in memory. Offsets are committed only after the batch
/// that holds them is in Postgres, so a crash or an outage loses nothing: the messages are read again and the
/// idempotent writes absorb the repeats. Messages the contract refuses are dead-lettered with their reason, never
/// skipped silently.
/// </summary>
internal sealed class HistoryConsumerService(
    IOptions<KafkaOptions> kafkaOptions,
    IOptions<MonitoringOptions> monitoringOptions,
    IOptions<ValidationOptions> validationOptions,
    BatchWriter writer,
    ConsumerReadiness readiness,
    ILogger<HistoryConsumerService> logger) : BackgroundService
{
    private const int MaxLoggedDeadLetters = 100;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan ShutdownWriteBudget = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RevokeWriteBudget = TimeSpan.FromSeconds(10);

    private readonly KafkaOptions _kafka = kafkaOptions.Value;
    private readonly MonitoringOptions _options = monitoringOptions.Value;
    private readonly HistoryMessageParser _parser = new(kafkaOptions.Value, validationOptions.Value);
    private readonly HistoryTracing _tracing = new(monitoringOptions.Value.GroupId);
    private HistoryBatch _filling = new();
    private HistoryBatch? _writing;
    private Task<WriteResult>? _write;
    private CancellationTokenSource? _writeCancel;
    private long _deadLetters;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // librdkafka's Consume blocks; give it a thread of its own rather than a pool thread.
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    internal static ConsumerConfig ConsumerConfigFor(KafkaOptions kafka, MonitoringOptions options)
    {
        var config = new ConsumerConfig
        {
            GroupId = options.GroupId,
            ClientId = "fraud-monitoring",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            // A mistyped topic is an error naming it (RequiredTopics), never a new empty topic.
            AllowAutoCreateTopics = false,
        }.ForCluster(kafka);
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
        using var consumer = new ConsumerBuilder<byte[], byte[]>(ConsumerConfigFor(_kafka, _options))
            .SetPartitionsAssignedHandler((_, partitions) =>
            {
                readiness.Assigned(partitions);
                MonitoringLog.PartitionsAssigned(logger, string.Join(", ", partitions));
            })
            .SetPartitionsRevokedHandler((c, partitions) =>
            {
                // Our last chance to commit for these partitions: finish what is pending, but do not hold up the
                // rebalance for long. Whatever is not written by then is not committed; the new owner re-reads it.
                Drain(c, RevokeWriteBudget, stoppingToken);
                var revoked = partitions.Select(p => p.TopicPartition).ToList();
                Forget(revoked);
                readiness.Removed(revoked);
                MonitoringLog.PartitionsRevoked(logger, string.Join(", ", revoked));
            })
            .SetPartitionsLostHandler((_, partitions) =>
            {
                // Another member may own them already; committing now would be wrong, re-reading is harmless.
                var lost = partitions.Select(p => p.TopicPartition).ToList();
                Forget(lost);
                readiness.Removed(lost);
                MonitoringLog.PartitionsLost(logger, string.Join(", ", lost));
            })
            .SetErrorHandler((_, error) => MonitoringLog.KafkaError(logger, error.Code.ToString(), error.Reason))
            .LogTo(logger)
            .Build();

        MonitoringLog.ConsumerStarting(logger, string.Join(", ", topics), _kafka.BootstrapServers, _options.GroupId, _options.GroupProtocol);
        if (!RequiredTopics.WaitFor(consumer, topics, logger, readiness.MissingTopics, stoppingToken))
        {
            return;
        }
        consumer.Subscribe(topics);
        var flushTicks = (long)(_options.FlushInterval.TotalSeconds * Stopwatch.Frequency);

        while (!stoppingToken.IsCancellationRequested)
        {
            if (_write is { IsCompleted: true })
            {
                FinishWrite(consumer);
            }
            if (_write is not null && consumer.Assignment.Count > 0)
            {
                // Keep the member alive without reading on: nothing more piles up while the batch waits on Postgres.
                consumer.Pause(consumer.Assignment);
            }

            ConsumeResult<byte[], byte[]>? result;
            try
            {
                result = consumer.Consume(Poll);
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
            if (_write is null && _filling.HasPending
                && (_filling.Count >= _options.BatchSize || Stopwatch.GetTimestamp() - _filling.Started >= flushTicks))
            {
                StartWrite();
            }
        }

        // Drain: what is pending gets a bounded time, then the process goes.
        Drain(consumer, ShutdownWriteBudget, CancellationToken.None);
        if (_writing is not null || _filling.Count > 0)
        {
            MonitoringLog.PendingAbandoned(logger, (_writing?.Count ?? 0) + _filling.Count);
        }
        consumer.Close();
        MonitoringLog.ConsumerStopped(logger);
    }

    private void Add(ConsumeResult<byte[], byte[]> result)
    {
        MonitoringMetrics.MessagesConsumed.WithLabels(result.Topic).Inc();
        var message = _parser.Parse(result);
        if (message.Refused is { } refused)
        {
            MonitoringMetrics.Rejected.WithLabels(result.Topic, refused.Reason).Inc();
        }
        HistoryTracing.Arrived(result, message, _filling);
        _filling.Add(message);
    }

    private void StartWrite()
    {
        var batch = _writing = _filling;
        _filling = new HistoryBatch();
        _writeCancel = new CancellationTokenSource();
        var token = _writeCancel.Token;
        _write = Task.Run(() => writer.Write(batch.Messages, token), CancellationToken.None);
    }

    /// <summary>Handles a finished write: commits its offsets when it succeeded, and reads on.</summary>
    private void FinishWrite(IConsumer<byte[], byte[]> consumer)
    {
        var write = _write!;
        var batch = _writing!;
        _write = null;
        _writing = null;
        _writeCancel?.Dispose();
        _writeCancel = null;
        if (write.IsCanceled || write.Exception?.InnerException is OperationCanceledException)
        {
            // Given up (shutdown, revoke): nothing committed, the messages are read again by whoever owns them.
            Resume(consumer);
            return;
        }
        if (write.IsFaulted)
        {
            // Neither retried nor isolated (a dead letter the database refused too): the batch goes again, after the next poll.
            MonitoringLog.ConsumerCrashed(logger, write.Exception!.InnerException ?? write.Exception);
            _writing = batch;
            _writeCancel = new CancellationTokenSource();
            var token = _writeCancel.Token;
            _write = Task.Run(async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(5), token);
                return writer.Write(batch.Messages, token);
            }, CancellationToken.None);
            return;
        }
        Record(write.Result, batch);
        _tracing.Written(batch, write.Result.DeadLetters);
        try
        {
            if (batch.Offsets.HasPending)
            {
                consumer.Commit(batch.Offsets.ToCommit());
            }
        }
        catch (KafkaException ex)
        {
            MonitoringMetrics.CommitFailures.Inc();
            MonitoringLog.CommitFailed(logger, ex.Error.Reason);
        }
        Resume(consumer);
    }

    private static void Resume(IConsumer<byte[], byte[]> consumer)
    {
        if (consumer.Assignment.Count > 0)
        {
            consumer.Resume(consumer.Assignment);
        }
    }

    private void Record(WriteResult written, HistoryBatch batch)
    {
        MonitoringMetrics.BatchSize.Observe(batch.Count);
        MonitoringMetrics.RowsWritten.WithLabels("transactions").Inc(written.Transactions);
        MonitoringMetrics.RowsWritten.WithLabels("verdicts").Inc(written.Verdicts);
        MonitoringMetrics.RowsWritten.WithLabels("labels").Inc(written.Labels);
        foreach (var dead in written.DeadLetters)
        {
            MonitoringMetrics.DeadLetters.WithLabels(dead.Source.Topic, dead.Reason).Inc();
            var seen = ++_deadLetters;
            if (seen <= MaxLoggedDeadLetters || seen % 1000 == 0)
            {
                MonitoringLog.DeadLettered(logger, dead.Source.ToString(), dead.Reason, dead.Detail);
            }
        }
        MonitoringLog.BatchWritten(logger, batch.Count, written.Transactions, written.Verdicts, written.Labels, written.DeadLetters.Count);
    }

    /// <summary>
    /// Finishes the write in flight and writes what is filling, within <paramref name="budget"/>; what is not done by
    /// then is given up (not committed).
    /// </summary>
    private void Drain(IConsumer<byte[], byte[]> consumer, TimeSpan budget, CancellationToken stoppingToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(budget.TotalSeconds * Stopwatch.Frequency);
        for (var round = 0; round < 2; round++)
        {
            if (_write is null && _filling.HasPending)
            {
                StartWrite();
            }
            if (_write is null)
            {
                return;
            }
            var left = TimeSpan.FromTicks(Math.Max(0, deadline - Stopwatch.GetTimestamp()) * TimeSpan.TicksPerSecond / Stopwatch.Frequency);
            try
            {
                _write.Wait(left, stoppingToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or AggregateException)
            {
                // Finished below.
            }
            if (!_write.IsCompleted)
            {
                _writeCancel?.Cancel();
                try
                {
                    _write.Wait(TimeSpan.FromSeconds(5), CancellationToken.None);
                }
                catch (AggregateException)
                {
                    // Cancelled: handled by FinishWrite.
                }
            }
            FinishWrite(consumer);
        }
    }

    private void Forget(IReadOnlyCollection<TopicPartition> partitions)
    {
        _writing?.Offsets.Forget(partitions);
        _filling.Offsets.Forget(partitions);
    }
}
