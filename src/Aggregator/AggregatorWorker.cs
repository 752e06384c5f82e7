using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Kafka;
using Microsoft.Extensions.Options;

namespace Fraud.Streaming.Aggregator;

/// <summary>
/// The aggregation loop on its own thread. One consumer of the group reads the transactions and labels topics with the
/// range assignor, which gives each member the same partition numbers of both (both are keyed by card id and must have
/// as many partitions): partition <c>p</c> of both feeds one <see cref="PartitionAccumulator"/>. On every assignment a
/// partition is rebuilt by reading it from its beginning; closed days and watermarks go to the entity totals topic, and
/// only what that topic does not already hold is written, so a rebuild publishes nothing new unless something changed.
/// Offsets are committed (after what was published is acknowledged) only to tell new messages from replayed ones, for
/// metrics, the labels DLQ and lag.
/// </summary>
internal sealed class AggregatorWorker(
    IOptions<KafkaOptions> kafkaOptions,
    IOptions<AggregatorOptions> aggregatorOptions,
    IOptions<ValidationOptions> validationOptions,
    AggregatorStatus status,
    IHostApplicationLifetime lifetime,
    ILogger<AggregatorWorker> logger) : IHostedService, IDisposable
{
    private const int MaxLoggedRejections = 100;
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(30);

    private readonly KafkaOptions _kafka = kafkaOptions.Value;
    private readonly AggregatorOptions _options = aggregatorOptions.Value;
    private readonly ValidationOptions _validation = validationOptions.Value;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PublishedTotals _published = new();
    private readonly Dictionary<int, PartitionState> _states = [];
    private IConsumer<byte[], byte[]>? _consumer;
    private IProducer<byte[], byte[]>? _producer;
    private TotalsPublisher? _publisher;
    private int _transactionPartitions;
    private long _nextAdvance;
    private long _nextCommit;
    private long _messages;
    private long _rejections;
    private bool _faulted;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        new Thread(Run) { IsBackground = true, Name = "aggregator-loop" }.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAny(_finished.Task, Task.Delay(TimeSpan.FromSeconds(30), cancellationToken));
    }

    private void Run()
    {
        try
        {
            using var follower = new TopicFollower(_kafka, _kafka.EntityTotalsTopic, "fraud-aggregator-totals", logger,
                r => _published.Seen(r.Message.Key, r.Message.Value));
            follower.Start();
            using var producer = BuildProducer();
            _producer = producer;
            var totalsPartitions = PartitionCount(producer.Handle, _kafka.EntityTotalsTopic);
            if (totalsPartitions == 0)
            {
                return; // stopped while waiting
            }
            _publisher = new TotalsPublisher(producer, _kafka.EntityTotalsTopic, totalsPartitions, _published, _options.ReportHorizonDays);
            if (!follower.CaughtUp.Wait(TimeSpan.FromSeconds(_options.CatchUpSeconds), _stopping.Token))
            {
                AggregatorLog.CatchUpTimedOut(logger, _options.CatchUpSeconds);
            }
            using var consumer = BuildConsumer();
            _consumer = consumer;
            consumer.Subscribe([_kafka.TransactionsTopic, _kafka.LabelsTopic]);
            AggregatorLog.Consuming(logger, _kafka.TransactionsTopic, _kafka.LabelsTopic, _options.GroupId, _kafka.EntityTotalsTopic);
            try
            {
                Loop(consumer);
                FlushAndCommit();
            }
            catch
            {
                _faulted = true;
                throw;
            }
            finally
            {
                consumer.Close();
            }
            AggregatorLog.Stopped(logger, _messages);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            status.Faulted(ex);
            AggregatorLog.Faulted(logger, ex);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
        finally
        {
            _finished.TrySetResult();
        }
    }

    private void Loop(IConsumer<byte[], byte[]> consumer)
    {
        while (!_stopping.IsCancellationRequested)
        {
            ConsumeResult<byte[], byte[]>? result;
            try
            {
                result = consumer.Consume(TimeSpan.FromMilliseconds(50));
            }
            catch (ConsumeException ex) when (!ex.Error.IsFatal)
            {
                AggregatorLog.KafkaError(logger, "consumer", ex.Error.Reason);
                continue;
            }
            if (result is not null && _states.TryGetValue(result.Partition.Value, out var state))
            {
                if (result.IsPartitionEOF)
                {
                    AtEnd(state, result);
                }
                else
                {
                    Handle(state, result);
                }
            }
            var now = Stopwatch.GetTimestamp();
            if (now >= _nextAdvance)
            {
                _nextAdvance = now + (long)(_options.AdvanceIntervalMs * (double)Stopwatch.Frequency / 1000);
                Advance(now);
            }
            if (now >= _nextCommit)
            {
                _nextCommit = now + (_options.CommitIntervalSeconds * Stopwatch.Frequency);
                FlushAndCommit();
            }
        }
    }

    private void AtEnd(PartitionState state, ConsumeResult<byte[], byte[]> result)
    {
        if (result.Topic == _kafka.TransactionsTopic)
        {
            state.TransactionsAtEnd = true;
            state.NextTransactionOffset = Math.Max(state.NextTransactionOffset, result.Offset.Value);
        }
        else
        {
            state.LabelsAtEnd = true;
            state.NextLabelOffset = Math.Max(state.NextLabelOffset, result.Offset.Value);
        }
    }

    private void Handle(PartitionState state, ConsumeResult<byte[], byte[]> result)
    {
        var isTransaction = result.Topic == _kafka.TransactionsTopic;
        var offset = result.Offset.Value;
        var isNew = offset >= (isTransaction ? state.FirstNewTransaction : state.FirstNewLabel);
        var now = Stopwatch.GetTimestamp();
        if (isTransaction)
        {
            state.TransactionsAtEnd = false;
            state.LastTransactionAt = now;
            state.NextTransactionOffset = offset + 1;
        }
        else
        {
            state.LabelsAtEnd = false;
            state.LastLabelAt = now;
            state.NextLabelOffset = offset + 1;
        }
        if (isNew)
        {
            _messages++;
            AggregatorMetrics.Messages.WithLabels(result.Topic).Inc();
        }
        var before = Snapshot(state.Accumulator.Counters);
        if (isTransaction)
        {
            Transaction(state, result, isNew);
        }
        else
        {
            Label(state, result, isNew);
        }
        if (isNew)
        {
            Count(before, state.Accumulator.Counters);
        }
    }

    private void Transaction(PartitionState state, ConsumeResult<byte[], byte[]> result, bool isNew)
    {
        if (!MessageContract.TryTransaction(result.Message, _validation, out var t, out var reason))
        {
            // The scorer dead-letters what the contract refuses (a far-future time included: it would close every
            // day at once here); the aggregator only counts it.
            if (isNew)
            {
                Reject(result, reason.CodeName, reason.Detail);
            }
            return;
        }
        var eventMs = t.EventTime.ToUnixTimeMilliseconds();
        state.FirstDay ??= Shared.Features.Entities.EntityFeatures.DayOf(eventMs);
        state.Accumulator.Transaction(StableHash.Of64(t.TransactionId), eventMs, t.Amount,
            FeatureInput.MerchantKeyOf(t.MerchantId), t.DeviceId is not null, FeatureInput.DeviceKeyOf(t.DeviceId));
    }

    private void Label(PartitionState state, ConsumeResult<byte[], byte[]> result, bool isNew)
    {
        if (!MessageContract.TryLabel(result.Message, _validation, out var label, out var reason))
        {
            if (isNew)
            {
                Reject(result, reason.CodeName, reason.Detail);
                DeadLetter(result, reason.CodeName, reason.Detail);
            }
            return;
        }
        if (label.IsFraud)
        {
            state.Accumulator.FraudReport(StableHash.Of64(label.TransactionId), label.LabelledAt.ToUnixTimeMilliseconds());
        }
    }

    /// <summary>Marks idle partitions, advances every watermark and publishes what closed or was corrected.</summary>
    private void Advance(long now)
    {
        var idleAfter = _options.IdleAfterSeconds * Stopwatch.Frequency;
        var follow = long.MinValue;
        foreach (var state in _states.Values)
        {
            var quietTransactions = state.TransactionsAtEnd && now - state.LastTransactionAt > idleAfter;
            if (!quietTransactions)
            {
                follow = Math.Max(follow, state.Accumulator.TransactionWatermarkMs);
            }
        }
        foreach (var state in _states.Values)
        {
            var acc = state.Accumulator;
            var quietTransactions = state.TransactionsAtEnd && now - state.LastTransactionAt > idleAfter;
            var quietLabels = state.LabelsAtEnd && now - state.LastLabelAt > idleAfter;
            // A quiet stream is taken as idle only when that closes a day, and only once the broker confirms nothing is
            // waiting to be read: a message published before the one that moved the other stream must count first.
            if ((quietTransactions || quietLabels) && acc.IdlenessWouldClose(follow, quietTransactions, quietLabels))
            {
                if (quietTransactions && !NothingUnread(_kafka.TransactionsTopic, state.Partition, state.NextTransactionOffset))
                {
                    quietTransactions = state.TransactionsAtEnd = false; // more to read: its next end of partition says when
                }
                if (quietLabels && !NothingUnread(_kafka.LabelsTopic, state.Partition, state.NextLabelOffset))
                {
                    quietLabels = state.LabelsAtEnd = false;
                }
                acc.TransactionsIdle = quietTransactions;
                acc.LabelsIdle = quietLabels;
            }
            else
            {
                // Nothing new to close by idleness: a stream stays idle while quiet, and stops being idle when it is not.
                acc.TransactionsIdle &= quietTransactions;
                acc.LabelsIdle &= quietLabels;
            }
        }
        int idle = 0, replaying = 0, indexed = 0;
        foreach (var state in _states.Values)
        {
            var acc = state.Accumulator;
            var closedBefore = acc.ClosedThrough;
            var before = Snapshot(acc.Counters);
            var moved = acc.Advance(follow);
            if (!state.Replaying)
            {
                Count(before, acc.Counters);
            }
            if (state.Truncated && state.FirstDay is { } first && state.SuppressThrough == int.MinValue)
            {
                state.SuppressThrough = first + _options.ReportHorizonDays;
                AggregatorLog.Truncated(logger, state.Partition, state.SuppressThrough);
            }
            var days = (moved ? acc.ClosedDays().Where(d => d > closedBefore) : []).Concat(acc.TakeCorrected()).Distinct().ToList();
            if (state.Replaying)
            {
                // Only the day records (written when they differ); the watermark waits for the end of the replay, so
                // scorers never see it go back to where the replay stands.
                _publisher!.Publish(state, days, _transactionPartitions, watermark: false);
                replaying++;
            }
            else
            {
                _publisher!.Publish(state, days, _transactionPartitions, watermark: true);
                if (!state.Replayed)
                {
                    state.Replayed = true;
                    AggregatorLog.Replayed(logger, state.Partition, acc.ClosedThrough == int.MinValue ? "none"
                        : DateOnly.FromDayNumber(Shared.Features.Entities.EntityFeatures.UnixEpochDayNumber + acc.ClosedThrough).ToString("O", CultureInfo.InvariantCulture));
                }
            }
            idle += acc.TransactionsIdle ? 1 : 0;
            indexed += acc.IndexedTransactions;
        }
        AggregatorMetrics.IdlePartitions.Set(idle);
        AggregatorMetrics.Replaying.Set(replaying);
        AggregatorMetrics.IndexedTransactions.Set(indexed);
        status.Update(_states.Count, replaying);
        _producer!.Poll(TimeSpan.Zero);
    }

    /// <summary>Whether the broker holds nothing past <paramref name="next"/> in the partition (asked now, not from the last fetch).</summary>
    private bool NothingUnread(string topic, int partition, long next)
    {
        try
        {
            return _consumer!.QueryWatermarkOffsets(new TopicPartition(topic, partition), TimeSpan.FromSeconds(5)).High.Value <= next;
        }
        catch (KafkaException ex)
        {
            AggregatorLog.KafkaError(logger, "watermarks", ex.Error.Reason);
            return false;
        }
    }

    /// <summary>Waits for every published record, then commits what was read (never behind the committed offsets).</summary>
    private void FlushAndCommit()
    {
        var producer = _producer!;
        if (producer.Flush(FlushTimeout) > 0)
        {
            throw new KafkaException(new Error(ErrorCode.Local_TimedOut, "entity totals not acknowledged in time"));
        }
        if (_publisher?.Failure is { } failure)
        {
            throw new InvalidOperationException($"publishing entity totals failed: {failure}");
        }
        var offsets = new List<TopicPartitionOffset>();
        foreach (var state in _states.Values)
        {
            if (state.Replaying)
            {
                continue;
            }
            if (state.NextTransactionOffset >= 0)
            {
                offsets.Add(new TopicPartitionOffset(_kafka.TransactionsTopic, state.Partition, state.NextTransactionOffset));
            }
            if (state.NextLabelOffset >= 0)
            {
                offsets.Add(new TopicPartitionOffset(_kafka.LabelsTopic, state.Partition, state.NextLabelOffset));
            }
        }
        if (offsets.Count == 0)
        {
            return;
        }
        try
        {
            _consumer!.Commit(offsets);
        }
        catch (KafkaException ex) when (!ex.Error.IsFatal)
        {
            AggregatorLog.KafkaError(logger, "commit", ex.Error.Reason);
        }
    }

    private List<TopicPartitionOffset> Assign(IConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions)
    {
        var transactions = partitions.Where(p => p.Topic == _kafka.TransactionsTopic).Select(p => p.Partition.Value).ToHashSet();
        var labels = partitions.Where(p => p.Topic == _kafka.LabelsTopic).Select(p => p.Partition.Value).ToHashSet();
        _transactionPartitions = PartitionCount(consumer.Handle, _kafka.TransactionsTopic);
        var labelPartitions = PartitionCount(consumer.Handle, _kafka.LabelsTopic);
        if (_transactionPartitions != labelPartitions || !transactions.SetEquals(labels))
        {
            throw new InvalidOperationException(
                $"{_kafka.TransactionsTopic} has {_transactionPartitions} partitions and {_kafka.LabelsTopic} {labelPartitions}: both are keyed by card id and must have as many, so a card's labels meet its transactions");
        }
        var committed = partitions.Count == 0 ? [] : consumer.Committed(partitions, TimeSpan.FromSeconds(30));
        long FirstNew(string topic, int p) =>
            committed.FirstOrDefault(c => c.Topic == topic && c.Partition.Value == p)?.Offset is { } o && o.Value >= 0 ? o.Value : 0;
        var now = Stopwatch.GetTimestamp();
        foreach (var p in transactions)
        {
            var state = new PartitionState(p,
                new PartitionAccumulator(p, _options.GraceSeconds * 1000L, _options.ReportHorizonDays, _options.CorrectableDays, _options.LabelLagHours * Shared.Features.Entities.EntityFeatures.MsPerHour),
                FirstNew(_kafka.TransactionsTopic, p), FirstNew(_kafka.LabelsTopic, p), now);
            var low = consumer.QueryWatermarkOffsets(new TopicPartition(_kafka.TransactionsTopic, p), TimeSpan.FromSeconds(30)).Low.Value;
            state.Truncated = low > 0;
            _states[p] = state;
            AggregatorMetrics.Rebuilds.Inc();
        }
        AggregatorLog.Assigned(logger, string.Join(", ", transactions.Order()));
        return partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)).ToList();
    }

    private void Revoke(IEnumerable<TopicPartition> partitions, bool lost)
    {
        if (!lost && !_faulted)
        {
            FlushAndCommit();
        }
        foreach (var p in partitions)
        {
            if (p.Topic == _kafka.TransactionsTopic)
            {
                _states.Remove(p.Partition.Value);
                AggregatorMetrics.ClosedThroughSeconds.RemoveLabelled(p.Partition.Value.ToString(CultureInfo.InvariantCulture));
            }
        }
        AggregatorLog.Revoked(logger, string.Join(", ", partitions));
    }

    private void Reject(ConsumeResult<byte[], byte[]> result, string reason, string detail)
    {
        AggregatorMetrics.Rejected.WithLabels(result.Topic, reason).Inc();
        if (++_rejections <= MaxLoggedRejections || _rejections % 1000 == 0)
        {
            AggregatorLog.Rejected(logger, result.Topic, result.Partition.Value, result.Offset.Value, reason, detail);
        }
    }

    private void DeadLetter(ConsumeResult<byte[], byte[]> result, string reason, string detail)
    {
        var headers = new Headers
        {
            { DlqHeaders.Reason, Encoding.UTF8.GetBytes(reason) },
            { DlqHeaders.Detail, Encoding.UTF8.GetBytes(detail.Length > 1000 ? detail[..1000] : detail) },
            { DlqHeaders.Source, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{result.Topic}/{result.Partition.Value}/{result.Offset.Value}")) },
        };
        _producer!.Produce(_kafka.LabelsDlqTopic, new Message<byte[], byte[]> { Key = result.Message.Key, Value = result.Message.Value, Headers = headers });
    }

    private static (long, long, long, long, long) Snapshot(AccumulatorCounters c) =>
        (c.DuplicateTransactions, c.Late, c.TooLate, c.UnmatchedReports, c.UnattributedReports);

    private static void Count((long Duplicates, long Late, long TooLate, long Unmatched, long Unattributed) before, AccumulatorCounters after)
    {
        AggregatorMetrics.Duplicates.Inc(after.DuplicateTransactions - before.Duplicates);
        AggregatorMetrics.Late.Inc(after.Late - before.Late);
        AggregatorMetrics.TooLate.Inc(after.TooLate - before.TooLate);
        AggregatorMetrics.UnmatchedReports.Inc(after.UnmatchedReports - before.Unmatched);
        AggregatorMetrics.UnattributedReports.Inc(after.UnattributedReports - before.Unattributed);
    }

    /// <summary>The topic's partition count from metadata, retried until known or stopped (0 then).</summary>
    private int PartitionCount(Handle handle, string topic)
    {
        using var admin = new DependentAdminClientBuilder(handle).Build();
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(5)).Topics.Find(t => t.Topic == topic);
                if (metadata is { Error.IsError: false, Partitions.Count: > 0 })
                {
                    return metadata.Partitions.Count;
                }
                AggregatorLog.KafkaError(logger, "metadata", $"topic {topic} not found");
            }
            catch (KafkaException ex)
            {
                AggregatorLog.KafkaError(logger, "metadata", ex.Error.Reason);
            }
            _stopping.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
        }
        return 0;
    }

    private IProducer<byte[], byte[]> BuildProducer() => new ProducerBuilder<byte[], byte[]>(new ProducerConfig
    {
        ClientId = "fraud-aggregator",
        EnableIdempotence = true,
        Acks = Acks.All,
        LingerMs = 5,
        CompressionType = CompressionType.Lz4,
        MessageTimeoutMs = 30_000,
    }.ForCluster(_kafka))
    .LogTo(logger)
    .SetErrorHandler((_, error) =>
    {
        AggregatorLog.KafkaError(logger, "producer", error.Reason);
        if (error.IsFatal)
        {
            status.Faulted(new KafkaException(error));
            lifetime.StopApplication();
        }
    })
    .Build();

    private IConsumer<byte[], byte[]> BuildConsumer() => new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
    {
        ClientId = "fraud-aggregator",
        GroupId = _options.GroupId,
        EnableAutoCommit = false,
        EnableAutoOffsetStore = false,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        AllowAutoCreateTopics = false,
        EnablePartitionEof = true,
        SessionTimeoutMs = _options.SessionTimeoutMs,
        // Scorers wait for the days this closes: do not hold fetches (the dev Kafka answers an up-to-date fetch only after this).
        FetchWaitMaxMs = 100,
        // Range gives every member the same partition numbers of both topics; eager rebalancing rebuilds them whole.
        PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range,
        GroupProtocol = GroupProtocol.Classic,
    }.ForCluster(_kafka))
    .LogTo(logger)
    .SetErrorHandler((_, error) => AggregatorLog.KafkaError(logger, "consumer", error.Reason))
    .SetPartitionsAssignedHandler((c, partitions) => Assign(c, partitions))
    .SetPartitionsRevokedHandler((_, partitions) => Revoke(partitions.Select(p => p.TopicPartition), lost: false))
    .SetPartitionsLostHandler((_, partitions) => Revoke(partitions.Select(p => p.TopicPartition), lost: true))
    .Build();

    public void Dispose() => _stopping.Dispose();
}
