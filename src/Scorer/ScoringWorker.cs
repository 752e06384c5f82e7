using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;
using Fraud.Streaming.Shared.Models;
using Microsoft.Extensions.Options;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// The streaming loop on its own thread: consume a micro-batch, send bad input to the DLQ, score the rest with
/// the model of the moment, produce verdicts, wait for the broker to acknowledge every message, then commit. The
/// wait overlaps the next batch's reading: a produced batch is committed (after every acknowledgement) just before
/// the next one is scored, or as soon as no message is waiting, so card state is never ahead of more than the batch
/// being read, whose messages have not touched it yet.
/// Any delivery failure stops the process without committing: a restart replays from the last commit
/// (at least once; verdicts are idempotent by transaction id downstream). Card state is kept per assigned
/// partition (<see cref="AssignedPartitions"/>): restored inside the assignment handler, before the partition is
/// fetched, and snapshotted after commits.
/// </summary>
internal sealed class ScoringWorker(
    IOptions<KafkaOptions> kafkaOptions,
    IOptions<ScorerOptions> scorerOptions,
    IOptions<StateOptions> stateOptions,
    IOptions<ModelStoreOptions> modelStoreOptions,
    IOptions<DriftOptions> driftOptions,
    IOptions<ValidationOptions> validationOptions,
    ModelHolder models,
    ShadowModels challengers,
    ScorerStatus status,
    IHostApplicationLifetime lifetime,
    ILogger<ScoringWorker> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(60);

    private readonly KafkaOptions _kafka = kafkaOptions.Value;
    private readonly ScorerOptions _options = scorerOptions.Value;
    private ScoringThread _loop = null!; // built in StartAsync
    private readonly DeliveryTracker _deliveries = new();
    private readonly UnseenValues _unseen = new();
    private readonly LagReporter _lag = new(scorerOptions.Value.LagIntervalSeconds);
    private readonly EntityFeatureSource? _entities = scorerOptions.Value.FeatureSpec().HasEntityFeatures
        ? new EntityFeatureSource(kafkaOptions.Value, scorerOptions.Value, scorerOptions.Value.FeatureSpec(), logger)
        : null;
    private readonly DriftReporter? _drift = driftOptions.Value.Enabled ? new DriftReporter(driftOptions.Value, kafkaOptions.Value.DriftTopic, logger) : null;
    private readonly ShadowScorer? _shadow = scorerOptions.Value.ShadowMaxRowsPerSecond > 0
        ? new ShadowScorer(challengers.Holder, scorerOptions.Value.ShadowMaxRowsPerSecond, kafkaOptions.Value.ShadowVerdictsTopic)
        : null;
    private BatchScorer _batch = null!; // built in StartAsync, before the loop's thread starts
    private MicroBatch _inFlight = NewMicroBatch(kafkaOptions.Value, scorerOptions.Value);
    private MicroBatch _awaiting = NewMicroBatch(kafkaOptions.Value, scorerOptions.Value); // produced, not yet committed
    private long _oldestEventSinceSweep = long.MaxValue;
    private readonly StateOptions _state = stateOptions.Value;
    private readonly TransactionAdmission _admission = new(validationOptions.Value);
    private DeadLetterPublisher? _dlq;
    private AssignedPartitions? _partitions;
    private FeatureLog? _featureLog;
    private IConsumer<byte[], byte[]>? _consumer;
    private IProducer<byte[], byte[]>? _producer;
    private bool _faulted;
    private long _nextCardSweep;
    private long _scored;
    private long _rejected;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The batch pipeline's entity features read the table the source keeps current.
        _batch = new BatchScorer(_options.MaxBatchSize, _options.FeatureSpec(), _entities?.Table)
        {
            ReasonsFor = _options.ReasonScope(),
        };
        _entities?.Start();
        // Past the drain, the loop can still be waiting for acknowledgements (of the batch awaiting its commit, then of
        // the one it was reading) and then flushing: wait that long.
        var drain = TimeSpan.FromSeconds(_options.DrainTimeoutSeconds);
        _loop = new ScoringThread("scorer-loop", Run, (2 * AckTimeout) + drain, logger);
        _loop.Start();
        return Task.CompletedTask;
    }

    /// <summary>Returns only once the loop has ended, so the host disposes nothing it still uses (see <see cref="ScoringThread"/>).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!await _loop.StopAsync(TimeSpan.FromSeconds(_options.DrainTimeoutSeconds)))
        {
            // The host disposes the models next; one the loop may still run stays alive until the process exits.
            models.LeaveToProcessExit();
        }
    }

    private void Run()
    {
        try
        {
            if (!WaitForModel())
            {
                return;
            }
            if (_entities is not null && !_entities.CatchUp(_loop.Stopping))
            {
                ScorerLog.EntityCatchUpTimedOut(logger, _options.EntityCatchUpSeconds);
            }
            RunWithCardState();
        }
        catch (Exception ex)
        {
            status.Faulted(ex);
            ScorerLog.LoopFaulted(logger, ex);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    /// <summary>The per-partition card state and what restores and stores it live as long as the loop.</summary>
    private void RunWithCardState()
    {
        using var snapshots = _state.Enabled ? SnapshotStore.Create(_state, modelStoreOptions.Value, _options.GroupId) : null;
        using var restorer = _state.Enabled ? new StateRestorer(_kafka, _options, _admission, snapshots, logger) : null;
        using var featureLog = _options.EmitFeatures is { Length: > 0 } path ? new FeatureLog(path) : null;
        _featureLog = featureLog;
        using var partitions = new AssignedPartitions(_state, _batch.ComputedSpec, _options.DuplicateWindow, restorer, snapshots, _kafka.TransactionsTopic, logger);
        _partitions = partitions;
        if (snapshots is not null)
        {
            ScorerLog.StateStore(logger, _state.SnapshotIntervalSeconds, snapshots.Describe(_kafka.TransactionsTopic, 0));
        }
        RunWithClients();
    }

    /// <summary>Consumes until stopped; on the way out flushes the producer and closes the consumer (which revokes, committing).</summary>
    private void RunWithClients()
    {
        var rebalance = new ScorerRebalance(_partitions!, status, FinishBatchInFlight, () => _faulted, _loop.Stopping, logger);
        using var producer = ScorerClients.Producer(_kafka, status, lifetime, logger);
        using var consumer = ScorerClients.Consumer(_kafka, _options, rebalance, logger);
        _producer = producer;
        _consumer = consumer;
        _dlq = new DeadLetterPublisher(producer, _deliveries, _kafka.DlqTopic, _options.DlqMaxMessageBytes);
        if (!RequiredTopics.WaitFor(consumer, [_kafka.TransactionsTopic], logger, status.MissingTopics, _loop.Stopping))
        {
            return;
        }
        consumer.Subscribe(_kafka.TransactionsTopic);
        ScorerLog.Consuming(logger, _kafka.TransactionsTopic, _options.GroupId, _kafka.VerdictsTopic, _kafka.DlqTopic);
        try
        {
            ConsumeUntilStopped();
            // Everything is committed: the last word on each partition's state before the consumer leaves.
            _partitions!.SnapshotAll();
        }
        catch
        {
            // Close() below runs the revoke handler, which must not complete (and commit) the failed batch.
            _faulted = true;
            throw;
        }
        finally
        {
            producer.Flush(TimeSpan.FromSeconds(_options.DrainTimeoutSeconds));
            consumer.Close();
        }
        ScorerLog.Drained(logger, _scored, _rejected);
    }

    private bool WaitForModel()
    {
        if (models.Current is not null)
        {
            return true;
        }
        ScorerLog.WaitingForModel(logger, _kafka.ModelsTopic, _options.ModelName);
        try
        {
            models.FirstModel.Wait(_loop.Stopping);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void ConsumeUntilStopped()
    {
        var consumer = _consumer!;
        while (!_loop.Stopping.IsCancellationRequested)
        {
            if (_inFlight.IsEmpty && _partitions!.SnapshotDue)
            {
                // No batch read or awaiting its commit: every partition's state is what its committed offset says.
                CommitAwaiting();
                _partitions.SnapshotIfDue(_loop.Stopping);
            }
            if (BatchDue(out var timeout))
            {
                CompleteBatch();
                continue;
            }
            switch (TryConsume(consumer, _awaiting.IsEmpty ? timeout : TimeSpan.Zero))
            {
                case { IsPartitionEOF: false } result:
                    Accept(result);
                    if (_inFlight.Messages >= _batch.Capacity)
                    {
                        CompleteBatch();
                    }
                    break;
                case null:
                    // Nothing waiting to be read: the produced batch need not wait for the next one.
                    CommitAwaiting();
                    break;
            }
            _lag.ReportIfDue(consumer);
            _drift?.ReportIfDue(_producer!);
            SweepIdleCardsPeriodically();
        }
        // Stopping: the batch being read and the one awaiting its commit are finished, acknowledged and committed before
        // the consumer closes.
        FinishBatchInFlight();
    }

    /// <summary>The batch being read and the one awaiting its commit, both finished: on stopping and on revocation.</summary>
    private void FinishBatchInFlight()
    {
        if (!_inFlight.IsEmpty)
        {
            CompleteBatch();
        }
        CommitAwaiting();
    }

    /// <summary>True when the batch in flight has waited its longest; otherwise how long the next poll may block.</summary>
    private bool BatchDue(out TimeSpan timeout)
    {
        timeout = IdlePoll;
        if (_inFlight.IsEmpty)
        {
            return false;
        }
        timeout = TimeSpan.FromMilliseconds(_options.MaxBatchWaitMs) - _inFlight.Age;
        return timeout <= TimeSpan.Zero;
    }

    private ConsumeResult<byte[], byte[]>? TryConsume(IConsumer<byte[], byte[]> consumer, TimeSpan timeout)
    {
        try
        {
            return consumer.Consume(timeout);
        }
        catch (ConsumeException ex) when (!ex.Error.IsFatal)
        {
            ScorerLog.KafkaError(logger, "consumer", ex.Error.Reason);
            return null;
        }
    }

    private void Accept(ConsumeResult<byte[], byte[]> result)
    {
        _inFlight.Read(result);
        var partition = _partitions!.For(result.Partition.Value);
        partition.NextOffset = result.Offset.Value + 1;
        var message = result.Message;
        if (_admission.TryAdmit(result, partition.Ids, out var transaction, out var reason))
        {
            var published = message.Timestamp.Type == TimestampType.NotAvailable
                ? DateTimeOffset.UtcNow
                : DateTimeOffset.FromUnixTimeMilliseconds(message.Timestamp.UnixTimestampMs);
            _inFlight.Admitted(_batch.Count, message);
            _batch.Add(transaction, published, partition.Cards);
        }
        else
        {
            _dlq!.Publish(result, reason);
            _rejected++;
        }
    }

    /// <summary>
    /// Commits the batch produced before (once acknowledged), then scores and produces this one, which then awaits its
    /// own commit (<see cref="CommitAwaiting"/>) while the next batch is read.
    /// </summary>
    private void CompleteBatch()
    {
        var model = models.AcquireForBatch() ?? throw new InvalidOperationException("no model to score with");
        CommitAwaiting();
        PrepareEntities();
        _scored += ScoreAndProduce(model);
        (_awaiting, _inFlight) = (_inFlight, _awaiting);
        _batch.Clear();
    }

    /// <summary>Waits for every acknowledgement of the produced batch and commits its offsets; nothing when there is none.</summary>
    private void CommitAwaiting()
    {
        if (_awaiting.IsEmpty)
        {
            return;
        }
        WaitForAcknowledgements();
        Commit(_awaiting.Offsets);
        ScorerMetrics.ProcessingSeconds.Observe(_awaiting.Age.TotalSeconds);
        ScorerMetrics.BatchSize.Observe(_awaiting.Messages);
        _awaiting.Clear();
    }

    /// <summary>Scores the batch and produces the champion's verdicts, then the challenger's; returns verdicts produced.</summary>
    private int ScoreAndProduce(LoadedModel model)
    {
        // The batch's span covers scoring, producing, acknowledgements and the commit.
        _inFlight.Tracing.StartProcess(_batch.Count, model.Version);
        var verdicts = _batch.Score(model, DateTimeOffset.UtcNow);
        _drift?.Observe(model, _batch);
        ScorerMetrics.EntityStale.Inc(_batch.StaleEntityFeatures);
        _unseen.Record(_batch, model, (field, value, row) =>
            ScorerLog.UnseenValue(logger, field, value, _batch.TransactionAt(row).TransactionId, model.Version));
        for (var i = 0; i < verdicts.Length; i++)
        {
            var verdict = verdicts[i];
            Produce(_kafka.VerdictsTopic, new Message<byte[], byte[]>
            {
                Key = KeyFor(verdict.CardId, _inFlight.KeyAt(i)),
                Value = ContractJson.Serialize(verdict),
                Headers = _inFlight.Tracing.VerdictHeaders(i, verdict.TransactionId),
            });
            ScorerMetrics.ByDecision[(int)verdict.Decision].Inc();
            ScorerMetrics.EventLatencySeconds.Observe(verdict.LatencyMs / 1000d);
        }

        // The challenger's verdicts go out after the champion's, best effort: they never decide and never fail the batch.
        _shadow?.ScoreAndPublish(_batch, model, _producer!, i => KeyFor(_batch.TransactionAt(i).CardId, _inFlight.KeyAt(i)));
        _featureLog?.Write(_batch);
        return verdicts.Length;
    }

    /// <summary>Every message of the batch acknowledged (oversized dead letters replaced and waited for again), or the loop stops.</summary>
    private void WaitForAcknowledgements()
    {
        do
        {
            if (!_deliveries.WaitAll(AckTimeout))
            {
                throw new KafkaDeliveryFailedException($"{_deliveries.Pending} messages not acknowledged within {AckTimeout.TotalSeconds} s");
            }
        }
        while (_dlq!.ReplaceOversized());
    }

    private void Commit(OffsetTracker batch)
    {
        try
        {
            var offsets = batch.ToCommit();
            _consumer!.Commit(offsets);
            _partitions!.Committed(offsets);
        }
        catch (KafkaException ex) when (!ex.Error.IsFatal)
        {
            // Everything is delivered; a failed commit (e.g. partitions lost in a rebalance) only means a replay.
            ScorerLog.KafkaError(logger, "commit", ex.Error.Reason);
        }
    }

    /// <summary>Makes sure the entity days the batch reads are closed, or caps them at the newest complete day.</summary>
    private void PrepareEntities()
    {
        if (_entities is null || _batch.Count == 0)
        {
            return;
        }
        var table = _entities.Table;
        _batch.EntityDaysCap = _entities.Prepare(table.LastDayReadBy(_batch.BatchNewestEventMs), table.OldestDayReadBy(_batch.BatchOldestEventMs), _loop.Stopping);
        _oldestEventSinceSweep = Math.Min(_oldestEventSinceSweep, _batch.BatchOldestEventMs);
    }

    private void Produce(string topic, Message<byte[], byte[]> message) => _deliveries.Produce(_producer!, topic, message);

    private static MicroBatch NewMicroBatch(KafkaOptions kafka, ScorerOptions options) =>
        new(options.MaxBatchSize, new BatchTracing(options.MaxBatchSize, kafka.TransactionsTopic, kafka.VerdictsTopic, options.GroupId));

    /// <summary>Transactions are keyed by card id already: reuse those bytes instead of encoding the id again.</summary>
    private static byte[] KeyFor(string cardId, byte[]? original)
    {
        if (original is not null && original.Length == Encoding.UTF8.GetByteCount(cardId))
        {
            Span<byte> encoded = original.Length <= 256 ? stackalloc byte[original.Length] : new byte[original.Length];
            Encoding.UTF8.GetBytes(cardId, encoded);
            if (encoded.SequenceEqual(original))
            {
                return original;
            }
        }
        return Encoding.UTF8.GetBytes(cardId);
    }

    /// <summary>Drops idle cards from memory now and then, off the per-event path; features are unaffected (<see cref="BatchScorer.ExpireIdleCards"/>).</summary>
    private void SweepIdleCardsPeriodically()
    {
        var now = Stopwatch.GetTimestamp();
        if (now < _nextCardSweep)
        {
            return;
        }
        _nextCardSweep = now + (Stopwatch.Frequency * _options.CardSweepIntervalSeconds);
        // The cards live in the per-partition stores; the batch scorer's own store stays empty in this mode.
        var cutoff = _batch.IdleCutoffMs(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), _options.CardSweepLatenessHours * 3_600_000L);
        var expired = cutoff is { } ms ? _partitions!.ExpireIdle(ms) : 0;
        ScorerMetrics.CardsExpired.Inc(expired);
        if (_entities is not null && _oldestEventSinceSweep != long.MaxValue)
        {
            // A week of slack: a partition that lags the newest batches by less still finds the days it reads.
            _entities.DropBefore(_entities.Table.OldestDayReadBy(_oldestEventSinceSweep) - 7);
            _oldestEventSinceSweep = long.MaxValue;
        }
        ScorerMetrics.CardsActive.Set(_partitions!.CardCount);
        ScorerMetrics.CardStateBytes.Set(_partitions.MemoryBytes);
    }

    public void Dispose()
    {
        if (_loop is null || _loop.HasEnded)
        {
            _entities?.Dispose();
        }
        _loop?.Dispose();
    }
}
